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
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The one {@code WriteBatch} of a commit group, built in queue order by the group's leader: hands out each
 * member's LSN range after the previous one, refuses alone a member that cannot be written, and adds for each
 * written member its log entries, versions, {@code latest} entries, commit record, commit end, time-index entry,
 * metadata and new head (a streamed commit's chunk: its data only). Moves no head itself: {@link CommitWriter}
 * applies {@link #moved()} once the batch is written. Not thread-safe; used under the commit lock.
 */
final class GroupBatch implements AutoCloseable {
    private static final String[] COUNT_NAMES = {"insert", "update", "delete", "catalog"};

    private final WalDb db;
    private final BranchRegistry branches;
    private final IntFunction<String> refusal;
    private final WriteBatch batch = new WriteBatch();
    private final long time;
    /** The new head of each branch written so far, chained so that a branch's second request builds on its first. */
    private final Map<Integer, Branch> moved = new LinkedHashMap<>();
    private final List<GroupCommit.Member> written = new ArrayList<>();
    private long lsn;
    private boolean catalog;
    private int firstBranch = -1;
    private long firstLsn;

    GroupBatch(WalDb db, BranchRegistry branches, IntFunction<String> refusal, long lastLsn, long time) {
        this.db = db;
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
        Branch branch = moved.containsKey(request.branchId()) ? moved.get(request.branchId()) : branches.get(request.branchId());
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
        Map<String, int[]> counts = new LinkedHashMap<>();
        if (publish) {
            for (Map.Entry<String, int[]> e : part.counts().entrySet()) {
                counts.put(e.getKey(), e.getValue().clone());
            }
        }
        for (LogEntry e : request.entries()) {
            lsn++;
            batch.put(db.log(), Bytes.longKey(lsn), LogCodec.bytes(e, branch.id()));
            for (KeyWrite w : e.writes()) {
                batch.put(db.versions(), VersionKeys.key(w.userKey(), branch.id(), lsn), VersionKeys.value(w.payload()));
                // The branch's newest version of the key, where reads near a head find it without the history.
                batch.put(db.latest(), LatestKeys.key(w.userKey(), branch.id()), LatestKeys.value(lsn, w.payload()));
            }
            int[] c = counts.computeIfAbsent(e.ns(), k -> new int[4]);
            c["iudc".indexOf(e.op())]++;
        }
        if (part != null && !publish) {
            // A chunk: data only. The marker, written with the first one, lets recovery find it.
            if (part.firstLsn() == 0) {
                batch.put(db.meta(), StagedCommit.stagingKey(branch.id()), Bytes.longKey(start));
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
            batch.delete(db.meta(), StagedCommit.stagingKey(branch.id()));
        }
        byte[] commitKey = new byte[12];
        Bytes.putInt(commitKey, 0, branch.id());
        Bytes.putLong(commitKey, 4, lsn);
        BsonDocument record = commitRecord(start, lsn, time, request, counts);
        if (publish) {
            record.append("chunks", new BsonInt32(part.chunks()));
        }
        batch.put(db.commits(), commitKey, Bson.bytes(record));
        batch.put(db.meta(), HistoryReader.commitEndKey(branch.id(), lsn), Bytes.longKey(start));
        byte[] timeKey = new byte[16];
        Bytes.putLong(timeKey, 0, time);
        Bytes.putLong(timeKey, 8, lsn);
        batch.put(db.times(), timeKey, new byte[0]);
        for (KeyWrite w : request.metaWrites()) {
            if (w.payload() == null) {
                batch.delete(db.meta(), w.userKey());
            } else {
                batch.put(db.meta(), w.userKey(), w.payload());
            }
        }
        Branch head = branch.withHead(lsn);
        branches.write(batch, db, head);
        moved.put(branch.id(), head);
        catalog |= counts.values().stream().anyMatch(c -> c[3] > 0) || (publish && part.catalog());
        written(m, branch, start);
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
            batch.put(db.meta(), CommitWriter.LAST_LSN, Bytes.longKey(lsn));
            batch.put(db.meta(), CommitWriter.LAST_TIME, Bytes.longKey(time));
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
        return moved.values();
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

    private static BsonDocument commitRecord(long start, long end, long time, CommitRequest r, Map<String, int[]> counts) {
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

    @Override
    public void close() {
        batch.close();
    }
}
