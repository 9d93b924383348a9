package dev.argon.wal;

/**
 * What one segment rewrite pass did ({@link VersionStore#mergeSegments}); all counts cover both kinds of segment
 * (versions and log), the log's share given apart.
 *
 * @param segmentsMerged    segments the catalog no longer names (replaced by the new ones, or wholly dead)
 * @param segmentsWritten   new segments stored and named in their place
 * @param entriesKept       entries copied into the new segments
 * @param entriesDropped    entries of the replaced segments left out: versions no stub covers, log entries GC reclaimed
 * @param bytesBefore       stored bytes of the replaced segments
 * @param bytesAfter        stored bytes of the new segments
 * @param totalSegments     segments the catalog names after the pass (both kinds)
 * @param logSegmentsMerged of segmentsMerged, the log's
 * @param retired           whether the replaced segments have left the read path (false: reads that began before the
 *                          new catalog were still open after the wait; a later pass retires them)
 * @param millis            wall time of the pass
 */
public record MergeReport(long segmentsMerged, long segmentsWritten, long entriesKept, long entriesDropped, long bytesBefore,
                          long bytesAfter, long totalSegments, long logSegmentsMerged, boolean retired, long millis) {
    /** A pass that found nothing to rewrite. */
    static MergeReport nothing(long totalSegments, long millis) {
        return new MergeReport(0, 0, 0, 0, 0, 0, totalSegments, 0, true, millis);
    }
}
