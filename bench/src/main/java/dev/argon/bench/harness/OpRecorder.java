package dev.argon.bench.harness;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * One client thread's latencies and errors, per operation name. Each thread owns one, so recording never
 * contends; {@link LoadRunner} merges them when the threads have stopped. Only the live counters are shared.
 * Not thread-safe except for the shared counters.
 */
final class OpRecorder {
    /** Latencies above ten minutes are clamped: no single operation of a bounded run lasts longer. */
    static final long MAX_NANOS = TimeUnit.MINUTES.toNanos(10);
    /** 1 µs resolution with three significant digits: driver round trips start near 20 µs. */
    private static final long LOWEST_NANOS = 1_000;

    /** Body of a timed operation; a RuntimeException counts as an error of that operation. */
    interface Body<T> {
        T run();
    }

    private final Map<String, Histogram> latencies = new LinkedHashMap<>();
    private final Map<String, Long> errors = new LinkedHashMap<>();
    private final LongAdder liveOps;
    private final LongAdder liveErrors;
    private String firstError;

    OpRecorder(LongAdder liveOps, LongAdder liveErrors) {
        this.liveOps = liveOps;
        this.liveErrors = liveErrors;
    }

    static Histogram newHistogram() {
        return new Histogram(LOWEST_NANOS, MAX_NANOS, 3);
    }

    /** Runs body, records its latency under op, and returns its result; on failure records an error, returns null. */
    <T> T time(String op, Body<T> body) {
        long start = System.nanoTime();
        try {
            T result = body.run();
            record(op, System.nanoTime() - start);
            return result;
        } catch (RuntimeException e) {
            error(op, e);
            return null;
        }
    }

    void record(String op, long nanos) {
        latencies.computeIfAbsent(op, k -> newHistogram()).recordValue(Math.max(LOWEST_NANOS, Math.min(nanos, MAX_NANOS)));
        liveOps.increment();
    }

    void error(String op, Exception e) {
        latencies.computeIfAbsent(op, k -> newHistogram());
        errors.merge(op, 1L, Long::sum);
        liveErrors.increment();
        if (firstError == null) {
            firstError = op + ": " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** An error that is not an exception: a wrong answer from the server. */
    void wrong(String op, String message) {
        error(op, new IllegalStateException(message));
    }

    void reset() {
        latencies.clear();
        errors.clear();
        firstError = null;
    }

    Map<String, Histogram> latencies() {
        return latencies;
    }

    long errors(String op) {
        return errors.getOrDefault(op, 0L);
    }

    String firstError() {
        return firstError;
    }
}
