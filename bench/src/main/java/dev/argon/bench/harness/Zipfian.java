package dev.argon.bench.harness;

import java.util.SplittableRandom;

/**
 * YCSB's Zipfian generator (Gray et al., "Quickly generating billion-record synthetic databases"): ranks in
 * {@code [0, items)}, rank 0 the most popular, with YCSB's constant 0.99. Setup is O(items) once; each draw is
 * O(1). Immutable and thread-safe (callers bring their own random source).
 */
final class Zipfian {
    /** YCSB's default skew. */
    static final double THETA = 0.99;

    private final long items;
    private final double alpha;
    private final double zetan;
    private final double eta;
    private final double halfPowTheta;

    Zipfian(long items) {
        if (items < 1) {
            throw new IllegalArgumentException("a Zipfian distribution needs at least one item");
        }
        this.items = items;
        this.zetan = zeta(items);
        double zeta2 = zeta(2);
        this.alpha = 1.0 / (1.0 - THETA);
        this.eta = (1 - Math.pow(2.0 / items, 1 - THETA)) / (1 - zeta2 / zetan);
        this.halfPowTheta = 1 + Math.pow(0.5, THETA);
    }

    private static double zeta(long n) {
        double sum = 0;
        for (long i = 1; i <= n; i++) {
            sum += 1 / Math.pow(i, THETA);
        }
        return sum;
    }

    long items() {
        return items;
    }

    long next(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        double uz = u * zetan;
        if (uz < 1.0) {
            return 0;
        }
        if (uz < halfPowTheta) {
            return Math.min(1, items - 1);
        }
        return Math.min(items - 1, (long) (items * Math.pow(eta * u - eta + 1, alpha)));
    }
}
