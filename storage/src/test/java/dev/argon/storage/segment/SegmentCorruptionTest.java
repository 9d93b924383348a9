package dev.argon.storage.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.storage.object.MemoryStore;
import dev.argon.storage.object.ObjectStoreException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** Damaged segments are refused with an error that says what and where, never read as data. */
class SegmentCorruptionTest {

    private final TreeMap<byte[], byte[]> entries = SegmentTestData.goldenInput();
    private final byte[] good;
    private final MemoryStore store = new MemoryStore();

    SegmentCorruptionTest() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SegmentTestData.write(entries, out, SegmentTestData.GOLDEN_BLOCK_SIZE, 1, 2);
        good = out.toByteArray();
    }

    private SegmentReader openDamaged(byte[] bytes) {
        store.put("s", bytes);
        return SegmentReader.open(store, "s");
    }

    private ByteBuffer trailer(byte[] file) {
        return ByteBuffer.wrap(file, file.length - SegmentFormat.TRAILER_SIZE, SegmentFormat.TRAILER_SIZE).slice();
    }

    @Test
    void aFlippedByteInABlockIsAChecksumErrorNamingThatBlockAndOnlyThatBlock() {
        assertTrue(openDamaged(good).footer().blockCount() > 3);
        List<byte[]> keys = SegmentTestData.keys(entries);
        long indexOffset = trailer(good).getLong(SegmentFormat.T_INDEX_OFFSET);
        // blocks tile [0, indexOffset); damage a byte in the middle of the file's block area, then find which
        // block holds it by reading every key
        byte[] bad = good.clone();
        int at = (int) (indexOffset / 2);
        bad[at] ^= 0x01;
        SegmentReader reader = openDamaged(bad);
        int damaged = -1;
        int readable = 0;
        for (byte[] k : keys) {
            try {
                assertArrayEquals(entries.get(k), reader.get(k).orElseThrow());
                readable++;
            } catch (SegmentCorruptException e) {
                assertTrue(e.getMessage().contains("block " + e.block() + " at offset " + e.offset()), e.getMessage());
                assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
                assertEquals("s", e.segment());
                assertTrue(e.offset() <= at, "the damaged byte " + at + " lies in the named block at " + e.offset());
                if (damaged >= 0) {
                    assertEquals(damaged, e.block(), "all failures name the same block");
                }
                damaged = e.block();
            }
        }
        assertTrue(damaged > 0, "a read hit the damaged block");
        assertTrue(readable > keys.size() / 2, "the other blocks still read: " + readable);
        SegmentCorruptException scan = assertThrows(SegmentCorruptException.class,
                () -> reader.scan(null, null).forEachRemaining(e -> { }));
        assertEquals(damaged, scan.block());
    }

    @Test
    void aFlippedByteInTheIndexFailsOnOpen() {
        byte[] bad = good.clone();
        long indexOffset = trailer(good).getLong(SegmentFormat.T_INDEX_OFFSET);
        bad[(int) indexOffset + 10] ^= 0x40;
        SegmentCorruptException e = assertThrows(SegmentCorruptException.class, () -> openDamaged(bad));
        assertTrue(e.getMessage().contains("index checksum mismatch"), e.getMessage());
    }

    @Test
    void aFlippedByteInTheTrailerFailsOnOpen() {
        for (int field : new int[] {SegmentFormat.T_INDEX_OFFSET + 7, SegmentFormat.T_ENTRY_COUNT + 7, SegmentFormat.T_MAX_LSN + 7}) {
            byte[] bad = good.clone();
            bad[bad.length - SegmentFormat.TRAILER_SIZE + field] ^= 0x01;
            SegmentCorruptException e = assertThrows(SegmentCorruptException.class, () -> openDamaged(bad));
            assertTrue(e.getMessage().contains("trailer checksum mismatch"), e.getMessage());
        }
    }

    @Test
    void aTruncatedFileIsAClearError() {
        for (int cut : new int[] {1, 8, 63, 64, 65, 1000, good.length - 10}) {
            byte[] bad = Arrays.copyOf(good, good.length - cut);
            SegmentCorruptException e = assertThrows(SegmentCorruptException.class, () -> openDamaged(bad), "cut " + cut);
            assertTrue(e.getMessage().contains("truncated"), "cut " + cut + ": " + e.getMessage());
            assertTrue(e.getMessage().startsWith("segment s"), e.getMessage());
        }
        SegmentCorruptException empty = assertThrows(SegmentCorruptException.class, () -> openDamaged(new byte[0]));
        assertTrue(empty.getMessage().contains("truncated: 0 bytes"), empty.getMessage());
    }

    @Test
    void aFileShorterThanItsSizeSaysSoOnEveryRead() {
        store.put("s", good);
        SegmentReader reader = SegmentReader.open(store, "s", good.length);
        // the object is replaced by a shorter one after open: the block read comes back short
        store.put("s", Arrays.copyOf(good, 100));
        SegmentCorruptException e = assertThrows(SegmentCorruptException.class,
                () -> reader.get(SegmentTestData.keys(entries).get(entries.size() - 1)));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void anotherFormatVersionIsRefusedByName() {
        byte[] bad = good.clone();
        ByteBuffer t = ByteBuffer.wrap(bad, bad.length - SegmentFormat.TRAILER_SIZE, SegmentFormat.TRAILER_SIZE).slice();
        t.putInt(SegmentFormat.T_VERSION, 2);
        CRC32C crc = new CRC32C();
        crc.update(bad, bad.length - SegmentFormat.TRAILER_SIZE, SegmentFormat.T_TRAILER_CRC);
        t.putInt(SegmentFormat.T_TRAILER_CRC, (int) crc.getValue());
        SegmentCorruptException e = assertThrows(SegmentCorruptException.class, () -> openDamaged(bad));
        assertEquals("segment s has format version 2; this build reads version 1", e.getMessage());
    }

    @Test
    void aMissingSegmentIsNotFound() {
        ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> SegmentReader.open(store, "segments/none"));
        assertEquals(ObjectStoreException.Kind.NOT_FOUND, e.kind());
    }

    @Test
    void junkIsNotASegment() {
        byte[] junk = new byte[5000];
        new java.util.Random(1).nextBytes(junk);
        SegmentCorruptException e = assertThrows(SegmentCorruptException.class, () -> openDamaged(junk));
        assertTrue(e.getMessage().contains("not a segment"), e.getMessage());
    }
}
