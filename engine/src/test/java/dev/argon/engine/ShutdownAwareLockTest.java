package dev.argon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** A lock waiter gives up with 11600 once the flag is set, and otherwise gets the lock when it is freed. */
class ShutdownAwareLockTest {
    @Test
    void aWaiterGetsTheLockWhenItIsFreed() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        lock.lock();
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            ShutdownAwareLock.lock(lock, () -> false, "a test");
            boolean held = lock.isHeldByCurrentThread();
            lock.unlock();
            return held;
        });
        while (!lock.hasQueuedThreads()) {
            Thread.onSpinWait();
        }
        lock.unlock();
        assertTrue(waiter.get(60, TimeUnit.SECONDS));
    }

    @Test
    void aWaiterIsRefusedAtShutdownWhileTheHolderKeepsTheLock() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        lock.lock();
        AtomicBoolean closing = new AtomicBoolean();
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> ShutdownAwareLock.lock(lock, closing::get, "a test"));
        while (!lock.hasQueuedThreads()) {
            Thread.onSpinWait();
        }
        closing.set(true);
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> waiter.get(60, TimeUnit.SECONDS));
        ArgonException refused = (ArgonException) e.getCause();
        assertEquals(11600, refused.code());
        assertEquals("interrupted at shutdown while waiting for a test", refused.getMessage());
        assertTrue(lock.isHeldByCurrentThread(), "the holder keeps the lock");
        lock.unlock();
    }
}
