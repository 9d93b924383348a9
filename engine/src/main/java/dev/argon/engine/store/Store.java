package dev.argon.engine.store;

import dev.argon.engine.ShutdownAwareLock;
import dev.argon.wal.Branch;
import dev.argon.wal.ReadView;
import dev.argon.wal.VersionStore;
import dev.argon.wal.Wal;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Documents over the WAL: read views of a branch (at its head or an older LSN) and write sessions, one
 * writer per branch at a time. Writers of different branches run in parallel; the WAL orders their commits.
 * The rest of the engine reaches the storage below only through {@link #versions()}, and changes data only
 * through {@link #beginWrite}. Thread-safe.
 */
public final class Store implements AutoCloseable {
    private final Wal wal;
    private final Map<Integer, ReentrantLock> writeLocks = new ConcurrentHashMap<>();
    /** Each branch's commits queued but perhaps not written yet ({@link WriteSession#commitReleasing}). */
    private final Map<Integer, CommitPipeline> pipelines = new ConcurrentHashMap<>();
    private final BooleanSupplier closing;

    /** A store that is never stopped while writes wait (tests and tools). */
    public Store(Path dataDir) {
        this(dataDir, () -> false);
    }

    /** @param closing true once the server is stopping: writes still waiting for a branch lock are then refused */
    public Store(Path dataDir, BooleanSupplier closing) {
        this(dataDir, closing, null);
    }

    /** @param tier where compacted history lives and the segment cache's size (null: the defaults) */
    public Store(Path dataDir, BooleanSupplier closing, dev.argon.wal.TierConfig tier) {
        this.wal = Wal.open(dataDir, tier);
        this.closing = closing;
    }

    /**
     * The versioned store below (reads at a view, branches, tags, history, GC, statistics): the engine's one
     * interface to the wal module. Data changes go through {@link #beginWrite} (the branch's write lock, then one
     * commit of the session), merges and reverts included, never through {@link VersionStore#commit} or
     * {@link VersionStore#stage} from outside this package: that lock is what keeps a branch's head a clean
     * sequence of commits.
     */
    public VersionStore versions() {
        return wal;
    }

    /** Tests and benchmarks only: the concrete WAL, for fault hooks, flushes and compaction waits. */
    /** A consistent snapshot of every column family, for a backup ({@code dev.argon.wal.archive}); the caller closes it. */
    public dev.argon.wal.WalSnapshot snapshot() {
        return wal.snapshot();
    }

    public Wal walForTests() {
        return wal;
    }

    private final CatalogCache catalogCache = new CatalogCache();
    /** Fired after every write session and transaction commit: change streams wait on it. */
    private final CommitSignal commitSignal = new CommitSignal();

    /** What change streams wait on for new commits of any branch. */
    public CommitSignal commitSignal() {
        return commitSignal;
    }
    /** Keys written by open transactions: a second transaction writing one conflicts at once. */
    private final KeyClaims claims = new KeyClaims();

    /** Index use by query plans, per branch ({@code $indexStats}). */
    private final IndexAccesses indexAccesses = new IndexAccesses();

    public IndexAccesses indexAccesses() {
        return indexAccesses;
    }

    public DataView head(int branchId) {
        dev.argon.wal.ReadView view = wal.headView(branchId);
        return new DataView(new WalKeyReader(wal, view), catalogCache.forView(wal, view)).countingAccesses(scope(branchId));
    }

    public DataView at(int branchId, long lsn) {
        return new DataView(new WalKeyReader(wal, wal.viewAt(branchId, lsn))).countingAccesses(scope(branchId));
    }

    /** A view for internal reads (merge, diff, change streams): its plans are not counted as index use. */
    public DataView view(ReadView view) {
        return new DataView(new WalKeyReader(wal, view));
    }

    private IndexAccesses.Scope scope(int branchId) {
        return new IndexAccesses.Scope(indexAccesses, branchId);
    }

    /**
     * Starts a write on a branch, blocking while another write on the same branch is in progress and then until
     * every commit of the branch queued before it is written: the session reads the head, complete, as of then.
     * For changes that also read or move the branch's ref directly (merge, revert, reset). Close it to release
     * the lock. During shutdown a write that has to wait is refused with 11600 InterruptedAtShutdown.
     */
    public Write beginWrite(int branchId) {
        return beginWrite(branchId, false);
    }

    /**
     * As {@link #beginWrite(int)}; with {@code overQueued}, it does not wait for the branch's queued commits:
     * the session reads the head plus those commits ({@link CommitPipeline}) and its own commit is built on them.
     * For commands whose every read and write goes through the session (CRUD and catalog commands).
     */
    public Write beginWrite(int branchId, boolean overQueued) {
        return beginWrite(branchId, overQueued, false);
    }

    /**
     * How long an inline write waits for its branch's lock before it gives up ({@link WouldBlock}): long enough for
     * the short writers that usually hold it (an evaluation of one small command, tens of microseconds), short
     * enough that a thread serving other connections is never held by a long write.
     */
    private static final long INLINE_LOCK_WAIT_NANOS = 1_000_000;

    /**
     * As {@link #beginWrite(int, boolean)}; {@code inline} is for a thread that must not wait (the event loop): it
     * waits at most {@link #INLINE_LOCK_WAIT_NANOS} for the lock, and only over queued commits, else throws
     * {@link WouldBlock} having taken nothing.
     */
    public Write beginWrite(int branchId, boolean overQueued, boolean inline) {
        ReentrantLock lock = writeLocks.computeIfAbsent(branchId, k -> new ReentrantLock());
        if (inline) {
            tryAcquire(lock);
        } else {
            acquire(lock);
        }
        try {
            CommitPipeline pipeline = pipeline(branchId);
            if (!overQueued) {
                pipeline.drain();
            }
            Branch b = wal.branch(branchId);
            if (b == null || b.name() == null) {
                // The name moved to a new id (reset) or the branch was deleted while this write waited. Nothing
                // was written. 112 reaches the application: it is not one of the retryable-writes codes, so it
                // carries no RetryableWriteError label and drivers do not retry it. Run again, the write goes to
                // the name's new head or fails because the branch is gone, a choice left to the application.
                throw new dev.argon.engine.ArgonException(dev.argon.engine.MongoErrorCode.WRITE_CONFLICT,
                        "the branch was reset or deleted while this write waited; run it again");
            }
            // Queued commits first, then the head (see CommitPipeline.queued): each queued one is either laid over
            // the head or already in it.
            java.util.List<CommitPipeline.Layer> queued = pipeline.queued();
            ReadView head = wal.headView(branchId);
            KeyReader base = new WalKeyReader(wal, head);
            boolean catalogQueued = false;
            for (CommitPipeline.Layer l : queued) {
                base = new OverlayKeyReader(base, l.changes());
                catalogQueued |= l.catalog();
            }
            // The head's catalog cache does not know a queued catalog change: such a session reads the catalog.
            WriteSession s = new WriteSession(wal, branchId, base, lock, catalogQueued ? null : catalogCache.forView(wal, head));
            s.countingAccesses(scope(branchId));
            s.queuedAfter(pipeline, queued.isEmpty() ? null : queued.get(queued.size() - 1).pending());
            return new Write(s, lock, wal, commitSignal, this, null);
        } catch (RuntimeException e) {
            lock.unlock();
            forgetIfRetired(branchId, lock);
            throw e;
        }
    }

    /**
     * Starts a transaction's write session on a branch without taking its lock: it reads the branch as of
     * {@code atLsn} (-1: the head now) plus its own changes, and writes nothing until
     * {@link #commitTransaction}. Its {@link Write} releases nothing when closed, so every statement of the
     * transaction can use it.
     */
    public Write beginTransaction(int branchId, long atLsn) {
        ReentrantLock lock = writeLocks.computeIfAbsent(branchId, k -> new ReentrantLock());
        ReadView view = atLsn < 0 ? wal.headView(branchId) : wal.viewAt(branchId, atLsn);
        WriteSession s = new WriteSession(wal, branchId, new WalKeyReader(wal, view), lock, true);
        s.claims(claims);
        s.countingAccesses(scope(branchId));
        return new Write(s, null, wal, commitSignal, this, null);
    }

    /**
     * Commits a transaction as one WAL commit, under the branch's write lock: refused with 112 WriteConflict when
     * the branch was reset or deleted, or when a concurrent commit changed what the transaction wrote since its
     * snapshot (nothing is written then). Returns null when the transaction changed nothing (its metadata, if
     * any, is written alone). A journaled commit waits for its fsync after the lock is released.
     */
    public dev.argon.wal.CommitResult commitTransaction(Write txn, String actor, String comment, boolean journaled,
                                                        java.util.List<dev.argon.wal.KeyWrite> metaWrites) {
        WriteSession s = txn.session();
        ReentrantLock lock = writeLocks.computeIfAbsent(s.branchId(), k -> new ReentrantLock());
        acquire(lock);
        dev.argon.wal.CommitResult r;
        try {
            // The conflict check compares with the head: every commit queued before must be in it.
            pipeline(s.branchId()).drain();
            Branch b = wal.branch(s.branchId());
            if (b == null || b.name() == null) {
                throw new dev.argon.engine.ArgonException(dev.argon.engine.MongoErrorCode.WRITE_CONFLICT,
                        "the branch was reset or deleted while this transaction ran; retry the transaction");
            }
            s.checkConflicts(new WalKeyReader(wal, wal.headView(s.branchId())));
            r = s.commitTransaction(actor, comment, journaled, metaWrites);
        } finally {
            // Committed or refused, the transaction is over: its keys are free (a refused one is then aborted).
            s.releaseClaims();
            lock.unlock();
            forgetIfRetired(s.branchId(), lock);
            commitSignal.fire();
        }
        long lsn = s.durableLsn();
        if (lsn > 0) {
            wal.awaitDurable(lsn);
        }
        return r;
    }

    /**
     * Runs a change to a branch's ref (protect, delete) under that branch's write lock, so that it is ordered
     * with the branch's writers: a write in progress commits before the change, and a write that starts after
     * it sees the change.
     */
    public <T> T underWriteLock(int branchId, java.util.function.Supplier<T> change) {
        ReentrantLock lock = writeLocks.computeIfAbsent(branchId, k -> new ReentrantLock());
        acquire(lock);
        try {
            // A write queued before the change commits before it, as one holding the lock would.
            pipeline(branchId).drain();
            return change.get();
        } finally {
            lock.unlock();
            forgetIfRetired(branchId, lock);
        }
    }

    /**
     * Forgets the write lock and commit pipeline of a branch id that no longer names a branch (dropped, or retired
     * by a reset, which gives the name a new id), so that they do not pile up, one per id ever written. Safe after
     * the lock is released: ids are never reused, and a writer that still holds or waits for the old lock finds
     * the id retired once it has it and writes nothing (nor does a lock made afresh for the id); the pipeline is
     * empty, as whoever retired the id drained it under the lock.
     */
    private void forgetIfRetired(int branchId, ReentrantLock lock) {
        Branch b = wal.branch(branchId);
        if (b == null || b.name() == null) {
            writeLocks.remove(branchId, lock);
            pipelines.remove(branchId);
        }
    }

    /** Tests only: whether a write lock or a commit pipeline is still kept for the branch id. */
    boolean tracksForTests(int branchId) {
        return writeLocks.containsKey(branchId) || pipelines.containsKey(branchId);
    }

    private CommitPipeline pipeline(int branchId) {
        return pipelines.computeIfAbsent(branchId, k -> new CommitPipeline());
    }

    private void acquire(ReentrantLock lock) {
        ShutdownAwareLock.lock(lock, closing, "another write on the same branch");
    }

    private void tryAcquire(ReentrantLock lock) {
        boolean taken;
        try {
            taken = !closing.getAsBoolean() && lock.tryLock(INLINE_LOCK_WAIT_NANOS, java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            taken = false;
        }
        if (!taken) {
            throw new WouldBlock("the branch's write lock is held by a longer write");
        }
    }

    public Branch branch(String name) {
        return wal.branch(name);
    }

    @Override
    public void close() {
        wal.close();
    }

    /**
     * A write session bound to its branch lock. Closing discards a streamed change that was never published
     * (still under the lock, so no commit of the branch can come first), releases the lock, then waits for a
     * requested fsync, or, with a {@code durableSink}, hands the LSN to wait for to it instead: the caller then
     * holds its reply until that LSN is durable ({@link VersionStore#whenDurable}) without a thread waiting.
     */
    public record Write(WriteSession session, ReentrantLock lock, VersionStore wal, CommitSignal signal, Store store,
                        java.util.function.LongConsumer durableSink) implements AutoCloseable {

        /** This write, handing its fsync wait to {@code sink} instead of blocking in {@link #close()}. */
        public Write deferringDurability(java.util.function.LongConsumer sink) {
            return lock == null ? this : new Write(session, lock, wal, signal, store, sink);
        }

        @Override
        public void close() {
            if (lock == null) {
                // A transaction's session: it lives until the transaction commits or aborts.
                return;
            }
            if (session.detached()) {
                // commitDetached released the lock; its callback fires the signal once the commit is written.
                return;
            } else if (session.lockReleased()) {
                // commitReleasing released the lock and waited for the write: nothing is staged.
                signal.fire();
            } else {
                try {
                    session.abortUnpublished();
                } finally {
                    lock.unlock();
                    // A reset retires the branch id it ran on.
                    store.forgetIfRetired(session.branchId(), lock);
                    // The commit, if any, is visible now; waiting watchers look (before any fsync wait below).
                    signal.fire();
                }
            }
            long lsn = session.durableLsn();
            if (lsn > 0) {
                if (durableSink != null) {
                    durableSink.accept(lsn);
                } else {
                    wal.awaitDurable(lsn);
                }
            }
        }
    }

    /** See {@link VersionStore#whenDurable}. */
    public void whenDurable(long lsn, java.util.function.Consumer<RuntimeException> done) {
        wal.whenDurable(lsn, done);
    }
}
