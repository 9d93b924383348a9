package dev.argon.wal;

/**
 * One segment rewrite pass ({@link VersionStore#mergeSegments}).
 *
 * @param segmentBytes  stored (compressed) bytes per new segment before it is cut (about; a new segment stops at the
 *                      first block past it)
 * @param smallBytes    a segment stored in fewer bytes than this is small: merged with others. Both sizes are of
 *                      stored bytes, so that a merged segment is never small itself and the next pass leaves it alone
 * @param sparseShare   with {@code examine}, a segment at least this share of whose entries are dead (no stub covers a
 *                      version; GC reclaimed a log entry) is rewritten without them, even alone
 * @param examine       read every segment to count its dead entries (a read of the whole tier); false: read only the
 *                      small ones, which are rewritten anyway
 * @param minSmall      do nothing unless more than this many segments (of one kind) are small, or examine is on
 * @param waitMillis    how long to wait for reads that began before the new catalog before the old segments leave
 *                      the read path (they stay on it, harmlessly, until a later pass when the wait runs out)
 */
public record MergeRequest(long segmentBytes, long smallBytes, double sparseShare, boolean examine, int minSmall,
                           long waitMillis) {
    /**
     * About 16 MiB stored per merged segment: a compaction pass's full chunk ({@link TierRequest#DEFAULT_SEGMENT_BYTES}
     * of entries) is stored in about that, so merging brings the short ones up to its size.
     */
    public static final long DEFAULT_SEGMENT_BYTES = 16L << 20;
    /** Half of a segment's entries dead: rewriting it at least halves what reads and the store keep of it. */
    public static final double DEFAULT_SPARSE_SHARE = 0.5;

    public MergeRequest {
        if (segmentBytes <= 0 || smallBytes < 0 || sparseShare <= 0 || sparseShare > 1 || minSmall < 0 || waitMillis < 0) {
            throw new IllegalArgumentException("bad merge request: segmentBytes " + segmentBytes + ", smallBytes "
                    + smallBytes + ", sparseShare " + sparseShare + ", minSmall " + minSmall + ", waitMillis " + waitMillis);
        }
    }

    /** Segments of about {@code segmentBytes} stored; small below a quarter of that; dead entries counted when examine. */
    public static MergeRequest of(long segmentBytes, boolean examine, int minSmall) {
        return new MergeRequest(segmentBytes, segmentBytes / 4, DEFAULT_SPARSE_SHARE, examine, minSmall, 10_000);
    }

    /** The defaults: {@link #DEFAULT_SEGMENT_BYTES}, a quarter of it small, half dead sparse. */
    public static MergeRequest of(boolean examine, int minSmall) {
        return of(DEFAULT_SEGMENT_BYTES, examine, minSmall);
    }
}
