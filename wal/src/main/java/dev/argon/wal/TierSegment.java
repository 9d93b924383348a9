package dev.argon.wal;

/**
 * One segment of compacted history in the tier's object store, as the tier catalog records it: stored under
 * {@code tier/segments/<name>}; its entries are {@code versions} keys and values in key order.
 *
 * @param name    lowercase hex SHA-256 of the segment's bytes
 * @param size    its length in bytes
 * @param entries versions it holds
 * @param minLsn  lowest LSN of a version in it (inclusive)
 * @param maxLsn  highest LSN of a version in it (inclusive)
 * @param minKey  its first key
 * @param maxKey  its last key
 */
public record TierSegment(String name, long size, long entries, long minLsn, long maxLsn, byte[] minKey, byte[] maxKey) {
    /** Object key prefix of the tier's segments in its store. */
    public static final String PREFIX = "tier/segments/";

    public String objectKey() {
        return PREFIX + name;
    }
}
