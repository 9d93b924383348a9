package dev.argon.wal;

import java.nio.charset.StandardCharsets;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Branch refs: create, drop, rename, protect, reset, the reflog ({@link #branchAsOf}) and the views of a branch.
 * Owns the invariants "branch ids are never reused" ({@code nextBranchId}, persisted in the batch that takes an
 * id), "a branch is created after its parent, so ancestries descend by id" and "a reset keeps the old id, nameless,
 * as the reflog entry the new id points back to". Every change runs under the commit lock and returns once
 * durable. Thread-safe.
 */
final class BranchBook {
    static final byte[] NEXT_BRANCH_ID = "nextBranchId".getBytes(StandardCharsets.UTF_8);

    private final WalDb db;
    private final CommitWriter writer;
    private final BranchRegistry branches;
    private final TagBook tags;
    private final GcGuard gc;
    private final HistoryReader history;

    BranchBook(WalDb db, CommitWriter writer, BranchRegistry branches, TagBook tags, GcGuard gc, HistoryReader history) {
        this.db = db;
        this.writer = writer;
        this.branches = branches;
        this.tags = tags;
        this.gc = gc;
        this.history = history;
    }

    /** Loads the branch records, creating main in a new data directory. */
    void open() {
        branches.load(db);
        if (branches.byName(Branch.MAIN) != null) {
            return;
        }
        Branch main = new Branch(Branch.MAIN_ID, Branch.MAIN, 0, 0, writer.lastLsn(), System.currentTimeMillis(), "system", false);
        try (WriteBatch batch = new WriteBatch(); WriteOptions wo = new WriteOptions().setSync(true)) {
            branches.write(batch, db, main);
            db.db().write(wo, batch);
        } catch (RocksDBException e) {
            throw new WalException("cannot create branch main: " + e.getMessage(), Branch.MAIN_ID, -1, e);
        }
        branches.apply(main);
    }

    ReadView headView(int branchId) {
        Branch b = branches.require(branchId);
        return branches.view(b.id(), b.headLsn());
    }

    ReadView viewAt(int branchId, long lsn) {
        Branch b = branches.require(branchId);
        // Rounded per ancestry level: below a fork point the bound falls into the parent's history, whose
        // streamed commits interleave with other branches' and need rounding of their own. Refused where GC
        // has given the point up.
        ReadView v = branches.view(b.id(), Math.min(lsn, b.headLsn()), history::roundToCommit);
        gc.requireReadable(b, v.readLsn());
        return v;
    }

    /** The next unused branch id: above every id ever persisted, a dropped or forgotten one included. */
    int nextBranchId() {
        try {
            byte[] v = db.db().get(db.meta(), NEXT_BRANCH_ID);
            long next = v == null ? Branch.MAIN_ID + 1 : Bytes.getLong(v, 0);
            return (int) Math.max(next, branches.maxId() + 1L);
        } catch (RocksDBException e) {
            throw new WalException("cannot allocate a branch id: " + e.getMessage(), -1, -1, e);
        }
    }

    Branch createBranch(String name, int parentId, long atLsn, String createdBy) {
        Branch b;
        long seq;
        writer.lock().lock();
        try {
            tags.checkNewName(name);
            Branch parent = branches.require(parentId);
            long base = Math.min(history.roundToCommit(parentId, atLsn), parent.headLsn());
            // Under the commit lock, as GC publishes its marks: a fork point is either refused here or pinned.
            gc.requireReadable(parent, base);
            int id = nextBranchId();
            b = new Branch(id, name, parentId, base, base, System.currentTimeMillis(), createdBy, false);
            try (WriteBatch batch = new WriteBatch()) {
                branches.write(batch, db, b);
                batch.put(db.meta(), NEXT_BRANCH_ID, Bytes.longKey(id + 1L));
                GcMarks pinned = gc.pinBelowHorizon(batch, parent, base);
                seq = writer.write(batch, "creating branch " + name, id, base);
                gc.install(pinned);
            } catch (RocksDBException e) {
                throw new WalException("cannot create branch " + name + ": " + e.getMessage(), id, base, e);
            }
            branches.apply(b);
        } finally {
            writer.lock().unlock();
        }
        // Branch and tag changes are acknowledged only once durable, sharing the fsync with other writers.
        writer.awaitSeq(seq);
        return b;
    }

    void dropBranch(int id) {
        long seq;
        writer.lock().lock();
        try {
            Branch b = branches.requireNamed(id);
            // By name: a reset gives main a new id, and it must stay undeletable under that id too.
            if (Branch.MAIN.equals(b.name())) {
                throw new BranchException(BranchException.Kind.PROTECTED, "branch 'main' cannot be deleted");
            }
            for (Branch other : branches.all()) {
                if (other.parentId() == id && other.name() != null) {
                    throw new BranchException(BranchException.Kind.HAS_CHILDREN, "branch '" + b.name()
                            + "' has child branch '" + other.name() + "'; delete or re-parent its children first");
                }
            }
            try (WriteBatch batch = new WriteBatch()) {
                Branch hidden = b.withName(null).withProtected(false);
                branches.write(batch, db, hidden);
                seq = writer.write(batch, "deleting branch " + b.name(), id, -1);
                branches.remove(b);
                branches.apply(hidden);
            } catch (RocksDBException e) {
                throw new WalException("cannot delete branch " + b.name() + ": " + e.getMessage(), id, -1, e);
            }
        } finally {
            writer.lock().unlock();
        }
        writer.awaitSeq(seq);
    }

    Branch renameBranch(int id, String newName) {
        Branch renamed;
        long seq;
        writer.lock().lock();
        try {
            Branch b = branches.requireNamed(id);
            tags.checkNewName(newName);
            renamed = b.withName(newName);
            seq = persist(renamed);
        } finally {
            writer.lock().unlock();
        }
        writer.awaitSeq(seq);
        return renamed;
    }

    Branch protectBranch(int id, boolean protect) {
        Branch p;
        long seq;
        writer.lock().lock();
        try {
            p = branches.requireNamed(id).withProtected(protect);
            seq = persist(p);
        } finally {
            writer.lock().unlock();
        }
        writer.awaitSeq(seq);
        return p;
    }

    /** Writes a branch record; caller holds the commit lock and waits for the returned sequence. */
    private long persist(Branch b) {
        long seq;
        try (WriteBatch batch = new WriteBatch()) {
            branches.write(batch, db, b);
            seq = writer.write(batch, "updating branch " + b.name(), b.id(), -1);
        } catch (RocksDBException e) {
            throw new WalException("cannot update branch " + b.name() + ": " + e.getMessage(), b.id(), -1, e);
        }
        branches.apply(b);
        return seq;
    }

    Branch resetBranch(int branchId, int pointBranchId, long pointLsn, String backupName, String by) {
        Move move;
        long seq;
        writer.lock().lock();
        try {
            Branch old = branches.require(branchId);
            Branch pointBranch = branches.require(pointBranchId);
            long point = Math.min(history.roundToCommit(pointBranchId, pointLsn), pointBranch.headLsn());
            gc.requireReadable(pointBranch, point);
            Branch backup = null;
            int nextId = nextBranchId();
            if (backupName != null) {
                tags.checkNewName(backupName);
                backup = new Branch(nextId++, backupName, old.id(), old.headLsn(), old.headLsn(), System.currentTimeMillis(), by, false);
            }
            try (WriteBatch batch = new WriteBatch()) {
                if (backup != null) {
                    branches.write(batch, db, backup);
                }
                move = moveName(batch, old, nextId, pointBranchId, point, System.currentTimeMillis(), by);
                GcMarks pinned = gc.pinBelowHorizon(batch, pointBranch, point);
                seq = writer.write(batch, "resetting branch " + old.name(), branchId, point);
                gc.install(pinned);
            } catch (RocksDBException e) {
                throw new WalException("cannot reset branch " + old.name() + ": " + e.getMessage(), branchId, point, e);
            }
            branches.remove(old);
            branches.apply(move.hidden());
            if (backup != null) {
                branches.apply(backup);
            }
            branches.apply(move.fresh());
        } finally {
            writer.lock().unlock();
        }
        writer.awaitSeq(seq);
        return move.fresh();
    }

    /** A name moving from one id to a new one: the old id's nameless record and the new id's. */
    record Move(Branch old, Branch hidden, Branch fresh) {}

    /**
     * Adds to batch the records that move old's name to the new id {@code freshId}, forked from {@code parentId} at
     * {@code base}: old keeps its whole range, nameless, and the new id points back to it (the reflog). Caller holds
     * the commit lock and calls {@link #apply} once the batch is written.
     */
    Move moveName(WriteBatch batch, Branch old, int freshId, int parentId, long base, long createdAt, String createdBy)
            throws RocksDBException {
        Branch hidden = old.withName(null).withProtected(false);
        Branch fresh = new Branch(freshId, old.name(), parentId, base, base, createdAt, createdBy, old.protectedBranch(), old.id(),
                writer.lastLsn());
        branches.write(batch, db, hidden);
        branches.write(batch, db, fresh);
        batch.put(db.meta(), NEXT_BRANCH_ID, Bytes.longKey(freshId + 1L));
        return new Move(old, hidden, fresh);
    }

    /** Makes a written {@link Move} visible. */
    void apply(Move m) {
        branches.remove(m.old());
        branches.apply(m.hidden());
        branches.apply(m.fresh());
    }

    Branch branchAsOf(Branch current, long point) {
        Branch b = current;
        while (b.replacesId() != 0 && point <= b.replacedAtLsn()) {
            Branch prev = branches.get(b.replacesId());
            if (prev == null) {
                break;
            }
            b = prev;
        }
        return b;
    }
}
