package dev.argon.engine.store;

/**
 * Wakes readers that wait for new commits (change streams' awaitable getMore): every write session that ends and
 * every transaction commit fires it, so a waiter sleeps until something may have changed instead of polling. A
 * waiter reads {@link #count()} before it looks for new commits and then waits for the count to move, so a commit
 * between its look and its wait is never missed. Spurious wakeups are harmless: the waiter looks again.
 * Thread-safe.
 */
public final class CommitSignal {
    private long count;

    /** Something may have been committed. */
    public synchronized void fire() {
        count++;
        notifyAll();
    }

    /** How many times {@link #fire()} was called so far. */
    public synchronized long count() {
        return count;
    }

    /**
     * Waits until the count differs from {@code seen} or millis have passed; returns whether it moved. An
     * interrupt ends the wait early (and is kept for the caller).
     */
    public synchronized boolean awaitChange(long seen, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (count == seen) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return false;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return count != seen;
            }
        }
        return true;
    }
}
