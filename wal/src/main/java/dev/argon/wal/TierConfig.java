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
 * @param location   how the tier is named in the tier catalog ({@code s3://bucket/prefix}, {@code file:///path},
 *                   or {@link #LOCAL} for {@code <data-dir>/objects}); a directory whose catalog lists segments
 *                   refuses to open with another location, since its history would be unreachable. Null: not
 *                   checked and not recorded (a store a test hands in)
 * @param ownsStore  whether the WAL closes {@code store} when it closes
 */
public record TierConfig(ObjectStore store, long cacheBytes, String location, boolean ownsStore) {
    /** The catalog's name for the default tier, the folder {@code <data-dir>/objects}. */
    public static final String LOCAL = "local";
    public static final TierConfig DEFAULT = new TierConfig(null, SegmentCache.DEFAULT_BYTES);

    /** A store the caller keeps and closes, not checked against the catalog; null store: the default folder. */
    public TierConfig(ObjectStore store, long cacheBytes) {
        this(store, cacheBytes, store == null ? LOCAL : null, false);
    }

    /** A store the WAL closes, recorded in the catalog as {@code location}. */
    public static TierConfig owned(ObjectStore store, long cacheBytes, String location) {
        return new TierConfig(store, cacheBytes, location, true);
    }

    static ColdVersions attach(TierConfig c, Path dataDir, List<TierSegment> segments) {
        TierConfig cfg = c == null ? DEFAULT : c;
        ObjectStore s = cfg.store() != null ? cfg.store()
                : new LocalFolderStore(dataDir.resolve(StorageUsage.OBJECT_FOLDER));
        return new TierSegments(s, new SegmentCache(cfg.cacheBytes()), segments, cfg.location());
    }

    /**
     * Refuses a tier other than the one the catalog records while the catalog lists segments: the stubs in
     * {@code versions} stand for versions only that store holds, and the log below its cutoff is only there.
     */
    static void check(TierConfig c, TierCatalog catalog) {
        String wanted = (c == null ? DEFAULT : c).location();
        if (wanted == null || !catalog.tiered()) {
            return;
        }
        String recorded = catalog.location() == null ? LOCAL : catalog.location();
        if (!recorded.equals(wanted)) {
            throw new TierMismatchException("this data directory's compacted history (" + (catalog.segments().size() + catalog.logSegments().size())
                    + " segments) lives in the tier " + describe(recorded) + ", not " + describe(wanted)
                    + ": start it with " + (LOCAL.equals(recorded) ? "no --tier (or --tier <data>/objects)" : "--tier " + recorded)
                    + ", or its old versions would be unreachable");
        }
    }

    private static String describe(String location) {
        return LOCAL.equals(location) ? "<data>/objects" : location;
    }

    /**
     * Closes the store when the WAL opened it itself (the default folder) or was given it to own. A WAL that failed
     * to open leaves an owned store to its caller.
     */
    static void close(ColdVersions cold, TierConfig c) {
        if (cold != ColdVersions.NONE && (c == null || c.store() == null || c.ownsStore())) {
            cold.store().close();
        }
    }
}
