package dev.argon.wal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bson.BsonBinaryReader;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.DecoderContext;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The branches of a data directory, cached in memory and persisted in the metadata column family under
 * {@code branch/<id>}. Heads change only inside a commit's write batch. Thread-safe.
 */
final class BranchRegistry {
    private static final byte[] PREFIX = "branch/".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final Map<Integer, Branch> byId = new ConcurrentHashMap<>();
    private final Map<String, Integer> byName = new ConcurrentHashMap<>();

    void load(WalDb db) {
        try (RocksIterator it = db.db().newIterator(db.meta())) {
            for (it.seek(PREFIX); it.isValid() && Bytes.startsWith(it.key(), PREFIX); it.next()) {
                Branch b = decode(it.value());
                byId.put(b.id(), b);
                if (b.name() != null) {
                    byName.put(b.name(), b.id());
                }
            }
        }
    }

    Branch get(int id) {
        return byId.get(id);
    }

    /** The branch with this id, live or not; a missing id is a storage error. */
    Branch require(int id) {
        Branch b = byId.get(id);
        if (b == null) {
            throw new WalException("no such branch", id, -1, null);
        }
        return b;
    }

    /** A branch id that still carries a name (not deleted, not replaced by a reset). */
    Branch requireNamed(int id) {
        Branch b = require(id);
        if (b.name() == null) {
            throw new BranchException(BranchException.Kind.NOT_FOUND, "the branch was deleted or reset meanwhile (branch id " + id + ")");
        }
        return b;
    }

    Branch byName(String name) {
        Integer id = byName.get(name);
        return id == null ? null : byId.get(id);
    }

    Collection<Branch> all() {
        return new ArrayList<>(byId.values());
    }

    int maxId() {
        int m = 0;
        for (int id : byId.keySet()) {
            m = Math.max(m, id);
        }
        return m;
    }

    /** Adds the branch's record to batch; {@link #apply} makes it visible once the batch is written. */
    void write(WriteBatch batch, WalDb db, Branch b) throws RocksDBException {
        batch.put(db.meta(), key(b.id()), encode(b));
    }

    void apply(Branch b) {
        Branch old = byId.put(b.id(), b);
        if (old != null && old.name() != null && !old.name().equals(b.name())) {
            byName.remove(old.name(), old.id());
        }
        if (b.name() != null) {
            byName.put(b.name(), b.id());
        }
    }

    /** Adds the deletion of a branch id's record to batch (GC, once nothing names the id); {@link #forget} once written. */
    void delete(WriteBatch batch, WalDb db, int id) throws RocksDBException {
        batch.delete(db.meta(), key(id));
    }

    /** Forgets a branch id whose record GC deleted. */
    void forget(int id) {
        Branch old = byId.remove(id);
        if (old != null && old.name() != null) {
            byName.remove(old.name(), id);
        }
    }

    /** Forgets a branch's name (its record stays, nameless, because other branches' ancestry may use it). */
    void remove(Branch b) {
        if (b.name() != null) {
            byName.remove(b.name(), b.id());
        }
    }

    /** Live (named) branches. */
    java.util.List<Branch> named() {
        java.util.List<Branch> out = new ArrayList<>();
        for (Branch b : byId.values()) {
            if (b.name() != null) {
                out.add(b);
            }
        }
        return out;
    }

    /** Rounds a point to a commit boundary of one branch id ({@link Wal#roundToCommit(int, long)}). */
    interface Rounding {
        long round(int branchId, long lsn);
    }

    /** The ancestry of a branch read at readLsn: itself, then each parent bounded by the child's fork point. */
    ReadView view(int branchId, long readLsn) {
        return view(branchId, readLsn, null);
    }

