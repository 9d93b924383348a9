package dev.argon.storage.segment;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * What a segment says about itself in its trailer and index: its key range, the LSN range its writer gave
 * (both ends inclusive), how many entries and blocks it holds, and its format version.
 *
 * <p>Immutable (the key arrays are copied in and out), so thread-safe.
 */
public record SegmentFooter(int formatVersion, long entryCount, int blockCount, byte[] minKey, byte[] maxKey,
                            long minLsn, long maxLsn) {

    public SegmentFooter {
        minKey = minKey.clone();
        maxKey = maxKey.clone();
    }

    @Override
    public byte[] minKey() {
        return minKey.clone();
    }

    @Override
    public byte[] maxKey() {
        return maxKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentFooter f && formatVersion == f.formatVersion && entryCount == f.entryCount
                && blockCount == f.blockCount && Arrays.equals(minKey, f.minKey) && Arrays.equals(maxKey, f.maxKey)
                && minLsn == f.minLsn && maxLsn == f.maxLsn;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(entryCount) * 31 + Arrays.hashCode(minKey) * 17 + Long.hashCode(maxLsn);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "SegmentFooter[v" + formatVersion + ", " + entryCount + " entries in " + blockCount + " blocks, keys "
                + hex.formatHex(minKey) + ".." + hex.formatHex(maxKey) + ", lsn " + minLsn + ".." + maxLsn + "]";
    }
}
