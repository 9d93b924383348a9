package dev.argon.wal;

import dev.argon.storage.object.LocalFolderStore;
import dev.argon.storage.object.ObjectStore;
import dev.argon.wal.tier.SegmentCache;
import dev.argon.wal.tier.TierSegments;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a data directory's compacted history lives and how much of it is cached locally.
 *
 * @param store      the tier's object store (segments under {@code tier/segments/}); null: the local folder
 *                   {@code <data-dir>/objects}, which the WAL then owns and closes
 * @param cacheBytes budget of the segment cache ({@code --cache-size})
 */
public record TierConfig(ObjectStore store, long cacheBytes) {
    public static final TierConfig DEFAULT = new TierConfig(null, SegmentCache.DEFAULT_BYTES);

    static ColdVersions attach(TierConfig c, Path dataDir, List<TierSegment> segments) {
        TierConfig cfg = c == null ? DEFAULT : c;
        ObjectStore s = cfg.store() != null ? cfg.store()
                : new LocalFolderStore(dataDir.resolve(StorageUsage.OBJECT_FOLDER));
        return new TierSegments(s, new SegmentCache(cfg.cacheBytes()), segments);
    }

    /** Closes the store when the WAL opened it itself (the default folder). */
    static void close(ColdVersions cold, TierConfig c) {
        if (cold != ColdVersions.NONE && (c == null || c.store() == null)) {
            cold.store().close();
        }
    }
}
