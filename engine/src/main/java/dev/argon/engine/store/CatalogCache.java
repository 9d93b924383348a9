package dev.argon.engine.store;

import dev.argon.wal.ReadView;
import dev.argon.wal.VersionStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bson.BsonDocument;

/**
 * Collection catalog entries of branch heads, so that a point read does not also pay a catalog seek and
 * decode. An entry read at point R is valid for a read at point P of the same branch when no catalog change
 * at all has been committed after min(R, P) ({@link VersionStore#lastCatalogLsn()}); any catalog commit anywhere
 * therefore invalidates everything, which is rare next to document writes. Head reads use it, and so do write
 * sessions (opened on the head) until they change the catalog or stage a chunk; time travel does not.
 * Thread-safe.
 */
final class CatalogCache {
    /** A collection that is known not to exist, cached too (a find on a missing collection is common). */
    private static final CollectionInfo MISSING = new CollectionInfo("", "", -1, new BsonDocument(), List.of(), null);
    /** Bounds memory when clients touch very many namespaces. */
    private static final int MAX_ENTRIES = 10_000;

    private record Key(int branchId, String db, String name) {}

    private record Entry(CollectionInfo info, long readLsn) {}

    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

    Scope forView(VersionStore wal, ReadView view) {
        return new Scope(wal, view);
    }

    /** The cache as seen from one head view. */
    final class Scope {
        private final VersionStore wal;
        private final ReadView view;

        Scope(VersionStore wal, ReadView view) {
            this.wal = wal;
            this.view = view;
        }

        /** A cached entry (MISSING for a known-absent collection), or null on a miss. */
        CollectionInfo get(String db, String name) {
            Entry e = entries.get(new Key(view.branchId(), db, name));
            if (e == null) {
                return null;
            }
            long last = wal.lastCatalogLsn();
            return last <= Math.min(e.readLsn(), view.readLsn()) ? e.info() : null;
        }

        void put(String db, String name, CollectionInfo info) {
            if (wal.lastCatalogLsn() > view.readLsn()) {
                return;
            }
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
            entries.put(new Key(view.branchId(), db, name), new Entry(info == null ? MISSING : info, view.readLsn()));
        }
    }
}
