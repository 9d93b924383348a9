package dev.argon.engine.gc;

import dev.argon.wal.TierConfig;
import dev.argon.wal.archive.ArchiveLocation;
import java.nio.file.Path;

/**
 * How history is compacted into the tier (docs/ARCHITECTURE.md, "History compaction and the tier"): the hot window
 * (history younger than it stays in RocksDB), how often the background pass runs (0: never; the
 * {@code compactHistory} command still works), the segment cache's budget in bytes and where the tier's segments
 * live ({@code argon serve --tier}; null: the folder {@code <data-dir>/objects}). Immutable.
 */
public record TierSettings(long hotWindowMillis, long intervalMillis, long cacheBytes, ArchiveLocation tier) {
    /** A one-hour hot window (issue 12), a pass every 10 minutes, a 256 MiB cache, the tier in the data directory. */
    public static final TierSettings DEFAULTS = new TierSettings(3_600_000L, 10 * 60_000L,
            dev.argon.wal.tier.SegmentCache.DEFAULT_BYTES);

    /** The tier in {@code <data-dir>/objects}. */
    public TierSettings(long hotWindowMillis, long intervalMillis, long cacheBytes) {
        this(hotWindowMillis, intervalMillis, cacheBytes, null);
    }

    public TierSettings {
        if (hotWindowMillis < 0 || intervalMillis < 0 || cacheBytes < 0) {
            throw new IllegalArgumentException("the hot window, compaction interval and cache size must not be negative");
        }
    }

    /** No background pass (a read-only node: its directory stays as the restore made it). */
    public TierSettings withoutBackground() {
        return new TierSettings(hotWindowMillis, 0, cacheBytes, tier);
    }

    /** The same settings with the tier's segments in {@code where} (null: {@code <data-dir>/objects}). */
    public TierSettings withTier(ArchiveLocation where) {
        return new TierSettings(hotWindowMillis, intervalMillis, cacheBytes, where);
    }

    /**
     * The WAL's view of these settings: the store opened (a bucket created when the location allows it), named in
     * the tier catalog by its URL, or the default folder when {@code tier} is null or names that very folder.
     */
    public TierConfig walConfig(Path dataDir) {
        if (tier == null) {
            return new TierConfig(null, cacheBytes);
        }
        String url = tier.url();
        if (url.startsWith("file:")) {
            Path folder = Path.of(java.net.URI.create(url)).toAbsolutePath().normalize();
            if (folder.equals(dataDir.resolve(dev.argon.wal.StorageUsage.OBJECT_FOLDER).toAbsolutePath().normalize())) {
                return new TierConfig(null, cacheBytes);
            }
            url = folder.toUri().toString();
        }
        while (url.endsWith("/") && !url.endsWith("://")) {
            url = url.substring(0, url.length() - 1);
        }
        return TierConfig.owned(tier.open(true), cacheBytes, url);
    }
}
