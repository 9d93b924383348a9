package dev.argon.wal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The one {@code WriteBatch} of a commit group, built in queue order by the group's leader: hands out each
 * member's LSN range after the previous one, refuses alone a member that cannot be written, and adds for each
 * written member its log entries, versions, {@code latest} entries, commit record, time-index entry,
 * metadata and new head (a streamed commit's chunk: its data only). Moves no head itself: {@link CommitWriter}
 * applies {@link #moved()} once the batch is written. Not thread-safe; used under the commit lock.
 */
final class GroupBatch {
    private static final String[] COUNT_NAMES = {"insert", "update", "delete", "catalog"};

    private final WalDb db;
    private final BranchRegistry branches;
    private final IntFunction<String> refusal;
    private final WriteBatch batch;
    private final long time;
    private final DirectPuts puts;
    /**
     * The new head of each branch written so far, chained so that a branch's second request builds on its first;
     * a list, searched linearly, because a group holds a few branches (usually one).
     */
    private final List<Branch> moved = new ArrayList<>(4);
    /** The namespaces and per-op counts of the member being added; reused from one member to the next. */
    private String[] countNs = new String[4];
    private int[][] countVals = new int[4][];
    private int nsCount;
    private final List<GroupCommit.Member> written = new ArrayList<>();
    private long lsn;
    private boolean catalog;
    private int firstBranch = -1;
    private long firstLsn;

    /** Builds into batch, which must be empty (the writer's, reused from group to group). */
    GroupBatch(WalDb db, BranchRegistry branches, WriteBatch batch, DirectPuts puts, IntFunction<String> refusal, long lastLsn,
               long time) {
        this.db = db;
        this.batch = batch;
        this.puts = puts;
        this.branches = branches;
        this.refusal = refusal;
        this.lsn = lastLsn;
        this.firstLsn = lastLsn + 1;
        this.time = time;
    }

    /** Adds one member, or fails it alone (no such branch, retired id, refused id, no entries). */
    void add(GroupCommit.Member m) {
        CommitRequest request = m.request();
        GroupCommit.Member after = m.after();
        RuntimeException before = after == null ? null : after.failure();
        if (before != null) {
            // The request it was built on was queued earlier, so it was settled before this one (an earlier group,
            // or earlier in this one): its evaluation read a commit that never happened. A storage failure is
            // passed on as it is (the client sees the same error as the first writer); anything else is a conflict.
            m.fail(before instanceof WalException ? before : new BranchException(BranchException.Kind.RETIRED, "the earlier write of branch id " + request.branchId()
                    + " this write was evaluated after failed (" + before.getMessage() + "); nothing was written; run it again"));
            return;
        }
        Branch moved = movedHead(request.branchId());
        Branch branch = moved != null ? moved : branches.get(request.branchId());
        if (branch == null) {
            m.fail(new WalException("no such branch", request.branchId(), -1, null));
            return;
        }
        if (branch.name() == null) {
            // Checked here, under the lock that orders commits, so that a drop or reset that won the
            // race is never followed by a commit on the id it retired.
            m.fail(new BranchException(BranchException.Kind.RETIRED, "branch id " + branch.id()
                    + " was deleted or reset while this write was in progress; nothing was written; run it again"));
            return;
        }
        StagedCommit.Part part = m.part();
        boolean publish = part != null && part.publish();
        String refused = refusal.apply(branch.id());
        if (refused != null) {
            m.fail(new BranchException(BranchException.Kind.RETIRED, "an earlier streamed write on branch id " + branch.id()
                    + " could not be discarded yet (" + refused + "); nothing was written; run it again"));
            return;
        }
        if (request.entries().isEmpty() && !publish) {
            m.fail(new IllegalArgumentException("a commit needs at least one entry"));
            return;
        }
        try {
            put(m, request, branch, part, publish);
        } catch (RocksDBException e) {
            throw new WalException("cannot build the commit batch: " + e.getMessage(), firstBranch, firstLsn, e);
        }
    }

    private void put(GroupCommit.Member m, CommitRequest request, Branch branch, StagedCommit.Part part, boolean publish)
            throws RocksDBException {
        long start = lsn + 1;
        nsCount = 0;
        if (publish) {
            for (Map.Entry<String, int[]> e : part.counts().entrySet()) {
                int[] c = counts(e.getKey());
                int[] v = e.getValue();
                for (int i = 0; i < 4; i++) {
                    c[i] += v[i];
                }
            }
        }
        int id = branch.id();
        for (LogEntry e : request.entries()) {
            lsn++;
            logEntry(e, id);
            for (KeyWrite w : e.writes()) {
                // The version and the branch's newest version of the key, where reads near a head find it without the history.
                puts.putVersion(batch, db.versions(), db.latest(), w.userKey(), id, lsn, w.payload());
            }
            counts(e.ns())[opIndex(e.op())]++;
        }
        if (part != null && !publish) {
            // A chunk: data only. The marker, written with the first one, lets recovery find it.
            if (part.firstLsn() == 0) {
                batch.put(db.meta(), StagedCommit.stagingKey(id), Bytes.longKey(start));
            }
            written(m, branch, start);
            return;
        }
        if (publish) {
            if (request.entries().isEmpty()) {
                // The commit record takes a fresh LSN of its own, so that its end lies above every point
                // handed out before it became visible (a tag, a time-index entry, another branch's head).
                lsn++;
            }
            start = part.firstLsn();
            batch.delete(db.meta(), StagedCommit.stagingKey(id));
        }
        // Keyed by branch id and last LSN, with the start first in the value: rounding a point to a commit boundary
        // and finding the commit of a log entry are one seek here (HistoryReader.roundToCommit, LogImages.commitOf).
        commitRecord(id, start, request, publish ? part.chunks() : -1);
        puts.putEmpty(batch, db.times(), time, lsn);
        for (KeyWrite w : request.metaWrites()) {
            if (w.payload() == null) {
                batch.delete(db.meta(), w.userKey());
            } else {
                puts.put(batch, db.meta(), w.userKey(), w.payload());
            }
        }
        // The branch record is written once per group, with the branch's last head in it (finish).
        moved(branch.withHead(lsn));
        boolean catalogEntry = false;
        for (int i = 0; i < nsCount && !catalogEntry; i++) {
            catalogEntry = countVals[i][3] > 0;
        }
        catalog |= catalogEntry || (publish && part.catalog());
        written(m, branch, start);
    }

    /** The log entry at the current LSN. */
    private void logEntry(LogEntry e, int branchId) throws RocksDBException {
        if (e.images() == LogEntry.Images.INLINE) {
            byte[] v = LogCodec.bytes(e, branchId);
            puts.putAt(batch, db.log(), lsn, v, v.length);
            return;
        }
        BsonEncoder enc = BsonEncoder.record();
        try {
            LogCodec.write(enc, e, branchId);
            enc.end();
            puts.putAt(batch, db.log(), lsn, enc.buffer(), enc.length());
        } finally {
            enc.release();
        }
    }

    private static int opIndex(String op) {
        int i = op.length() == 1 ? "iudc".indexOf(op.charAt(0)) : -1;
        if (i < 0) {
            throw new IllegalArgumentException("unknown log entry op " + op);
        }
        return i;
    }

    /** The counts of one namespace in the member being added, created at zero on first use. */
    private int[] counts(String ns) {
        for (int i = 0; i < nsCount; i++) {
            if (countNs[i].equals(ns)) {
                return countVals[i];
            }
        }
        if (nsCount == countNs.length) {
            countNs = java.util.Arrays.copyOf(countNs, nsCount * 2);
            countVals = java.util.Arrays.copyOf(countVals, nsCount * 2);
        }
        countNs[nsCount] = ns;
        int[] c = countVals[nsCount];
        if (c == null) {
            c = countVals[nsCount] = new int[4];
        } else {
            java.util.Arrays.fill(c, 0);
        }
        nsCount++;
        return c;
    }

    private void moved(Branch head) {
        for (int i = 0; i < moved.size(); i++) {
            if (moved.get(i).id() == head.id()) {
                moved.set(i, head);
                return;
            }
        }
        moved.add(head);
    }

    private Branch movedHead(int branchId) {
        for (Branch b : moved) {
            if (b.id() == branchId) {
                return b;
            }
        }
        return null;
    }

    /**
     * Adds the commit record (docs/FORMATS.md, "Commit record"), written field by field in the order
     * {@link #commitRecordDocument} appends them; chunks is -1 for none.
     */
    private void commitRecord(int branchId, long start, CommitRequest r, int chunks) throws RocksDBException {
        if (r.origin() != null && clashes(r.origin())) {
            BsonDocument d = commitRecordDocument(start, lsn, time, r, countsMap());
            if (chunks >= 0) {
                d.append("chunks", new BsonInt32(chunks));
            }
            byte[] v = Bson.bytes(d);
            puts.putAt(batch, db.commits(), branchId, lsn, v, v.length);
            return;
        }
        BsonEncoder e = BsonEncoder.record();
        try {
            e.int64("startLsn", start).int64("lsn", lsn).int64("time", time).document("counts");
            for (int i = 0; i < nsCount; i++) {
                int[] v = countVals[i];
                e.document(countNs[i]);
                for (int j = 0; j < 4; j++) {
                    if (v[j] > 0) {
                        e.int32(COUNT_NAMES[j], v[j]);
                    }
                }
                e.end();
            }
            e.end();
            if (r.actor() != null) {
                e.string("actor", r.actor());
            }
            if (r.comment() != null) {
                e.string("comment", r.comment());
            }
            if (r.origin() != null) {
                for (Map.Entry<String, BsonValue> o : r.origin().entrySet()) {
                    e.value(o.getKey(), o.getValue());
                }
            }
            if (chunks >= 0) {
                e.int32("chunks", chunks);
            }
            e.end();
            puts.putAt(batch, db.commits(), branchId, lsn, e.buffer(), e.length());
        } finally {
            e.release();
        }
    }

    /**
     * True if an origin field has the name of a field the record writes itself: appended to a document, it would
     * replace that field in place, which the field-by-field writer does not do, so such a record is built as a document.
     */
    private static boolean clashes(BsonDocument origin) {
        for (String k : origin.keySet()) {
            switch (k) {
                case "startLsn", "lsn", "time", "counts", "actor", "comment", "chunks" -> {
                    return true;
                }
                default -> { }
            }
        }
        return false;
    }

    private Map<String, int[]> countsMap() {
        Map<String, int[]> out = new LinkedHashMap<>();
        for (int i = 0; i < nsCount; i++) {
            out.put(countNs[i], countVals[i]);
        }
        return out;
    }

    private void written(GroupCommit.Member m, Branch branch, long start) {
        if (firstBranch < 0) {
            firstBranch = branch.id();
            firstLsn = start;
        }
        m.assign(new CommitResult(start, lsn, time));
        written.add(m);
    }

    /** Adds the data directory's new last LSN and time; returns that LSN. */
    long finish() {
        try {
            // One record per branch the group moved, however many of its commits the group holds: the batch is
            // atomic, so only the last head can ever be read back.
            for (Branch head : moved) {
                branches.write(batch, db, head, puts);
            }
            puts.putLong(batch, db.meta(), CommitWriter.LAST_LSN, lsn);
            puts.putLong(batch, db.meta(), CommitWriter.LAST_TIME, time);
        } catch (RocksDBException e) {
            throw new WalException("cannot build the commit batch: " + e.getMessage(), firstBranch, firstLsn, e);
        }
        return lsn;
    }

    WriteBatch batch() {
        return batch;
    }

    List<GroupCommit.Member> written() {
        return written;
    }

    Collection<Branch> moved() {
        return moved;
    }

    boolean catalog() {
        return catalog;
    }

    int firstBranch() {
        return firstBranch;
    }

    long firstLsn() {
        return firstLsn;
    }

    /** The commit record as a document: what {@link #commitRecord} writes the bytes of, field for field. */
    static BsonDocument commitRecordDocument(long start, long end, long time, CommitRequest r, Map<String, int[]> counts) {
        BsonDocument c = new BsonDocument();
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            int[] v = e.getValue();
            BsonDocument d = new BsonDocument();
            for (int i = 0; i < 4; i++) {
                if (v[i] > 0) {
                    d.append(COUNT_NAMES[i], new BsonInt32(v[i]));
                }
            }
            c.append(e.getKey(), d);
        }
        BsonDocument d = new BsonDocument("startLsn", new BsonInt64(start)).append("lsn", new BsonInt64(end))
                .append("time", new BsonInt64(time)).append("counts", c);
        if (r.actor() != null) {
            d.append("actor", new BsonString(r.actor()));
        }
        if (r.comment() != null) {
            d.append("comment", new BsonString(r.comment()));
        }
        if (r.origin() != null) {
            for (Map.Entry<String, org.bson.BsonValue> e : r.origin().entrySet()) {
                d.append(e.getKey(), e.getValue());
            }
        }
        return d;
    }
}
