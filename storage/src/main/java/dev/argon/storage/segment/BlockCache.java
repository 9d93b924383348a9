package dev.argon.storage.segment;

/**
 * Decoded blocks kept between reads ({@link SegmentReader#open(dev.argon.storage.object.ObjectStore, String, long,
 * BlockCache)}): a reader asks it before fetching a block and offers it each block it decoded. Segments are
 * immutable and named by content, so a kept block never goes stale. Implementations are thread-safe.
 */
public interface BlockCache {
    /** Block {@code number} of the segment stored under {@code segmentKey}, or null. */
    DecodedBlock get(String segmentKey, int number);

    /** Offers a block just decoded; the cache may drop it at once (larger than its budget) or later (LRU). */
    void put(String segmentKey, int number, DecodedBlock block);
}