    /**
     * As {@link #view(int, long)}, each level's bound rounded down to a commit boundary of that level's branch
     * id (a fork point already is one; a read point below it is not necessarily).
     */
    ReadView view(int branchId, long readLsn, Rounding rounding) {
        List<int[]> ids = new ArrayList<>();
        List<Long> bounds = new ArrayList<>();
        Branch b = byId.get(branchId);
        long bound = readLsn;
        while (b != null) {
            if (rounding != null) {
                bound = rounding.round(b.id(), bound);
            }
            ids.add(new int[] {b.id()});
            bounds.add(bound);
            bound = Math.min(bound, b.baseLsn());
            b = b.parentId() == 0 ? null : byId.get(b.parentId());
        }
        int[] idArr = new int[ids.size()];
        long[] boundArr = new long[ids.size()];
        for (int i = 0; i < idArr.length; i++) {
            idArr[i] = ids.get(i)[0];
            boundArr[i] = bounds.get(i);
        }
        return new ReadView(idArr, boundArr);
    }

    static byte[] key(int id) {
        byte[] k = java.util.Arrays.copyOf(PREFIX, PREFIX.length + 4);
        Bytes.putInt(k, PREFIX.length, id);
        return k;
    }

    /** Adds the branch's record to batch through puts (a commit's head move). */
    void write(WriteBatch batch, WalDb db, Branch b, DirectPuts puts) throws RocksDBException {
        BsonEncoder e = BsonEncoder.record();
        try {
            fields(e, b).end();
            puts.put(batch, db.meta(), key(b.id()), e.buffer(), e.length());
        } finally {
            e.release();
        }
    }

    /** The record's BSON (docs/FORMATS.md, "Branch record"), written field by field: every commit writes one. */
    static byte[] encode(Branch b) {
        BsonEncoder e = BsonEncoder.record();
        try {
            return fields(e, b).end().toBytes();
        } finally {
            e.release();
        }
    }

    /** The record as a document: what {@link #encode} writes the bytes of (its tests compare the two). */
    static BsonDocument document(Branch b) {
        return new BsonDocument()
                .append("id", new BsonInt32(b.id()))
                .append("name", b.name() == null ? org.bson.BsonNull.VALUE : new BsonString(b.name()))
                .append("parentId", new BsonInt32(b.parentId()))
                .append("baseLsn", new BsonInt64(b.baseLsn()))
                .append("headLsn", new BsonInt64(b.headLsn()))
                .append("createdAt", new BsonInt64(b.createdAt()))
                .append("createdBy", b.createdBy() == null ? org.bson.BsonNull.VALUE : new BsonString(b.createdBy()))
                .append("protected", BsonBoolean.valueOf(b.protectedBranch()))
                .append("replacesId", new BsonInt32(b.replacesId()))
                .append("replacedAtLsn", new BsonInt64(b.replacedAtLsn()));
    }

    private static BsonEncoder fields(BsonEncoder e, Branch b) {
        return e.int32("id", b.id()).string("name", b.name()).int32("parentId", b.parentId())
                .int64("baseLsn", b.baseLsn()).int64("headLsn", b.headLsn()).int64("createdAt", b.createdAt())
                .string("createdBy", b.createdBy()).bool("protected", b.protectedBranch())
                .int32("replacesId", b.replacesId()).int64("replacedAtLsn", b.replacedAtLsn());
    }

    static Branch decode(byte[] bytes) {
        BsonDocument d = Bson.document(bytes);
        BsonValue name = d.get("name");
        BsonValue by = d.get("createdBy");
        return new Branch(d.getInt32("id").getValue(), name.isString() ? name.asString().getValue() : null,
                d.getInt32("parentId").getValue(), d.getInt64("baseLsn").getValue(), d.getInt64("headLsn").getValue(),
                d.getInt64("createdAt").getValue(), by.isString() ? by.asString().getValue() : null,
                d.getBoolean("protected", BsonBoolean.FALSE).getValue(),
                d.getInt32("replacesId", new BsonInt32(0)).getValue(), d.getInt64("replacedAtLsn", new BsonInt64(0)).getValue());
    }
}
