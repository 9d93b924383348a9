package dev.argon.wal;

/**
 * One GC pass over the tier's objects as asked ({@link TierGc}).
 *
 * @param graceMillis   an object no catalog or kept manifest names is removed only when written at least this long
 *                      before {@code nowMillis}; a retired manifest's successor must be at least this old too
 * @param keepManifests how many of the newest tier manifests are kept (at least 1); older ones are retired
 * @param nowMillis     the pass's clock (tests pass a later one to cross the grace period)
 * @param dryRun        count what would go, delete nothing
 */
public record TierGcRequest(long graceMillis, int keepManifests, long nowMillis, boolean dryRun) {
    /** One hour: longer than any pass takes between storing a segment and publishing the manifest naming it. */
    public static final long DEFAULT_GRACE_MILLIS = 3_600_000L;
    /** The newest three manifests stay (a reader that took one has until two more changes plus the grace). */
    public static final int DEFAULT_KEEP_MANIFESTS = 3;

    public TierGcRequest {
        if (graceMillis < 0) {
            throw new IllegalArgumentException("the tier's grace period cannot be negative: " + graceMillis + " ms");
        }
        if (keepManifests < 1) {
            throw new IllegalArgumentException("the tier keeps at least its newest manifest, not " + keepManifests);
        }
    }
}
