package dev.argon.storage.segment;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Keys shaped like the wal's versions ({@code userKey ‖ ~branchId:4 ‖ ~lsn:8}) and segments built from them. */
final class SegmentTestData {

    private SegmentTestData() {
    }

    /** {@code 'D' ‖ collectionId:8 ‖ docId ‖ ~branchId:4 ‖ ~lsn:8}. */
    static byte[] versionKey(long collectionId, String docId, int branchId, long lsn) {
        byte[] doc = docId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 8 + doc.length + 4 + 8).put((byte) 'D').putLong(collectionId).put(doc)
                .putInt(~branchId).putLong(~lsn).array();
    }

    /** Entries in unsigned key order. */
    static TreeMap<byte[], byte[]> sorted() {
        return new TreeMap<>(Arrays::compareUnsigned);
    }

    /**
     * The fixed input of the version-1 golden segment: 60 documents with 2 to 4 versions each on branches 1
     * and 2, at LSNs 1000 upwards, with small document-like values.
     */
    static TreeMap<byte[], byte[]> goldenInput() {
        TreeMap<byte[], byte[]> entries = sorted();
        long lsn = 1000;
        for (int d = 0; d < 60; d++) {
            for (int v = 0; v < 2 + d % 3; v++) {
                int branch = v % 2 == 0 ? 1 : 2;
                String value = "{_id: \"doc-" + d + "\", v: " + v + ", branch: " + branch + ", pad: \""
                        + "x".repeat(d % 7 * 5) + "\"}";
                entries.put(versionKey(7, String.format("doc-%03d", d), branch, lsn++), value.getBytes(StandardCharsets.UTF_8));
            }
        }
        return entries;
    }

    static final long GOLDEN_MIN_LSN = 1000;

    /** The golden input's last LSN: 60 documents with 2, 3, 4, 2, 3, 4, ... versions. */
    static final long GOLDEN_MAX_LSN = 1000 + 20 * (2 + 3 + 4) - 1;

    /** 512-byte blocks, so the small golden segment has several blocks and a real index. */
    static final int GOLDEN_BLOCK_SIZE = 512;

    static SealedSegment write(Map<byte[], byte[]> entries, ByteArrayOutputStream out, int blockSize, long minLsn, long maxLsn) {
        SegmentWriter w = new SegmentWriter(out, blockSize, SegmentWriter.DEFAULT_LEVEL);
        for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
            w.add(e.getKey(), e.getValue());
        }
        return w.finish(minLsn, maxLsn);
    }

    static List<byte[]> keys(Map<byte[], byte[]> entries) {
        return List.copyOf(entries.keySet());
    }
}
