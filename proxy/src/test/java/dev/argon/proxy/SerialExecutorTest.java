package dev.argon.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Order, suspension and resumption of a connection's command queue on a real thread pool. */
class SerialExecutorTest {
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void suspendedQueueWaitsForResumeWithoutHoldingAThread() throws Exception {
        // One thread only: the second executor below can run only if the suspended one gave that thread back.
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            SerialExecutor serial = new SerialExecutor(single);
            List<String> ran = new CopyOnWriteArrayList<>();
            AtomicReference<Runnable> resume = new AtomicReference<>();
            serial.execute(() -> {
                ran.add("awaiting");
                resume.set(serial.suspend());
            });
            serial.execute(() -> ran.add("behind"));
            SerialExecutor other = new SerialExecutor(single);
            CountDownLatch otherRan = new CountDownLatch(1);
            other.execute(otherRan::countDown);
            assertTrue(otherRan.await(10, TimeUnit.SECONDS), "the suspended executor still holds the pool's only thread");
            // The thread ran the first executor's drain to its end before it ran the other's, so "behind" would
            // have run by now had the suspension not held it back.
            assertEquals(List.of("awaiting"), ran, "the task behind a suspension waits");
            resume.get().run();
            resume.get().run(); // a second resume does nothing
            waitFor(() -> ran.size() == 2);
            assertEquals(List.of("awaiting", "behind"), ran);
            CountDownLatch later = new CountDownLatch(1);
            serial.execute(later::countDown);
            assertTrue(later.await(5, TimeUnit.SECONDS), "the queue keeps working after a resume");
        } finally {
            single.shutdownNow();
        }
    }

    @Test
    void resumeBeforeTheTaskReturnsIsNotLost() throws Exception {
        for (int round = 0; round < 200; round++) {
            SerialExecutor serial = new SerialExecutor(pool);
            List<Integer> ran = new CopyOnWriteArrayList<>();
            serial.execute(() -> {
                Runnable resume = serial.suspend();
                pool.execute(resume); // races the end of this task
                ran.add(1);
            });
            serial.execute(() -> ran.add(2));
            serial.execute(() -> ran.add(3));
            waitFor(() -> ran.size() == 3);
            assertEquals(List.of(1, 2, 3), ran, "round " + round);
        }
    }

    @Test
    void suspendingTwiceInOneTaskIsRefused() throws Exception {
        SerialExecutor serial = new SerialExecutor(pool);
        AtomicReference<Throwable> second = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        serial.execute(() -> {
            Runnable resume = serial.suspend();
            try {
                serial.suspend();
            } catch (IllegalStateException e) {
                second.set(e);
            }
            resume.run();
            done.countDown();
        });
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertTrue(second.get() instanceof IllegalStateException);
        CountDownLatch after = new CountDownLatch(1);
        serial.execute(after::countDown);
        assertTrue(after.await(5, TimeUnit.SECONDS));
    }

    @Test
    void resumeAfterPoolShutdownDropsTheQueue() throws Exception {
        SerialExecutor serial = new SerialExecutor(pool);
        AtomicReference<Runnable> resume = new AtomicReference<>();
        CountDownLatch suspended = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        serial.execute(() -> {
            resume.set(serial.suspend());
            suspended.countDown();
        });
        serial.execute(() -> ran.add("behind"));
        assertTrue(suspended.await(5, TimeUnit.SECONDS));
        // Let the suspending task return and the drain park: a resume that came first would let that same pool
        // thread go on draining, which is the (tested elsewhere) race this test is not about.
        waitFor(() -> ((java.util.concurrent.ThreadPoolExecutor) pool).getActiveCount() == 0);
        pool.shutdown();
        resume.get().run(); // must not throw: the server is shutting down
        assertEquals(List.of(), ran);
        assertThrows(java.util.concurrent.RejectedExecutionException.class, () -> serial.execute(() -> ran.add("late")));
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }
}
