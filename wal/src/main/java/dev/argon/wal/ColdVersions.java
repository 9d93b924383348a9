package dev.argon.wal;

/**
 * Versions that history compaction moved out of RocksDB into segments of the tier's object store, as the read
 * path asks for them: a key of the {@code versions} layout in, the stored {@code flag | payload} value out. Only
 * consulted after a read met a stub in {@code versions} ({@link VersionKeys#STUB}), so a read at a head never
 * calls it. Implementations ({@code dev.argon.wal.tier.TierSegments}) are thread-safe.
 */
public interface ColdVersions {

    /**
     * The first cold entry with {@code from <= key <= lastInclusive} in key order as {@code {key, value}}, or null.
     * With {@code from = userKey | ~branch | ~bound} and {@code lastInclusive} the group's end, this is the newest
     * cold version of that branch at or below bound.
     */
    byte[][] ceiling(byte[] from, byte[] lastInclusive);

    /**
     * Every cold entry with {@code from <= key <= toInclusive}, in key order, each key once (a key stored by two
     * passes' segments is the same version): what a backup writes for a stub's run.
     */
    java.util.List<byte[][]> range(byte[] from, byte[] toInclusive);

    /**
     * The entries of one segment from the first key at or above {@code from}, in key order, read lazily through
     * the cache: how the log's segments (which the version lookups above never consult) are read.
     */
    java.util.Iterator<byte[][]> scan(TierSegment segment, byte[] from);

    /**
     * As {@link #scan(TierSegment, byte[])} ({@code from} null: the whole segment), but fetching consecutive blocks
     * together, about {@code readahead} stored bytes per ranged read, past the cache: how a backup streams
     * whole segments ({@link ColdMerge}).
     */
    default java.util.Iterator<byte[][]> scan(TierSegment segment, byte[] from, int readahead) {
        return scan(segment, from == null ? new byte[0] : from);
    }

    /** Adds segments a compaction pass stored, before the batch that makes their stubs visible is written. */
    void add(java.util.List<TierSegment> segments);

    /**
     * Keeps on the read path only the segments with these names (the tier catalog's, after a segment rewrite pass
     * replaced some); the others' objects stay in the store.
     */
    void retain(java.util.Set<String> names);

    /** The segments it reads, in the order they were added. */
    java.util.List<TierSegment> segments();

    /** The object store its segments live in, where a compaction pass stores new ones. */
    dev.argon.storage.object.ObjectStore store();

    /** The tier's name as the tier catalog records it ({@link TierConfig#location()}), or null. */
    default String location() {
        return null;
    }

    /** The local cache's budget in bytes. */
    default long cacheLimit() {
        return 0;
    }

    /** Bytes of segment data held in its local cache now. */
    long cachedBytes();

    /** Reads served, and those of them that needed a fetch from the store (a cache miss). */
    long[] readsAndMisses();

    /** No tier: a stub met without one is a damaged directory, reported as such. */
    ColdVersions NONE = new ColdVersions() {
        @Override
        public byte[][] ceiling(byte[] from, byte[] lastInclusive) {
            throw new WalException("a version of this key lives in a history segment, but no tier store is attached",
                    VersionKeys.branchId(from), VersionKeys.lsn(from), null);
        }

        @Override
        public java.util.List<byte[][]> range(byte[] from, byte[] toInclusive) {
            ceiling(from, toInclusive);
            return java.util.List.of();
        }

        @Override
        public java.util.Iterator<byte[][]> scan(TierSegment segment, byte[] from) {
            throw new WalException("log entries live in a history segment, but no tier store is attached", -1,
                    segment.minLsn(), null);
        }

        @Override
        public void add(java.util.List<TierSegment> segments) {
            throw new IllegalStateException("no tier store is attached");
        }

        @Override
        public void retain(java.util.Set<String> names) {
            // Nothing is on the read path.
        }

        @Override
        public java.util.List<TierSegment> segments() {
            return java.util.List.of();
        }

        @Override
        public dev.argon.storage.object.ObjectStore store() {
            throw new IllegalStateException("no tier store is attached");
        }

        @Override
        public long cachedBytes() {
            return 0;
        }

        @Override
        public long[] readsAndMisses() {
            return new long[2];
        }
    };
}
