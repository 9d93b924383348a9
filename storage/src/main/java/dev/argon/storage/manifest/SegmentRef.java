package dev.argon.storage.manifest;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One segment a manifest names.
 *
 * @param kind     what the segment archives, a word of {@code [a-z0-9-]} (the wal writes one kind per column
 *                 family: {@code log}, {@code versions}, {@code commits}, {@code times}, {@code meta},
 *                 {@code meta-state}); kinds are opaque to this module
 * @param name     lowercase hex SHA-256 of the segment's bytes; the object lives at {@code segments/<name>}
 * @param size     its length in bytes
 * @param entries  its entry count
 * @param minLsn   the smallest LSN its writer gave (inclusive)
 * @param maxLsn   the largest (inclusive)
 * @param minKey   its first key
 * @param maxKey   its last key
 *
 * <p>Immutable (the key arrays are copied in and out), so thread-safe.
 */
public record SegmentRef(String kind, String name, long size, long entries, long minLsn, long maxLsn, byte[] minKey,
                         byte[] maxKey) {

    /** Where every segment lives in an archive's store. */
    public static final String PREFIX = "segments/";

    public SegmentRef {
        Manifest.checkWord(kind, "segment kind");
        if (name == null || !name.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("segment name must be 64 lowercase hex digits: " + name);
        }
        if (size < 0 || entries < 0 || minLsn > maxLsn) {
            throw new IllegalArgumentException("segment " + name + " has a negative size or count or an empty LSN range");
        }
        minKey = Objects.requireNonNull(minKey).clone();
        maxKey = Objects.requireNonNull(maxKey).clone();
    }

    /** The object key: {@code segments/<name>}. */
    public String objectKey() {
        return PREFIX + name;
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
        return o instanceof SegmentRef r && kind.equals(r.kind) && name.equals(r.name) && size == r.size
                && entries == r.entries && minLsn == r.minLsn && maxLsn == r.maxLsn && Arrays.equals(minKey, r.minKey)
                && Arrays.equals(maxKey, r.maxKey);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + kind.hashCode();
    }

    @Override
    public String toString() {
        return "SegmentRef[" + kind + " " + name + ", " + size + " bytes, " + entries + " entries, lsn " + minLsn + ".."
                + maxLsn + ", keys " + HexFormat.of().formatHex(minKey) + ".." + HexFormat.of().formatHex(maxKey) + "]";
    }
}
