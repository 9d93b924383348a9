package dev.argon.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Lock waits that give up at shutdown: the one place where a command waiting for a lock (a branch's write lock,
 * a session's check-out) notices that the server is stopping and is refused with 11600 InterruptedAtShutdown.
 * The waiter has changed nothing, and drivers retry that code, while the holder finishes. The flag is the
 * engine's {@link dev.argon.engine.command.CommandGate#closing()}, so one call stops every kind of wait.
 * Stateless and thread-safe.
 */
public final class ShutdownAwareLock {
    /** How often a waiter looks at the flag; tryLock returns as soon as the lock is free, this only bounds how late shutdown is noticed. */
    private static final long POLL_MILLIS = 20;

    private ShutdownAwareLock() {}

    /**
     * Takes lock, waiting as long as it takes unless {@code closing} becomes true (or the thread is
     * interrupted) first; then throws 11600 with "interrupted at shutdown while waiting for " + waitingFor.
     */
    public static void lock(ReentrantLock lock, BooleanSupplier closing, String waitingFor) {
        if (lock.tryLock()) {
            return;
        }
        try {
            while (!lock.tryLock(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (closing.getAsBoolean()) {
                    throw interrupted(waitingFor);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(waitingFor);
        }
    }

    /** As {@link #lock}, for a one-permit semaphore (a lock that another thread may release). */
    public static void acquire(java.util.concurrent.Semaphore lock, BooleanSupplier closing, String waitingFor) {
        if (lock.tryAcquire()) {
            return;
        }
        try {
            while (!lock.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (closing.getAsBoolean()) {
                    throw interrupted(waitingFor);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(waitingFor);
        }
    }

    private static ArgonException interrupted(String waitingFor) {
        return new ArgonException(MongoErrorCode.INTERRUPTED_AT_SHUTDOWN, "interrupted at shutdown while waiting for " + waitingFor);
    }
}
