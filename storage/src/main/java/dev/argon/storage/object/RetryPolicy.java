package dev.argon.storage.object;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an object-store call again after a transient failure ({@link ObjectStoreException#isPermanent()} false),
 * up to {@code maxAttempts} in all, sleeping between attempts with exponential backoff and full jitter
 * (a random delay up to {@code baseDelay * 2^(attempt-1)}, capped at {@code maxDelay}) so that many clients
 * throttled at once do not retry in step. A permanent failure is thrown at once.
 *
 * <p>Immutable, so thread-safe.
 *
 * @param maxAttempts attempts in all, at least 1
 * @param baseDelay   the cap of the first delay
 * @param maxDelay    the cap of any delay
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {

    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

    /**
     * Six attempts over at most about 10 s: enough to ride out an S3 "SlowDown" burst or a dropped connection,
     * short enough that a dead endpoint is reported while the user still waits for the command.
     */
    public static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofMillis(100), Duration.ofSeconds(4));

    /** No retries: each call is tried once. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        if (maxAttempts < 1 || baseDelay.isNegative() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("invalid retry policy: " + maxAttempts + ", " + baseDelay + ", " + maxDelay);
        }
    }

    /** A call that may fail with an {@link ObjectStoreException}. */
    @FunctionalInterface
    public interface Call<T> {
        T run();
    }

    /** Runs {@code call}, retrying transient failures; {@code what} names it in log lines. */
    public <T> T run(String what, Call<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (ObjectStoreException e) {
                if (e.isPermanent() || attempt >= maxAttempts) {
                    throw e;
                }
                long delay = delayMillis(attempt);
                LOG.warn("{} failed (attempt {} of {}), retrying in {} ms: {}", what, attempt, maxAttempts, delay,
                        e.getMessage());
                sleep(delay, e);
            }
        }
    }

    long delayMillis(int attempt) {
        long cap = baseDelay.toMillis() << Math.min(attempt - 1, 20);
        cap = Math.min(cap, maxDelay.toMillis());
        return cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap + 1);
    }

    private static void sleep(long millis, ObjectStoreException cause) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            cause.addSuppressed(ie);
            throw cause;
        }
    }
}
