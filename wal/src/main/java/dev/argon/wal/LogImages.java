package dev.argon.wal;

import java.nio.charset.StandardCharsets;
import org.bson.BsonDocument;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Reads what a log entry no longer repeats: its images from the {@code versions} family and its time, actor and
 * comment from its commit record. Shared by the live {@link Wal} and the offline {@link WalInspector}; every read is a
 * point read or one seek, whatever the history. Thread-safe (RocksDB and the branch registry are).
 */
final class LogImages {
    /**
     * The commit fields of branch id's entries in {@code [startLsn, endLsn]} (a streamed commit's range also holds
     * other branches' entries, which are not its own). Immutable.
     */
    record Commit(int branchId, long startLsn, long endLsn, long time, String actor, String comment) {
        static final Commit NONE = new Commit(0, 1, 0, 0, null, null);

        boolean contains(int branch, long lsn) {
            return branch == branchId && startLsn <= lsn && lsn <= endLsn;
        }
    }

    private final WalDb db;
    private final BranchRegistry branches;
    /** The versioned reads of whoever owns this (the live WAL or the inspector), with their iterator reuse. */
    private final VersionSource versions;

    LogImages(WalDb db, BranchRegistry branches, VersionSource versions) {
        this.db = db;
        this.branches = branches;
        this.versions = versions;
    }

    /** The payload userKey was given by branchId at exactly lsn, as a document; null for a tombstone. */
    BsonDocument writtenAt(byte[] userKey, int branchId, long lsn) {
        byte[] value;
        try {
            value = exact(db, VersionKeys.key(userKey, branchId, lsn));
        } catch (RocksDBException e) {
            throw new WalException("cannot read the image of a log entry: " + e.getMessage(), branchId, lsn, e);
        }
        if (value == null) {
            throw new WalException("the version holding the image of the log entry is missing", branchId, lsn, null);
        }
        return VersionKeys.isTombstone(value) ? null : Bson.document(VersionKeys.payload(value));
    }

    /**
     * The stored value of the version under exactly key, local or compacted, or null.
     */
    /*
     * The version stored under exactly key when compaction moved it into the tier's segments: the nearest entry
     * at or below it in its group is a stub covering its LSN. Null when no stub covers it (GC removed it).
     */
    static byte[] exact(WalDb db, byte[] key) throws RocksDBException {
        byte[] value = db.db().get(db.versions(), key);
        return value == null || VersionKeys.isStub(value) ? coldExact(db, key) : value;
    }

    private static byte[] coldExact(WalDb db, byte[] key) {
        try (RocksIterator it = db.db().newIterator(db.versions())) {
            it.seek(key);
            if (!it.isValid() || !VersionKeys.sameGroup(it.key(), key) || !VersionKeys.isStub(it.value())
                    || VersionKeys.stubHigh(it.value()) < VersionKeys.lsn(key)) {
                return null;
            }
        }
        byte[][] found = db.cold().ceiling(key, key);
        return found == null ? null : found[1];
    }

    /** The version of userKey that branchId saw just before lsn, as a document; null if none or deleted. */
    BsonDocument visibleBefore(byte[] userKey, int branchId, long lsn) {
        byte[] payload = versions.get(branches.view(branchId, lsn - 1), userKey);
        return payload == null ? null : Bson.document(payload);
    }

    /**
     * The commit holding lsn on branchId, or {@link Commit#NONE} if there is none (the unpublished chunks of a
     * streamed commit, or a damaged directory). Per branch id: a streamed commit's range holds other branches'
     * entries too.
     */
    Commit commitOf(int branchId, long lsn) {
        try (RocksIterator it = db.db().newIterator(db.commits())) {
            // The branch id's commit with the lowest end at or above lsn: the one holding it, if any does.
            it.seek(HistoryReader.commitKey(branchId, lsn));
            if (!it.isValid() || it.key().length != 12 || Bytes.getInt(it.key(), 0) != branchId) {
                WalInspector.status(it);
                return Commit.NONE;
            }
            long end = Bytes.getLong(it.key(), 4);
            BsonDocument c = Bson.document(it.value());
            long start = c.getInt64("startLsn").getValue();
            if (start > lsn) {
                return Commit.NONE;
            }
            return new Commit(branchId, start, end, c.getInt64("time").getValue(), c.isString("actor") ? c.getString("actor").getValue() : null,
                    c.isString("comment") ? c.getString("comment").getValue() : null);
        }
    }
}
