package dev.argon.wal;

import java.util.Set;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * What GC has given up ({@link GcMarks}: the horizon, reclaimed ranges, pinned points) and the refusals that
 * follow from it. Owns the invariant "what GC gave up is refused, never answered": the marks are replaced, never
 * edited, under the commit lock, and persisted before any delete; every new fork point, tag and time-travel read is
 * checked against them ({@link #requireReadable}). Also holds the {@link ReadGate} GC waits on. Thread-safe.
 */
final class GcGuard {
    private final WalDb db;
    private final CommitWriter writer;
    private final BranchRegistry branches;
    private final ReadGate readGate = new ReadGate();
    /** Replaced, never edited, under the commit lock. */
    private volatile GcMarks marks;

    GcGuard(WalDb db, CommitWriter writer, BranchRegistry branches) throws RocksDBException {
        this.db = db;
        this.writer = writer;
        this.branches = branches;
        this.marks = GcMarks.decode(db.db().get(db.meta(), GcMarks.KEY));
    }

    GcMarks marks() {
        return marks;
    }

    ReadGate readGate() {
        return readGate;
    }

    /** Refuses a point GC has given up; see {@link GcMarks#readable}. */
    void requireReadable(Branch b, long p) {
        GcMarks m = marks;
        if (!m.readable(b, p)) {
            throw new BranchException(BranchException.Kind.HISTORY_GONE, m.refusal(b, p));
        }
    }

    /**
     * For a new fork point or tag below the horizon (allowed there only because it is a pinned point or a live
     * head): adds the point to the pinned set in the same batch, so that it stays readable after its branch is
     * dropped or reset, before the next GC pass pins it by itself. Returns the marks to {@link #install} once the
     * batch is written, or null. Caller holds the commit lock.
     */
    GcMarks pinBelowHorizon(WriteBatch batch, Branch b, long p) throws RocksDBException {
        GcMarks m = marks;
        long q = Math.min(p, b.headLsn());
        if (q >= m.horizon() || m.pinned().contains(new GcMarks.Point(b.id(), q))) {
            return null;
        }
        GcMarks pinned = m.withPinned(new GcMarks.Point(b.id(), q));
        batch.put(db.meta(), GcMarks.KEY, pinned.encode());
        return pinned;
    }

    /** Installs marks a batch of the caller's wrote (null: nothing to install); caller holds the commit lock. */
    void install(GcMarks pinned) {
        if (pinned != null) {
            marks = pinned;
        }
    }

    /** Persists and installs new marks; caller holds the commit lock. Synced: a refusal must survive a crash. */
    void publishMarks(GcMarks m) {
        long seq;
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(db.meta(), GcMarks.KEY, m.encode());
            seq = writer.write(batch, "publishing GC marks", -1, -1);
        } catch (RocksDBException e) {
            throw new WalException("cannot write the GC marks: " + e.getMessage(), -1, -1, e);
        }
        marks = m;
        writer.awaitSeq(seq);
    }

    /** Writes one batch of GC deletes through the single write path, holding the commit lock only for it. */
    void writeGc(WriteBatch batch) {
        writer.underCommitLock(() -> writer.write(batch, "reclaiming history", -1, -1));
    }

    /** Deletes the records of unreachable branch ids and installs the marks that forget them; caller holds the commit lock. */
    void forgetBranches(Set<Integer> ids, GcMarks m) {
        long seq;
        try (WriteBatch batch = new WriteBatch()) {
            for (int id : ids) {
                branches.delete(batch, db, id);
            }
            batch.put(db.meta(), GcMarks.KEY, m.encode());
            seq = writer.write(batch, "deleting unreachable branch records", -1, -1);
        } catch (RocksDBException e) {
            throw new WalException("cannot delete branch records: " + e.getMessage(), -1, -1, e);
        }
        for (int id : ids) {
            branches.forget(id);
        }
        marks = m;
        writer.awaitSeq(seq);
    }
}
