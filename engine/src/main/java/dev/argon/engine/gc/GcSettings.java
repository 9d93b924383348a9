package dev.argon.engine.gc;

import dev.argon.wal.GcRequest;
import dev.argon.wal.TierGcRequest;

/**
 * How history is reclaimed: the retention (time travel older than it goes; negative keeps everything), the reflog
 * window (how long a reset's abandoned range stays reachable through {@code name@point}), how often the
 * background pass runs (0: never; the {@code gc} command still works) and how long a pass waits for reads that
 * began before it; for the tier's objects, the grace period before an unnamed segment goes ({@code argon serve
 * --tier-grace}) and how many of the newest tier manifests stay ({@code --tier-keep-manifests}). Immutable.
 */
public record GcSettings(long historyRetentionMillis, long reflogWindowMillis, long intervalMillis, long waitMillis,
                         long tierGraceMillis, int tierKeepManifests) {
    /**
     * Keep all history, reflog 7 days, a background pass every 10 minutes, wait up to 30 s for older reads, tier
     * objects after an hour, three tier manifests.
     */
    public static final GcSettings DEFAULTS = new GcSettings(-1, GcRequest.DEFAULT_REFLOG_WINDOW_MILLIS, 10 * 60_000L, 30_000L);

    /** With the tier's defaults (one hour's grace, three manifests). */
    public GcSettings(long historyRetentionMillis, long reflogWindowMillis, long intervalMillis, long waitMillis) {
        this(historyRetentionMillis, reflogWindowMillis, intervalMillis, waitMillis, TierGcRequest.DEFAULT_GRACE_MILLIS,
                TierGcRequest.DEFAULT_KEEP_MANIFESTS);
    }

    public GcSettings {
        if (reflogWindowMillis < 0 || intervalMillis < 0 || waitMillis < 0 || tierGraceMillis < 0) {
            throw new IllegalArgumentException("GC windows, grace periods and intervals must not be negative");
        }
        if (tierKeepManifests < 1) {
            throw new IllegalArgumentException("the tier keeps at least its newest manifest, not " + tierKeepManifests);
        }
    }

    /** The same settings with the tier's grace period and manifest count. */
    public GcSettings withTier(long graceMillis, int keepManifests) {
        return new GcSettings(historyRetentionMillis, reflogWindowMillis, intervalMillis, waitMillis, graceMillis, keepManifests);
    }
}
