package dev.argon.bench.harness;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZipfianTest {
    @Test
    void ranksStayInRangeAndTheFirstIsTheMostPopular() {
        Zipfian z = new Zipfian(1000);
        SplittableRandom rnd = new SplittableRandom(1);
        long[] counts = new long[1000];
        for (int i = 0; i < 200_000; i++) {
            long r = z.next(rnd);
            assertTrue(r >= 0 && r < 1000, "rank " + r);
            counts[(int) r]++;
        }
        assertTrue(counts[0] > counts[1] && counts[1] > counts[10] && counts[10] > counts[500], "skewed towards low ranks");
        // With theta 0.99 over 1000 items, rank 0 draws about 13% of the samples.
        assertTrue(counts[0] > 20_000 && counts[0] < 32_000, "rank 0 drew " + counts[0]);
    }

    @Test
    void oneItemAlwaysDrawsRankZero() {
        Zipfian z = new Zipfian(1);
        SplittableRandom rnd = new SplittableRandom(2);
        for (int i = 0; i < 1000; i++) {
            assertTrue(z.next(rnd) == 0);
        }
    }
}
