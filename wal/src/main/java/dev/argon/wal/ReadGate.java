package dev.argon.wal;

import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets the GC wait for reads that might still need what it is about to delete. Every command (and every cursor
 * it leaves open) holds a {@link Ticket} stamped with the epoch it started in. The GC publishes its marks, moves
 * to a new epoch and waits until no ticket of an older epoch is left: a read that began before the marks may
 * need anything, one that began after has checked its point against them. Thread-safe.
 */
public final class ReadGate {
    private static final ThreadLocal<Ticket> CURRENT = new ThreadLocal<>();

    private final Object lock = new Object();
    /** Guarded by lock. */
    private long epoch;
    /** Open tickets per epoch; guarded by lock. */
    private final TreeMap<Long, Integer> open = new TreeMap<>();

    /** Starts a read section on this thread; close the ticket when the command is done. */
    public Ticket enter() {
        Ticket t;
        synchronized (lock) {
            t = new Ticket(epoch);
            open.merge(epoch, 1, Integer::sum);
        }
        if (CURRENT.get() == null) {
            CURRENT.set(t);
            t.thread = Thread.currentThread();
        }
        return t;
    }

    /** The ticket of the command running on this thread, or null. */
    public static Ticket current() {
        return CURRENT.get();
    }

    /** Starts a new epoch; tickets taken from now on are newer than the marks just published. */
    long advance() {
        synchronized (lock) {
            epoch++;
            lock.notifyAll();
            return epoch;
        }
    }

    /**
     * Waits until every ticket of an epoch before {@code epoch} is closed, ignoring {@code self} (the GC's own
     * command). False if some are still open after the timeout.
     */
    boolean awaitOlder(long epoch, Ticket self, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        synchronized (lock) {
            while (true) {
                int older = 0;
                for (var e : open.headMap(epoch).values()) {
                    older += e;
                }
                if (self != null && !self.closed() && self.epoch < epoch) {
                    older--;
                }
                if (older <= 0) {
                    return true;
                }
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return false;
                }
                lock.wait(left);
            }
        }
    }

    /** Open tickets (for tests and status). */
    public int openTickets() {
        synchronized (lock) {
            return open.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private void release(Ticket t) {
        synchronized (lock) {
            open.computeIfPresent(t.epoch, (k, n) -> n == 1 ? null : n - 1);
            lock.notifyAll();
        }
    }

    /**
     * One read section. Reference-counted: a cursor that outlives its command {@link #retain()}s the ticket
     * and closes it when the cursor goes. Thread-safe.
     */
    public final class Ticket implements AutoCloseable {
        private final long epoch;
        private final AtomicInteger refs = new AtomicInteger(1);
        private volatile Thread thread;

        private Ticket(long epoch) {
            this.epoch = epoch;
        }

        /** One more holder; each holder closes once. */
        public Ticket retain() {
            refs.incrementAndGet();
            return this;
        }

        boolean closed() {
            return refs.get() <= 0;
        }

        @Override
        public void close() {
            if (thread == Thread.currentThread() && CURRENT.get() == this) {
                CURRENT.remove();
                thread = null;
            }
            if (refs.decrementAndGet() == 0) {
                release(this);
            }
        }
    }
}
