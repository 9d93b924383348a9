package dev.argon.engine.gc;

import dev.argon.wal.GcRequest;

/**
 * How history is reclaimed: the retention (time travel older than it goes; negative keeps everything), the reflog
 * window (how long a reset's abandoned range stays reachable through {@code name@point}), how often the
 * background pass runs (0: never; the {@code gc} command still works) and how long a pass waits for reads that
 * began before it. Immutable.
 */
public record GcSettings(long historyRetentionMillis, long reflogWindowMillis, long intervalMillis, long waitMillis) {
    /** Keep all history, reflog 7 days, a background pass every 10 minutes, wait up to 30 s for older reads. */
    public static final GcSettings DEFAULTS = new GcSettings(-1, GcRequest.DEFAULT_REFLOG_WINDOW_MILLIS, 10 * 60_000L, 30_000L);

    public GcSettings {
        if (reflogWindowMillis < 0 || intervalMillis < 0 || waitMillis < 0) {
            throw new IllegalArgumentException("GC windows and intervals must not be negative");
        }
    }
}
