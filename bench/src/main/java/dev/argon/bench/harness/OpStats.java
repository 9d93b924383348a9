package dev.argon.bench.harness;

import org.HdrHistogram.Histogram;

/**
 * The figures of one operation in one workload: successful operations, their rate over the measured time,
 * latency percentiles in microseconds, and failed operations.
 */
public record OpStats(String op, long count, double opsPerSec, double p50Micros, double p95Micros, double p99Micros,
                      double maxMicros, long errors) {
    static OpStats of(String op, Histogram h, double seconds, long errors) {
        long n = h.getTotalCount();
        if (n == 0) {
            return new OpStats(op, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, errors);
        }
        return new OpStats(op, n, n / seconds, micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(95)),
                micros(h.getValueAtPercentile(99)), micros(h.getMaxValue()), errors);
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }
}
