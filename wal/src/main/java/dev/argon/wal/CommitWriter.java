package dev.argon.wal;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WAL's core writer: the commit lock, the single write path to RocksDB, the group commit and the LSN
 * allocation it does, the last LSN and commit time, and the syncer that makes writes durable. Owns the invariants
 * "LSN order is write order", "one RocksDB write per group" and "a head never points past its data"; every other
 * room writes through {@link #write} while holding {@link #lock()}. Thread-safe.
 */
final class CommitWriter {
    private static final Logger LOG = LoggerFactory.getLogger(CommitWriter.class);
    static final byte[] LAST_LSN = "lastLsn".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    static final byte[] LAST_TIME = "lastTime".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    /** A group's batch up to this size is cleared and reused for the next group. */
    private static final long KEEP_BATCH_BYTES = 1 << 20;

    private final WalDb db;
    private final BranchRegistry branches;
    private final IteratorPool reads;
    private final WalHealth health;
    private final WalSyncer syncer;
    /**
     * Serializes RocksDB writes: held by the leader of a commit group while it writes, and by every branch,
     * tag, id and metadata change, so that LSN order is write order and a head never runs ahead of its data.
     */
    private final ReentrantLock commitLock = new ReentrantLock();
    /** The queue of commits waiting for a leader to write them; see {@link #commit}. */
    private final GroupCommit groupCommit = new GroupCommit(this::leadDetached);
    /**
     * Detached requests whose turn to lead has come ({@link GroupCommit.Member#detach}); the writer thread leads
     * their groups. At most one is here at a time (one leader at a time), so a plain queue is enough.
     */
    private final java.util.concurrent.LinkedBlockingQueue<GroupCommit.Member> detachedTurns = new java.util.concurrent.LinkedBlockingQueue<>();
    /** Guards {@link #writerThread} and {@link #writerStopping}. */
    private final Object writerGuard = new Object();
    /** The thread that leads groups for detached requests; started with the first one. */
    private Thread writerThread;
    /** True once close has stopped (or is stopping) the writer thread. */
    private boolean writerStopping;
    /** Why a branch id refuses commits now (an abandoned streamed write not yet retired), or null. */
    private final IntFunction<String> refusal;
    /** Every commit and metadata write uses these: unsynced, durability comes from {@link WalSyncer}. */
    private final WriteOptions unsynced = new WriteOptions();
    /** The buffers every group's batch is built through; guarded by commitLock. */
    private final DirectPuts puts = new DirectPuts();
    /**
     * The batch every group is built in, cleared after each (a fresh one per group cost a native allocation and
     * the growth of its buffer each time); replaced after a large one so that its memory is not kept. Guarded by
     * commitLock.
     */
    private WriteBatch groupBatch = new WriteBatch();
    private final ScheduledExecutorService ticker;
    private volatile WalFaults faults = WalFaults.NONE;
    private volatile long lastLsn;
    private volatile long lastTime;
    private volatile long lastCatalogLsn = Long.MAX_VALUE;
    /** Guarded by commitLock: a second close must not touch the freed native handles. */
    private boolean closed;

    CommitWriter(WalDb db, BranchRegistry branches, IteratorPool reads, WalHealth health, IntFunction<String> refusal)
            throws RocksDBException {
        this.db = db;
        this.branches = branches;
        this.reads = reads;
        this.health = health;
        this.refusal = refusal;
        byte[] v = db.db().get(db.meta(), LAST_LSN);
        lastLsn = v == null ? 0 : Bytes.getLong(v, 0);
        byte[] t = db.db().get(db.meta(), LAST_TIME);
        lastTime = t == null ? 0 : Bytes.getLong(t, 0);
        syncer = new WalSyncer(db, health, lastLsn);
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "argon-wal-sync");
            th.setDaemon(true);
            return th;
        });
    }

    /** Starts the background sync (and idle-iterator trim) once the data directory is recovered. */
    void start() {
        ticker.scheduleWithFixedDelay(this::tick, WalSyncer.INTERVAL_MS, WalSyncer.INTERVAL_MS, TimeUnit.MILLISECONDS);
        syncer.start();
        lastCatalogLsn = lastLsn;
    }

    private void tick() {
        reads.trim();
        try {
            syncer.tick();
        } catch (WalException e) {
            // Already recorded by WalHealth, which refuses every later write and durable acknowledgement.
            LOG.debug("background WAL sync failed", e);
        } catch (RuntimeException e) {
            LOG.error("background WAL sync failed", e);
        }
    }

    ReentrantLock lock() {
        return commitLock;
    }

    <T> T underCommitLock(Supplier<T> work) {
        commitLock.lock();
        try {
            return work.get();
        } finally {
            commitLock.unlock();
        }
    }

    long lastLsn() {
        return lastLsn;
    }

    long lastTime() {
        return lastTime;
    }

    long lastCatalogLsn() {
        return lastCatalogLsn;
    }

    WalSyncer syncer() {
        return syncer;
    }

    void faults(WalFaults f) {
        this.faults = f == null ? WalFaults.NONE : f;
        syncer.faults(this.faults);
    }

    /** Blocks until the write with this sequence number is on stable storage. */
    void awaitSeq(long seq) {
        syncer.awaitSeq(seq);
    }

    /**
     * Writes one batch: the single path of every commit and metadata change to RocksDB. Refused up front when
     * the store has failed or the disk is full; a failure is reported to {@link WalHealth}. Caller holds the
     * commit lock. {@code lsn} is context for errors; {@code lastLsnAfter} is the data directory's last LSN once
     * the batch is written. Returns the write's sequence number for {@link WalSyncer#awaitSeq}.
     */
    long write(WriteBatch batch, String what, int branchId, long lsn, long lastLsnAfter) {
        assert commitLock.isHeldByCurrentThread();
        health.checkWritable(branchId, lsn);
        if (health.engineDiskFull()) {
            checkTailAfterFailedWrite();
        }
        try {
            faults.beforeWrite();
            db.db().write(unsynced, batch);
        } catch (RocksDBException | java.io.IOException e) {
            throw health.writeFailed(e, what, branchId, lsn);
        }
        // Before any head naming this write is published: pooled read iterators refresh before their next read.
        reads.written();
        health.written(batch.getDataSize());
        return syncer.written(lastLsnAfter);
    }

    /** Writes a batch that moves no LSN (branch, tag, id, metadata, GC), under the commit lock. */
    long write(WriteBatch batch, String what, int branchId, long lsn) {
        return write(batch, what, branchId, lsn, lastLsn);
    }

    /**
     * Before writing again after RocksDB reported ENOSPC: the failed batch must not have landed after all,
     * or the next commit would reuse its LSNs. If it did, the in-memory state is stale and only a restart
     * (which reads the real tail) is safe.
     */
    private void checkTailAfterFailedWrite() {
        try {
            byte[] v = db.db().get(db.meta(), LAST_LSN);
            long onDisk = v == null ? 0 : Bytes.getLong(v, 0);
            if (onDisk != lastLsn) {
                health.fail("after a disk-full error the last LSN on disk is " + onDisk + " but " + lastLsn + " in memory", null);
                health.checkWritable(-1, lastLsn);
            }
        } catch (RocksDBException e) {
            throw new WalException("cannot read the last LSN: " + e.getMessage(), -1, lastLsn, e);
        }
    }

    /**
     * Writes metadata keys outside any commit, atomically; with {@code sync}, returns once they are on stable
     * storage. See {@link Wal#writeMeta}.
     */
    void writeMeta(List<KeyWrite> writes, boolean sync) {
        if (writes.isEmpty()) {
            return;
        }
        long seq;
        commitLock.lock();
        try (WriteBatch batch = new WriteBatch()) {
            putMeta(batch, writes);
            seq = write(batch, "writing metadata", -1, -1);
        } catch (RocksDBException e) {
            throw new WalException("cannot build the metadata batch: " + e.getMessage(), -1, -1, e);
        } finally {
            commitLock.unlock();
        }
        if (sync) {
            syncer.awaitSeq(seq);
        }
    }

    private void putMeta(WriteBatch batch, List<KeyWrite> writes) throws RocksDBException {
        for (KeyWrite m : writes) {
            if (m.payload() == null) {
                batch.delete(db.meta(), m.userKey());
            } else {
                batch.put(db.meta(), m.userKey(), m.payload());
            }
        }
    }

    /**
     * Queues one commit (or one part of a streamed commit) for the group commit and returns once it is written,
     * and durable when the request asks for it. See {@link Wal#commit}.
     */
    CommitResult commit(CommitRequest request, StagedCommit.Part part) {
        return await(groupCommit.enqueue(request, part));
    }

    /**
     * Queues one commit built on {@code after} (an earlier queued commit of the same branch, or null) and returns
     * at once; see {@link Wal#enqueue}. The caller must {@link PendingCommit#await()} it.
     */
    PendingCommit enqueue(CommitRequest request, PendingCommit after) {
        return new PendingCommit(this, groupCommit.enqueue(request, null, after == null ? null : after.member));
    }

    /** Waits for a queued request (leading its group when its turn comes); see {@link #commit}. */
    CommitResult await(GroupCommit.Member me) {
        CommitRequest request = me.request();
        if (me.awaitTurn()) {
            leadGroup(me);
        }
        CommitResult result = me.result();
        if (request.sync()) {
            syncer.awaitSeq(me.seq());
        }
        return result;
    }

    /**
     * Hands a detached request's turn to lead to the writer thread (started on first use); never blocks. Once the
     * WAL is closing, each such turn gets a short-lived thread of its own, which finds the WAL closed and refuses
     * the group (leading here instead could take the commit lock inside the queue's monitor, the wrong order).
     */
    private void leadDetached(GroupCommit.Member m) {
        synchronized (writerGuard) {
            if (writerStopping) {
                Thread t = new Thread(() -> leadGroup(m), "argon-wal-writer-closed");
                t.setDaemon(true);
                t.start();
                return;
            }
            if (writerThread == null) {
                writerThread = new Thread(this::leadDetachedTurns, "argon-wal-writer");
                writerThread.setDaemon(true);
                writerThread.start();
            }
            detachedTurns.add(m);
        }
    }

    /** The writer thread: leads the group of each detached request whose turn came, in turn order, until STOP. */
    private void leadDetachedTurns() {
        while (true) {
            GroupCommit.Member m;
            try {
                m = detachedTurns.take();
            } catch (InterruptedException e) {
                // Nothing interrupts this thread on purpose; leaving would strand the next turn.
                continue;
            }
            if (m == STOP) {
                return;
            }
            try {
                leadGroup(m);
            } catch (Throwable t) {
                // leadGroup has given every member of the group an outcome; the thread lives on for the next turn.
                LOG.error("leading a group of detached commits failed", t);
            }
        }
    }

    /** Ends the writer thread once it has led every turn queued before it (see {@link #close}). */
    private static final GroupCommit.Member STOP = new GroupCommit(m -> { }).enqueue(
            new CommitRequest(-1, null, null, false, List.of()), null);

    GroupCommitStats groupCommitStats() {
        return groupCommit.stats();
    }

    int waitingCommits() {
        return groupCommit.waiting();
    }

    /**
     * Writes one group as its leader: takes the requests waiting in the queue (this thread's own is first),
     * writes them, completes them, and hands the queue to the next waiter. Every member taken is completed,
     * with a result or a failure, whatever happens here.
     */
    private void leadGroup(GroupCommit.Member me) {
        List<GroupCommit.Member> group = List.of();
        try {
            Written w;
            // Taken under the commit lock, so that requests arriving while a branch or tag change holds it join
            // this group instead of forming their own.
            commitLock.lock();
            try {
                group = groupCommit.takeGroup();
                assert !group.isEmpty() && group.get(0) == me : "a leader leads its own request first";
                if (closed) {
                    throw new WalException("the WAL is closed", -1, lastLsn, null);
                }
                w = writeGroup(group);
            } finally {
                commitLock.unlock();
            }
            // Outside the lock, before the hand-off: one branch's queued commits still finish in queue order.
            for (GroupCommit.Member m : w.members()) {
                m.complete(w.seq());
            }
        } catch (RuntimeException e) {
            // The write failed (WalHealth has recorded it): every member not yet refused alone fails with it.
            for (GroupCommit.Member m : group) {
                m.failIfPending(e);
            }
        } catch (Error e) {
            for (GroupCommit.Member m : group) {
                m.failIfPending(new WalException("group commit failed: " + e, -1, lastLsn, e));
            }
            throw e;
        } finally {
            // Detached requests' callbacks, without the commit lock (a callback takes the session catalog's monitor,
            // which a session sweep holds while it writes under the commit lock): those written ran in complete;
            // these are the ones refused alone while the batch was built, or failed with it.
            for (GroupCommit.Member m : group) {
                m.runCallback();
            }
            groupCommit.handOff();
        }
    }

    /**
     * Builds and writes one batch for a group, in queue order. LSN ranges are handed out in that order, so
     * LSN order is write order and, per branch, completion order. Caller holds the commit lock.
     *
     * <p>The engine holds a branch's write lock from a commit's reads until this returns, so a branch has at
     * most one request in flight and appears at most once in a group; that is what makes each head a clean
     * sequence of commits, each built on the one before. The heads are still chained
     * in {@link GroupBatch} so that callers without that lock (the WAL's own tests commit to one branch from many threads) get
     * consecutive, correct heads too.
     */
    private Written writeGroup(List<GroupCommit.Member> group) {
        long time = Math.max(System.currentTimeMillis(), lastTime);
        GroupBatch g = new GroupBatch(db, branches, groupBatch, puts, refusal, lastLsn, time);
        try {
            for (GroupCommit.Member m : group) {
                g.add(m);
            }
            if (g.written().isEmpty()) {
                return new Written(List.of(), 0);
            }
            long lsn = g.finish();
            long seq = write(g.batch(), "commit", g.firstBranch(), g.firstLsn(), lsn);
            lastLsn = lsn;
            if (g.catalog()) {
                // Set before the heads move, so a reader that sees a new head also sees this.
                lastCatalogLsn = lsn;
            }
            lastTime = time;
            for (Branch head : g.moved()) {
                branches.apply(head);
            }
            groupCommit.written(g.written().size());
            return new Written(List.copyOf(g.written()), seq);
        } finally {
            recycleGroupBatch();
        }
    }

    /** The members a group wrote, to be completed by the leader once the commit lock is released. */
    private record Written(List<GroupCommit.Member> members, long seq) {}

    private void recycleGroupBatch() {
        if (groupBatch.getDataSize() > KEEP_BATCH_BYTES) {
            groupBatch.close();
            groupBatch = new WriteBatch();
        } else {
            groupBatch.clear();
        }
    }

    /**
     * Lets the writer thread lead every detached turn already handed to it, then ends it (waiting at most 10 s); a
     * detached request whose turn comes later gets a short-lived thread of its own, which refuses it: the WAL is
     * closed.
     */
    private void stopWriterThread() {
        Thread t;
        synchronized (writerGuard) {
            writerStopping = true;
            t = writerThread;
            if (t == null) {
                return;
            }
            detachedTurns.add(STOP);
        }
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the ticker, syncs RocksDB's log and frees the native handles; a second call does nothing. */
    void close() {
        // Detached commits have no thread of their own waiting: let the queue finish them (and their callbacks run)
        // while the handles are still open.
        groupCommit.awaitIdle(10_000);
        stopWriterThread();
        ticker.shutdownNow();
        // A tick may be inside RocksDB's syncWal right now, outside the commit lock: the handles must outlive it,
        // or the sync runs on a closed database and takes the process down (seen as a SIGSEGV in syncWal).
        try {
            if (!ticker.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("the background WAL sync did not stop within 10 s; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        commitLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            boolean synced = false;
            try {
                db.db().syncWal();
                synced = !health.failed();
            } catch (RocksDBException e) {
                LOG.warn("final WAL sync failed", e);
            }
            // Replies waiting for an fsync go out now, covered by the final sync (or refused if it failed).
            syncer.close(synced);
            reads.close();
            db.close();
            unsynced.close();
            groupBatch.close();
        } finally {
            commitLock.unlock();
        }
    }
}
