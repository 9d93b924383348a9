package dev.argon.wal;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test hook whose first fsync blocks until {@link #release} is counted down (at most 60 s), then, with
 * {@code failFirst}, fails as a disk would; every later fsync runs normally. {@link #entered} opens once the first
 * fsync has started. Thread-safe.
 */
final class GatedSync implements WalFaults {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger started = new AtomicInteger();
    final boolean failFirst;

    GatedSync(boolean failFirst) {
        this.failFirst = failFirst;
    }

    @Override
    public void beforeSync() throws IOException {
        if (started.incrementAndGet() == 1) {
            entered.countDown();
            try {
                if (!release.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test's schedule did not happen within 60 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failFirst) {
                throw new IOException("Input/output error");
            }
        }
    }
}
