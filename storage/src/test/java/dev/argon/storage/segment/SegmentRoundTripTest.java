package dev.argon.storage.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.storage.object.LocalFolderStore;
import dev.argon.storage.object.MemoryStore;
import dev.argon.storage.object.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing and reading segments: every entry back, seeks and ranges against a sorted map, read counts. */
class SegmentRoundTripTest {

    @TempDir
    Path dir;

    /** A few thousand versions of a few hundred documents on a few branches, values 0 to 2 KB. */
    private static TreeMap<byte[], byte[]> randomVersions(long seed, int count) {
        Random r = new Random(seed);
        TreeMap<byte[], byte[]> m = SegmentTestData.sorted();
        while (m.size() < count) {
            byte[] value = new byte[r.nextInt(2048)];
            // compressible, like BSON: runs of a few distinct bytes
            for (int i = 0; i < value.length; i++) {
                value[i] = (byte) ('a' + r.nextInt(4));
            }
            m.put(SegmentTestData.versionKey(r.nextInt(3), "doc-" + r.nextInt(400), 1 + r.nextInt(4), r.nextInt(1_000_000)), value);
        }
        return m;
    }

    private static List<Map.Entry<byte[], byte[]>> drain(Iterator<SegmentEntry> it) {
        List<Map.Entry<byte[], byte[]>> out = new ArrayList<>();
        it.forEachRemaining(e -> out.add(Map.entry(e.key(), e.value())));
        return out;
    }

    private static void assertSameEntries(Map<byte[], byte[]> expected, List<Map.Entry<byte[], byte[]>> actual) {
        assertEquals(expected.size(), actual.size());
        int i = 0;
        for (Map.Entry<byte[], byte[]> e : expected.entrySet()) {
            assertArrayEquals(e.getKey(), actual.get(i).getKey(), "key " + i);
            assertArrayEquals(e.getValue(), actual.get(i).getValue(), "value " + i);
            i++;
        }
    }

