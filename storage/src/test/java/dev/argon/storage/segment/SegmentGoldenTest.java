package dev.argon.storage.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.storage.object.MemoryStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Format version 1, frozen: the segment built from fixed input must have exactly the bytes of the checked-in
 * golden file (and so its SHA-256), and the reader must read that file. A change that breaks this is a new
 * format version with a golden file of its own, not an edit of this one. (A zstd upgrade that compresses the
 * same blocks differently would change the bytes but not what they decode to: then the byte assertion may be
 * re-pinned, the read assertion never.)
 *
 * <p>Regenerate (for a new version only): {@code mvn -pl storage test -Dtest=SegmentGoldenTest
 * -Dargon.segment.writeGolden=<path of the new file>}.
 */
class SegmentGoldenTest {

    private static final String GOLDEN = "/segment/v1/golden.seg";

    /** The SHA-256 of the golden file: the name the version-1 writer gives this input. */
    private static final String GOLDEN_SHA256 = "2fa48d057573469cbe9e029a7fc0a84214468f675997db89efd5ffa8d80aa160";

    private static byte[] golden() throws IOException {
        try (InputStream in = SegmentGoldenTest.class.getResourceAsStream(GOLDEN)) {
            assertNotNull(in, GOLDEN + " is missing");
            return in.readAllBytes();
        }
    }

    @Test
    void theWriterProducesTheGoldenBytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SealedSegment sealed = SegmentTestData.write(SegmentTestData.goldenInput(), out, SegmentTestData.GOLDEN_BLOCK_SIZE,
                SegmentTestData.GOLDEN_MIN_LSN, SegmentTestData.GOLDEN_MAX_LSN);
        String target = System.getProperty("argon.segment.writeGolden");
        if (target != null && !target.isBlank()) {
            Files.write(Path.of(target), out.toByteArray());
        }
        assertEquals(GOLDEN_SHA256, sealed.name());
        assertArrayEquals(golden(), out.toByteArray());
    }

    @Test
    void theReaderReadsTheGoldenFile() throws IOException {
        byte[] file = golden();
        MemoryStore store = new MemoryStore();
        store.put("segments/" + GOLDEN_SHA256, file);
        SegmentReader reader = SegmentReader.open(store, "segments/" + GOLDEN_SHA256);
        TreeMap<byte[], byte[]> expected = SegmentTestData.goldenInput();

        SegmentFooter f = reader.footer();
        assertEquals(1, f.formatVersion());
        assertEquals(expected.size(), f.entryCount());
        assertTrue(f.blockCount() > 3, "the golden file has several blocks: " + f);
        assertArrayEquals(expected.firstKey(), f.minKey());
        assertArrayEquals(expected.lastKey(), f.maxKey());
        assertEquals(SegmentTestData.GOLDEN_MIN_LSN, f.minLsn());
        assertEquals(SegmentTestData.GOLDEN_MAX_LSN, f.maxLsn());

        List<SegmentEntry> all = new ArrayList<>();
        reader.scan(null, null).forEachRemaining(all::add);
        assertEquals(expected.size(), all.size());
        int i = 0;
        for (Map.Entry<byte[], byte[]> e : expected.entrySet()) {
            assertArrayEquals(e.getKey(), all.get(i).key());
            assertArrayEquals(e.getValue(), all.get(i).value());
            i++;
        }
        // doc 42 is the first of its group of three documents (2, 3, 4 versions): its first version is at
        // LSN 1000 + 14 * 9 on branch 1
        byte[] some = SegmentTestData.versionKey(7, "doc-042", 1, 1126);
        assertArrayEquals(expected.get(some), reader.get(some).orElseThrow());
        assertTrue(new String(reader.get(some).orElseThrow(), java.nio.charset.StandardCharsets.UTF_8).startsWith("{_id: \"doc-42\", v: 0,"));
    }
}
