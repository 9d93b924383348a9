package dev.argon.wal;

/**
 * Where compacted history is and how it is doing, measured when asked ({@link VersionStore#tierUsage}):
 * {@code argonStorage}'s {@code tier} section.
 *
 * @param location       the tier's URL as the catalog records it ({@link TierConfig#LOCAL} for {@code <data>/objects})
 * @param segments       segments the tier catalog lists (versions and log segments)
 * @param segmentBytes   their bytes (what the catalog's stubs read from)
 * @param storeObjects   segments under {@code tier/segments/} in the tier's store (a pass killed before its batch leaves one
 *                       the catalog does not list, so this may exceed {@code segments})
 * @param storeBytes     their bytes
 * @param cacheBytes     bytes of segment data held in the local cache now
 * @param cacheLimit     the cache's budget ({@code --cache-size})
 * @param cacheReads     ranged segment reads served since the server started, and {@code cacheMisses} those
 *                       that went to the store
 * @param cacheMisses    see {@code cacheReads}
 * @param stubs          stub entries in {@code versions} (one per run of moved versions of one group); -1 when not
 *                       counted
 * @param cutoffLsn      the highest cutoff a pass used (0 before the first pass that moved something)
 * @param lastPassMillis when the last pass since the server started ended (epoch millis), 0 if none
 * @param lastPass       what it did, or null
 */
public record TierUsage(String location, long segments, long segmentBytes, long storeObjects, long storeBytes,
                        long cacheBytes, long cacheLimit, long cacheReads, long cacheMisses, long stubs, long cutoffLsn,
                        long lastPassMillis, TierReport lastPass) {

    /** The same figures with the stub count a scan of {@code versions} found. */
    public TierUsage withStubs(long count) {
        return new TierUsage(location, segments, segmentBytes, storeObjects, storeBytes, cacheBytes, cacheLimit,
                cacheReads, cacheMisses, count, cutoffLsn, lastPassMillis, lastPass);
    }
}
