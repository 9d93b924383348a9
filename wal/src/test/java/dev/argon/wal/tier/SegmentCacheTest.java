package dev.argon.wal.tier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.storage.object.MemoryStore;
import dev.argon.storage.object.ObjectInfo;
import dev.argon.storage.object.ObjectStore;
import dev.argon.storage.segment.SealedSegment;
import dev.argon.storage.segment.SegmentWriter;
import dev.argon.wal.TierSegment;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The segment cache over a real segment in a memory store: with decoded blocks (the default) and with compressed
 * ranges only, every key reads its value; warm reads of what fits make no store request; the bytes held stay within
 * a small budget while reads sweep a segment larger than it; a caller writing into a returned value does not change
 * what the next read returns.
 */
class SegmentCacheTest {
    private static final int ENTRIES = 4000;

    /** Counts ranged reads that reach the store. */
    private static final class Counting implements ObjectStore {
        final ObjectStore inner = new MemoryStore();
        final AtomicLong ranged = new AtomicLong();

        @Override
        public void put(String key, byte[] data) { inner.put(key, data); }
        @Override
        public void put(String key, Path file) { inner.put(key, file); }
        @Override
        public void put(String key, InputStream data, long length) { inner.put(key, data, length); }
        @Override
        public boolean putIfAbsent(String key, byte[] data) { return inner.putIfAbsent(key, data); }
        @Override
        public byte[] get(String key) { return inner.get(key); }
        @Override
        public byte[] getRange(String key, long offset, int length) {
            ranged.incrementAndGet();
            return inner.getRange(key, offset, length);
        }
        @Override
        public Optional<ObjectInfo> head(String key) { return inner.head(key); }
        @Override
        public List<ObjectInfo> list(String prefix) { return inner.list(prefix); }
        @Override
        public void delete(String key) { inner.delete(key); }
        @Override
        public String describe() { return "counting " + inner.describe(); }
        @Override
        public void close() { inner.close(); }
    }

    private static byte[] key(int i) {
        return String.format("k%06d", i).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] value(int i) {
        return ("value of " + i + " " + "v".repeat(i % 97)).getBytes(StandardCharsets.US_ASCII);
    }

    private static TierSegment segment(ObjectStore store) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SegmentWriter w = new SegmentWriter(out, 4096, 3);
        for (int i = 0; i < ENTRIES; i++) {
            w.add(key(i), value(i));
        }
        SealedSegment s = w.finish(1, ENTRIES);
        TierSegment t = new TierSegment(s.name(), s.size(), ENTRIES, 1, ENTRIES, key(0), key(ENTRIES - 1));
        store.put(t.objectKey(), out.toByteArray());
        return t;
    }

    private static void readAll(TierSegments tier) {
        for (int i = 0; i < ENTRIES; i += 7) {
            byte[][] e = tier.ceiling(key(i), key(i));
            assertNotNull(e, "key " + i);
            assertArrayEquals(value(i), e[1], "key " + i);
        }
    }

    @Test
    void warmReadsMakeNoStoreRequestInEitherMode() {
        for (boolean decoded : new boolean[] {true, false}) {
            Counting store = new Counting();
            TierSegment s = segment(store);
            SegmentCache cache = new SegmentCache(SegmentCache.DEFAULT_BYTES);
            cache.decodeBlocks(decoded);
            TierSegments tier = new TierSegments(store, cache, List.of(s));
            readAll(tier);
            long cold = store.ranged.get();
            assertTrue(cold > 1, "mode " + decoded + ": the first sweep fetched blocks");
            readAll(tier);
            assertEquals(cold, store.ranged.get(), "mode " + decoded + ": a warm sweep fetched nothing");
            assertTrue(cache.heldBytes() > 0);
        }
    }

    @Test
    void decodedBlocksStayWithinTheBudgetAndAreNotChangedByCallers() {
        Counting store = new Counting();
        TierSegment s = segment(store);
        long budget = s.size() / 4;
        SegmentCache cache = new SegmentCache(budget);
        TierSegments tier = new TierSegments(store, cache, List.of(s));
        readAll(tier);
        assertTrue(cache.heldBytes() > 0 && cache.heldBytes() <= budget, cache.heldBytes() + " of " + budget);
        long before = store.ranged.get();
        readAll(tier);
        assertTrue(store.ranged.get() > before, "a segment larger than the budget is fetched again");

        byte[][] e = tier.ceiling(key(5), key(5));
        e[1][0] ^= 0x55;
        assertArrayEquals(value(5), tier.ceiling(key(5), key(5))[1], "the cached block is unchanged");
        List<byte[][]> r = tier.range(key(10), key(12));
        r.get(0)[1][0] ^= 0x55;
        assertArrayEquals(value(10), tier.range(key(10), key(12)).get(0)[1]);
    }
}