    @Test
    void everyEntryComesBackThroughAFolderStoreAndTheNameIsTheSha256() throws Exception {
        TreeMap<byte[], byte[]> entries = randomVersions(1, 3000);
        Path file = dir.resolve("segment.tmp");
        SealedSegment sealed;
        try (OutputStream out = Files.newOutputStream(file)) {
            SegmentWriter w = new SegmentWriter(out, 4096, SegmentWriter.DEFAULT_LEVEL);
            entries.forEach(w::add);
            sealed = w.finish(17, 999_999);
        }
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(bytes.length, sealed.size());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), sealed.name());
        assertTrue(sealed.footer().blockCount() > 100, "several blocks: " + sealed.footer());

        try (ObjectStore store = new LocalFolderStore(dir.resolve("objects"))) {
            store.put("segments/" + sealed.name(), file);
            SegmentReader reader = SegmentReader.open(store, "segments/" + sealed.name());
            assertEquals(sealed.footer(), reader.footer());
            assertEquals(3000, reader.footer().entryCount());
            assertArrayEquals(entries.firstKey(), reader.footer().minKey());
            assertArrayEquals(entries.lastKey(), reader.footer().maxKey());
            assertEquals(17, reader.footer().minLsn());
            assertEquals(999_999, reader.footer().maxLsn());
            assertSameEntries(entries, drain(reader.scan(null, null)));
        }
        assertTrue(bytes.length < entries.values().stream().mapToLong(v -> v.length).sum() / 2, "blocks are compressed");
    }

    @Test
    void pointReadsAndRangesMatchASortedMap() {
        TreeMap<byte[], byte[]> entries = randomVersions(2, 2000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SegmentTestData.write(entries, out, 2048, 1, 2);
        MemoryStore store = new MemoryStore();
        store.put("s", out.toByteArray());
        SegmentReader reader = SegmentReader.open(store, "s");
        Random r = new Random(3);
        List<byte[]> keys = SegmentTestData.keys(entries);
        for (int i = 0; i < 300; i++) {
            byte[] present = keys.get(r.nextInt(keys.size()));
            assertArrayEquals(entries.get(present), reader.get(present).orElseThrow());
            byte[] absent = SegmentTestData.versionKey(r.nextInt(3), "doc-" + r.nextInt(400), 1 + r.nextInt(4), 2_000_000 + r.nextInt(10));
            assertEquals(Optional.empty(), reader.get(absent).map(v -> "present"));
        }
        for (int i = 0; i < 100; i++) {
            byte[] a = keys.get(r.nextInt(keys.size()));
            byte[] b = keys.get(r.nextInt(keys.size()));
            if (java.util.Arrays.compareUnsigned(a, b) > 0) {
                byte[] t = a;
                a = b;
                b = t;
            }
            // bounds that are and are not keys: a key itself, and a key with one more byte
            byte[] from = i % 2 == 0 ? a : java.util.Arrays.copyOf(a, a.length + 1);
            assertSameEntries(entries.subMap(from, true, b, false), drain(reader.scan(from, b)));
        }
        assertSameEntries(entries.tailMap(keys.get(1234), true), drain(reader.scan(keys.get(1234), null)));
        assertSameEntries(entries.headMap(keys.get(77), false), drain(reader.scan(null, keys.get(77))));
        assertFalse(reader.scan(new byte[] {(byte) 0xff}, null).hasNext());
        assertFalse(reader.scan(null, new byte[] {0}).hasNext());
    }

    @Test
    void aSeekCostsOneRangedReadOfOneBlockAfterOneReadOfTheTail() {
        TreeMap<byte[], byte[]> entries = randomVersions(4, 3000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SealedSegment sealed = SegmentTestData.write(entries, out, 4096, 1, 2);
        CountingStore store = new CountingStore(new MemoryStore());
        store.put("s", out.toByteArray());

        SegmentReader reader = SegmentReader.open(store, "s", sealed.size());
        assertEquals(1, store.rangedReads.get(), "trailer and index in one read");
        assertEquals(0, store.heads.get());
        byte[] key = SegmentTestData.keys(entries).get(2222);
        assertArrayEquals(entries.get(key), reader.get(key).orElseThrow());
        assertEquals(2, store.rangedReads.get(), "one more read: the block");
        Iterator<SegmentEntry> it = reader.scan(key, null);
        assertArrayEquals(key, it.next().key());
        assertEquals(3, store.rangedReads.get());
        assertEquals(0, store.wholeReads.get());
        // a key outside the segment's range costs nothing
        assertEquals(Optional.empty(), reader.get(new byte[] {(byte) 0xff}).map(v -> "x"));
        assertEquals(3, store.reads());
    }

    @Test
    void aScanWithReadaheadReadsSeveralBlocksPerRequestAndStopsAtItsEnd() {
        TreeMap<byte[], byte[]> entries = randomVersions(11, 4000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SealedSegment sealed = SegmentTestData.write(entries, out, 1024, 1, 2);
        int blocks = sealed.footer().blockCount();
        assertTrue(blocks > 200, sealed.footer().toString());
        CountingStore store = new CountingStore(new MemoryStore());
        store.put("s", out.toByteArray());
        SegmentReader reader = SegmentReader.open(store, "s", sealed.size());
        int opened = store.rangedReads.get();
        assertSameEntries(entries, drain(reader.scan(null, null, 64 << 10)));
        int windowed = store.rangedReads.get() - opened;
        // about sealed.size() / 64 KiB windows rather than one read per block
        assertTrue(windowed <= sealed.size() / (64 << 10) + 2, windowed + " reads for " + blocks + " blocks");
        assertTrue(windowed >= 2, windowed + " reads");

        // a bounded range: the same entries as without readahead, and no window reaches past the block holding its end
        List<byte[]> keys = SegmentTestData.keys(entries);
        byte[] from = keys.get(1000);
        byte[] to = keys.get(1100);
        int before = store.rangedReads.get();
        List<Map.Entry<byte[], byte[]>> plain = drain(reader.scan(from, to));
        int plainReads = store.rangedReads.get() - before;
        before = store.rangedReads.get();
        List<Map.Entry<byte[], byte[]>> ahead = drain(reader.scan(from, to, 16 << 20));
        assertSameEntries(entries.subMap(from, true, to, false), ahead);
        assertSameEntries(entries.subMap(from, true, to, false), plain);
        assertEquals(1, store.rangedReads.get() - before, "one window for " + plainReads + " blocks");
        // a readahead smaller than a block still reads every block
        assertSameEntries(entries, drain(reader.scan(null, null, 1)));
    }

    @Test
    void blocksCompressedOnOtherThreadsGiveTheSameBytes() throws Exception {
        TreeMap<byte[], byte[]> entries = randomVersions(12, 3000);
        ByteArrayOutputStream inline = new ByteArrayOutputStream();
        SealedSegment a = SegmentTestData.write(entries, inline, 1024, 1, 2);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            ByteArrayOutputStream parallel = new ByteArrayOutputStream();
            SegmentWriter w = new SegmentWriter(parallel, 1024, SegmentWriter.DEFAULT_LEVEL, pool);
            entries.forEach(w::add);
            SealedSegment b = w.finish(1, 2);
            assertTrue(a.footer().blockCount() > SegmentWriter.MAX_PENDING * 4, a.footer().toString());
            assertEquals(a.name(), b.name());
            assertArrayEquals(inline.toByteArray(), parallel.toByteArray());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLargeIndexCostsOneMoreReadOnOpen() {
        TreeMap<byte[], byte[]> entries = randomVersions(5, 6000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // tiny blocks: thousands of index entries, more than the tail read holds
        SealedSegment sealed = SegmentTestData.write(entries, out, 64, 1, 2);
        assertTrue(sealed.footer().blockCount() * 40L > SegmentFormat.TAIL_READ, sealed.footer().toString());
        CountingStore store = new CountingStore(new MemoryStore());
        store.put("s", out.toByteArray());
        SegmentReader reader = SegmentReader.open(store, "s", sealed.size());
        assertEquals(2, store.rangedReads.get());
        assertSameEntries(entries, drain(reader.scan(null, null)));
    }

    @Test
    void identicalContentGetsTheSameNameAndDifferentContentAnother() {
        TreeMap<byte[], byte[]> entries = randomVersions(6, 500);
        SealedSegment a = SegmentTestData.write(entries, new ByteArrayOutputStream(), 1024, 1, 9);
        SealedSegment b = SegmentTestData.write(entries, new ByteArrayOutputStream(), 1024, 1, 9);
        assertEquals(a.name(), b.name());
        SealedSegment otherLsn = SegmentTestData.write(entries, new ByteArrayOutputStream(), 1024, 1, 10);
        assertNotEquals(a.name(), otherLsn.name());
    }

    @Test
    void anEntryLargerThanABlockAndEmptyValuesAreKept() {
        TreeMap<byte[], byte[]> entries = SegmentTestData.sorted();
        entries.put(new byte[] {1}, new byte[0]);
        entries.put(new byte[] {2}, new byte[200_000]);
        entries.put(new byte[] {2, 0}, new byte[] {42});
        entries.put(new byte[] {(byte) 0x80}, new byte[] {43}); // above 0x7f: unsigned order puts it last
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SegmentTestData.write(entries, out, 1024, 5, 5);
        MemoryStore store = new MemoryStore();
        store.put("s", out.toByteArray());
        assertSameEntries(entries, drain(SegmentReader.open(store, "s").scan(null, null)));
    }

    @Test
    void theWriterRefusesUnsortedDuplicateAndEmptyInput() {
        SegmentWriter w = new SegmentWriter(new ByteArrayOutputStream());
        w.add(new byte[] {5}, new byte[0]);
        assertThrows(IllegalArgumentException.class, () -> w.add(new byte[] {5}, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> w.add(new byte[] {4}, new byte[0]));
        w.add(new byte[] {(byte) 0x80}, new byte[0]);
        // 0x7f sorts before 0x80 unsigned (a signed comparison would take it)
        assertThrows(IllegalArgumentException.class, () -> w.add(new byte[] {(byte) 0x7f}, new byte[0]));
    }

    @Test
    void anEmptySegmentAndAnEmptyLsnRangeAreRefused() {
        assertThrows(IllegalStateException.class, () -> new SegmentWriter(new ByteArrayOutputStream()).finish(1, 1));
        SegmentWriter w = new SegmentWriter(new ByteArrayOutputStream());
        w.add(new byte[] {1}, new byte[] {1});
        assertThrows(IllegalArgumentException.class, () -> w.finish(5, 4));
    }

    @Test
    void memoryIsBoundedByABlock() throws IOException {
        // The writer hands each block to the stream as soon as it is full.
        int[] writes = {0};
        OutputStream counting = new OutputStream() {
            @Override
            public void write(int b) {
                writes[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes[0] += len;
            }
        };
        SegmentWriter w = new SegmentWriter(counting, 1024, SegmentWriter.DEFAULT_LEVEL);
        Random r = new Random(8);
        for (int i = 0; i < 100; i++) {
            byte[] v = new byte[100];
            r.nextBytes(v);
            w.add(SegmentTestData.versionKey(1, String.format("d%04d", i), 1, 1), v);
        }
        assertTrue(writes[0] > 100 * 100 - 1024 - 200, "at most one block is held back: " + writes[0]);
    }
}
