package dev.argon.wal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Tags ({@code tag/<name>} metadata records) and the one namespace branch and tag names share. Owns the
 * invariants "a name is a branch or a tag, never both" ({@link #checkNewName}, called under the commit lock) and "a
 * tag is immutable and sits on a commit boundary, at or below its branch's head, at a point GC has not given up".
 * Thread-safe.
 */
final class TagBook {
    private static final byte[] TAG_PREFIX = "tag/".getBytes(StandardCharsets.UTF_8);

    private final WalDb db;
    private final CommitWriter writer;
    private final BranchRegistry branches;
    private final GcGuard gc;
    private final HistoryReader history;

    TagBook(WalDb db, CommitWriter writer, BranchRegistry branches, GcGuard gc, HistoryReader history) {
        this.db = db;
        this.writer = writer;
        this.branches = branches;
        this.gc = gc;
        this.history = history;
    }

    private static byte[] tagKey(String name) {
        return Bytes.concat(TAG_PREFIX, name.getBytes(StandardCharsets.UTF_8));
    }

    /** Branch and tag names share one namespace; refuses an invalid or taken name. */
    void checkNewName(String name) {
        String problem = BranchNames.problem(name);
        if (problem != null) {
            throw new BranchException(BranchException.Kind.INVALID_NAME, problem);
        }
        if (branches.byName(name) != null || tag(name) != null) {
            throw new BranchException(BranchException.Kind.EXISTS, "a branch or tag named '" + name + "' already exists");
        }
    }

    Tag tag(String name) {
        byte[] v = history.meta(tagKey(name));
        if (v == null) {
            return null;
        }
        BsonDocument d = Bson.document(v);
        return new Tag(name, d.getInt32("branchId").getValue(), d.getInt64("lsn").getValue(), d.getInt64("createdAt").getValue(),
                d.isString("createdBy") ? d.getString("createdBy").getValue() : null);
    }

    List<Tag> tags() {
        List<Tag> out = new ArrayList<>();
        try (RocksIterator it = db.db().newIterator(db.meta())) {
            for (it.seek(TAG_PREFIX); it.isValid() && Bytes.startsWith(it.key(), TAG_PREFIX); it.next()) {
                out.add(tag(new String(it.key(), TAG_PREFIX.length, it.key().length - TAG_PREFIX.length, StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    Tag createTag(String name, int branchId, long lsn, String createdBy) {
        Tag t;
        long seq;
        writer.lock().lock();
        try {
            checkNewName(name);
            Branch tb = branches.require(branchId);
            // Capped at the head: a point above it could later take in a streamed commit published below it.
            t = new Tag(name, branchId, Math.min(history.roundToCommit(branchId, lsn), tb.headLsn()), System.currentTimeMillis(), createdBy);
            gc.requireReadable(tb, t.lsn());
            BsonDocument d = new BsonDocument("branchId", new BsonInt32(branchId)).append("lsn", new BsonInt64(t.lsn()))
                    .append("createdAt", new BsonInt64(t.createdAt()));
            if (createdBy != null) {
                d.append("createdBy", new BsonString(createdBy));
            }
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(db.meta(), tagKey(name), Bson.bytes(d));
                GcMarks pinned = gc.pinBelowHorizon(batch, tb, t.lsn());
                seq = writer.write(batch, "creating tag " + name, branchId, lsn);
                gc.install(pinned);
            } catch (RocksDBException e) {
                throw new WalException("cannot create tag " + name + ": " + e.getMessage(), branchId, lsn, e);
            }
        } finally {
            writer.lock().unlock();
        }
        writer.awaitSeq(seq);
        return t;
    }

    void dropTag(String name) {
        long seq;
        writer.lock().lock();
        try {
            if (tag(name) == null) {
                throw new BranchException(BranchException.Kind.NOT_FOUND, "tag '" + name + "' does not exist");
            }
            try (WriteBatch batch = new WriteBatch()) {
                batch.delete(db.meta(), tagKey(name));
                seq = writer.write(batch, "deleting tag " + name, -1, -1);
            } catch (RocksDBException e) {
                throw new WalException("cannot delete tag " + name + ": " + e.getMessage(), -1, -1, e);
            }
        } finally {
            writer.lock().unlock();
        }
        writer.awaitSeq(seq);
    }
}
