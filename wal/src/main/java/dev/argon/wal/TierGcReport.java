package dev.argon.wal;

import java.util.List;

/**
 * What one GC pass over the tier's objects found and did ({@link TierGc}). Immutable.
 *
 * @param dryRun          whether it only looked
 * @param graceMillis     the grace period it used
 * @param manifests       tier manifests kept (read, and naming live segments)
 * @param referenced      distinct segments the catalog and the kept manifests name
 * @param referencedBytes their bytes
 * @param removed         objects removed (or, in a dry run, to be removed): segments nothing names, older than the grace
 * @param removedBytes    their bytes
 * @param young           unnamed segments kept because they are younger than the grace period
 * @param youngBytes      their bytes
 * @param retired         sequences of the manifests retired (or to be) beyond the newest kept ones
 * @param skipped         why nothing was deleted (a manifest that does not read, or of another directory), or null
 * @param millis          wall time taken
 */
public record TierGcReport(boolean dryRun, long graceMillis, int manifests, int referenced, long referencedBytes, long removed,
                           long removedBytes, long young, long youngBytes, List<Long> retired, String skipped, long millis) {
    public TierGcReport {
        retired = List.copyOf(retired);
    }

    /** A directory without a tier: nothing to look at. */
    static TierGcReport none(TierGcRequest r) {
        return new TierGcReport(r.dryRun(), r.graceMillis(), 0, 0, 0, 0, 0, 0, 0, List.of(), null, 0);
    }
}
