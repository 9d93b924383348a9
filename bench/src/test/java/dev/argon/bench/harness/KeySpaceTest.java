package dev.argon.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeySpaceTest {
    @Test
    void keysSortLikeTheirNumbers() {
        assertTrue(KeySpace.key(9).compareTo(KeySpace.key(10)) < 0);
        assertTrue(KeySpace.key(999_999).compareTo(KeySpace.key(1_000_000)) < 0);
        assertEquals("user000000000042", KeySpace.key(42));
    }

    @Test
    void existingKeysAreLoadedOnesAndLatestFollowsAcknowledgedInserts() {
        KeySpace keys = new KeySpace(100, "zipfian");
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 10_000; i++) {
            long k = keys.existing(rnd);
            assertTrue(k >= 0 && k < 100, "key " + k);
        }
        long inserted = keys.reserveInsert();
        assertEquals(100, inserted);
        keys.acknowledge(inserted);
        boolean sawNewest = false;
        for (int i = 0; i < 1000; i++) {
            long k = keys.latest(rnd);
            assertTrue(k >= 0 && k <= 100, "key " + k);
            sawNewest |= k == 100;
        }
        assertTrue(sawNewest, "the newest key is the most popular under 'latest'");
    }
}
