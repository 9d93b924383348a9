package dev.argon.engine.gc;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A task run on one daemon thread every interval (none when the interval is not positive), for the history GC and
 * compaction passes. {@link #close} stops the timer and waits for a pass in progress: such a pass stops at its next
 * batch once the store closes, and the store must not close under it. Thread-safe.
 */
final class BackgroundPass implements AutoCloseable {
    private final ScheduledExecutorService timer;

    BackgroundPass(String threadName, long intervalMillis, Runnable task) {
        if (intervalMillis > 0) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(task, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        } else {
            timer = null;
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
