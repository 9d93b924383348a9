package dev.argon.wal;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log of one data directory: commits, versioned reads, branches. See the package
 * documentation for the layout. Thread-safe.
 */
public final class Wal implements VersionSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Wal.class);
    private static final byte[] LAST_LSN = "lastLsn".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final byte[] LAST_TIME = "lastTime".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final WalDb db;
    private final BranchRegistry branches = new BranchRegistry();
    private final WalSyncer syncer;
    private final ScheduledExecutorService ticker;
    /**
     * Serializes RocksDB writes: held by the leader of a commit group while it writes, and by every branch,
     * tag, id and metadata change, so that LSN order is write order and a head never runs ahead of its data.
     */
    private final ReentrantLock commitLock = new ReentrantLock();
    /** The queue of commits waiting for a leader to write them; see {@link #commit}. */
    private final GroupCommit groupCommit = new GroupCommit();
    private volatile long lastLsn;
    /**
     * Branch ids whose streamed write was abandoned but could not be retired yet (the retiring write failed, on a
     * full disk say), with the reason. Their commits are refused until a retry retires them: a commit moving the
     * head above the orphaned chunks would make them visible.
     */
    private final Map<Integer, String> unresolved = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Integer, long[]> unresolvedRanges = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong stagedChunks = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong stagedPublished = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong stagedAborted = new java.util.concurrent.atomic.AtomicLong();
    private long stagedRecovered;
    private volatile long lastTime;
    private volatile long lastCatalogLsn = Long.MAX_VALUE;
    /** Free-space reserve below which writes are refused; a system property so tests can use a small disk. */
    public static final String MIN_FREE_PROPERTY = "argon.wal.minFreeBytes";
    private final WalHealth health;
    private volatile WalFaults faults = WalFaults.NONE;
    /** Every commit and metadata write uses these: unsynced, durability comes from {@link WalSyncer}. */
    private final WriteOptions unsynced;
    /** Guarded by commitLock: a second close must not touch the freed native handles. */
    private boolean closed;
    private static final byte[] ID_RESERVED = "idReserved".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    /** Ids are reserved in blocks so that an allocation rarely writes; a restart skips the unused rest. */
    private static final long ID_BLOCK = 1024;
    private long nextId;
    private long idReserved;
    /** What GC has given up (horizon, reclaimed ranges); replaced, never edited, under the commit lock. */
    private volatile GcMarks marks;
    private final ReadGate readGate = new ReadGate();
    private final Reclaimer reclaimer;

    private Wal(Path dir) {
        this.db = new WalDb(dir);
        this.health = new WalHealth(dir, Long.getLong(MIN_FREE_PROPERTY, WalHealth.DEFAULT_MIN_FREE_BYTES));
        this.reads = new IteratorPool(db);
        this.images = new LogImages(db, branches, this);
        this.unsynced = new WriteOptions();
        try {
            byte[] v = db.db().get(db.meta(), LAST_LSN);
            lastLsn = v == null ? 0 : Bytes.getLong(v, 0);
            byte[] t = db.db().get(db.meta(), LAST_TIME);
            lastTime = t == null ? 0 : Bytes.getLong(t, 0);
            byte[] r = db.db().get(db.meta(), ID_RESERVED);
            idReserved = r == null ? 0 : Bytes.getLong(r, 0);
            nextId = idReserved + 1;
            marks = GcMarks.decode(db.db().get(db.meta(), GcMarks.KEY));
        } catch (RocksDBException e) {
            db.close();
            throw new WalException("cannot read the last LSN: " + e.getMessage(), -1, -1, e);
        }
        branches.load(db);
        if (branches.byName(Branch.MAIN) == null) {
            createMain();
        }
        syncer = new WalSyncer(db, health, lastLsn);
        recoverStaging();
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "argon-wal-sync");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::tick, WalSyncer.INTERVAL_MS, WalSyncer.INTERVAL_MS, TimeUnit.MILLISECONDS);
        lastCatalogLsn = lastLsn;
        reclaimer = new Reclaimer(this, db);
        LOG.info("opened data directory {} at lsn {}", dir, lastLsn);
    }

    public static Wal open(Path dir) {
        return new Wal(dir);
    }

    private void createMain() {
        Branch main = new Branch(Branch.MAIN_ID, Branch.MAIN, 0, 0, lastLsn, System.currentTimeMillis(), "system", false);
        try (WriteBatch batch = new WriteBatch(); WriteOptions wo = new WriteOptions().setSync(true)) {
            branches.write(batch, db, main);
            db.db().write(wo, batch);
        } catch (RocksDBException e) {
            throw new WalException("cannot create branch main: " + e.getMessage(), Branch.MAIN_ID, -1, e);
        }
        branches.apply(main);
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

    /**
     * Writes one batch: the single path of every commit and metadata change to RocksDB. Refused up front when
     * the store has failed or the disk is full; a failure is reported to {@link WalHealth}. Caller holds
     * {@link #commitLock}. {@code lsn} is context for errors; {@code lastLsnAfter} is the data directory's last
     * LSN once the batch is written. Returns the write's sequence number for {@link WalSyncer#awaitSeq}.
     */
    private long write(WriteBatch batch, String what, int branchId, long lsn, long lastLsnAfter) {
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
     * True while RocksDB has flushes or compactions pending or running on the versions family: benchmarks wait
     * for it so they measure reads, not compaction debt.
     */
    public boolean backgroundWorkPending() {
        try {
            return db.db().getLongProperty(db.versions(), "rocksdb.compaction-pending") > 0
                    || db.db().getLongProperty(db.versions(), "rocksdb.num-running-compactions") > 0
                    || db.db().getLongProperty(db.versions(), "rocksdb.num-running-flushes") > 0
                    || db.db().getLongProperty(db.versions(), "rocksdb.mem-table-flush-pending") > 0;
        } catch (RocksDBException e) {
            throw new WalException("cannot read RocksDB's properties: " + e.getMessage(), -1, -1, e);
        }
    }

    /** The RocksDB handle, for the WAL's own tests that count what a read steps over. */
    WalDb dbForTests() {
        return db;
    }

    /** Installs a fault hook (tests only; {@code null} removes it). */
    public void faults(WalFaults f) {
        this.faults = f == null ? WalFaults.NONE : f;
        syncer.faults(this.faults);
    }

    /** Whether writes are accepted, and why not. */
    public WalHealth health() {
        return health;
    }

    /**
     * A new id, unique in this data directory for its lifetime (collection ids, index ids). Never reused,
     * even after a crash, because the block it comes from is persisted before it is handed out.
     */
    public synchronized long allocateId() {
        if (nextId > idReserved) {
            long reserve = idReserved + ID_BLOCK;
            long seq;
            commitLock.lock();
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(db.meta(), ID_RESERVED, Bytes.longKey(reserve));
                seq = write(batch, "reserving ids", -1, -1, lastLsn);
            } catch (RocksDBException e) {
                throw new WalException("cannot reserve ids: " + e.getMessage(), -1, -1, e);
            } finally {
                commitLock.unlock();
            }
            syncer.awaitSeq(seq);
            idReserved = reserve;
        }
        return nextId++;
    }

    /** The highest LSN committed in this data directory. */
    public long lastLsn() {
        return lastLsn;
    }

    /**
     * The last LSN of the last commit that changed any catalog entry since this process opened the data
     * directory (MAX_VALUE until the first read of it settles, so caches start cold). A catalog read made at
     * a point at or above it stays valid for any later point until this moves.
     */
    public long lastCatalogLsn() {
        return lastCatalogLsn;
    }

    /** Time of the last commit, epoch millis (0 if none). */
    public long lastCommitTime() {
        return lastTime;
    }

    /** False once the store refuses writes until restart (see {@link WalHealth}). */
    public boolean healthy() {
        return !health.failed();
    }

    public Branch branch(String name) {
        return branches.byName(name);
    }

    public Branch branch(int id) {
        return branches.get(id);
    }

    /** Live branches (a deleted branch keeps a nameless record for its descendants' history). */
    public Collection<Branch> branches() {
        return branches.named();
    }

    /** A view of a branch at its current head. */
    public ReadView headView(int branchId) {
        Branch b = requireBranch(branchId);
        return branches.view(b.id(), b.headLsn());
    }

    /**
     * A view of a branch at an older LSN (inclusive); the LSN is capped at the branch's head. Refused
     * ({@link BranchException.Kind#HISTORY_GONE}) when GC has given that point up (below the history horizon, or
     * in a reclaimed range): never a view that would answer wrongly.
     */
    public ReadView viewAt(int branchId, long lsn) {
        Branch b = requireBranch(branchId);
        // Rounded per ancestry level: below a fork point the bound falls into the parent's history, whose
        // streamed commits interleave with other branches' and need rounding of their own. Refused where GC
        // has given the point up.
        ReadView v = branches.view(b.id(), Math.min(lsn, b.headLsn()), this::roundToCommit);
        requireReadable(b, v.readLsn());
        return v;
    }

    /** The view of a streamed commit: the branch up to its last staged LSN, its ancestry as at the head. */
    ReadView stagedView(int branchId, long lastStagedLsn) {
        Branch b = requireBranch(branchId);
        return branches.view(b.id(), Math.max(b.headLsn(), lastStagedLsn));
    }

    /**
     * For a new fork point or tag below the horizon (allowed there only because it is a pinned point or a live
     * head): adds the point to the pinned set in the same batch, so that it stays readable after its branch is
     * dropped or reset, before the next GC pass pins it by itself. Returns the marks to install once the batch is
     * written, or null. Caller holds the commit lock.
     */
    private GcMarks pinBelowHorizon(WriteBatch batch, Branch b, long p) throws RocksDBException {
        GcMarks m = marks;
        long q = Math.min(p, b.headLsn());
        if (q >= m.horizon() || m.pinned().contains(new GcMarks.Point(b.id(), q))) {
            return null;
        }
        GcMarks pinned = m.withPinned(new GcMarks.Point(b.id(), q));
        batch.put(db.meta(), GcMarks.KEY, pinned.encode());
        return pinned;
    }

    /** Refuses a point GC has given up; see {@link GcMarks#readable}. */
    private void requireReadable(Branch b, long p) {
        GcMarks m = marks;
        if (!m.readable(b, p)) {
            throw new BranchException(BranchException.Kind.HISTORY_GONE, m.refusal(b, p));
        }
    }

    // ---- garbage collection (Reclaimer) ----

    /** What GC has given up so far. */
    public GcMarks gcMarks() {
        return marks;
    }

    /** The oldest point time travel may still ask for (0: all history is kept). */
    public long horizonLsn() {
        return marks.horizon();
    }

    /** The sections GC waits for before deleting; every command holds a ticket (see {@link ReadGate}). */
    public ReadGate readGate() {
        return readGate;
    }

    /** Runs one GC pass (see {@link Reclaimer}); passes run one at a time. */
    public GcReport gc(GcRequest request) {
        return reclaimer.run(request, false);
    }

    /**
     * As {@link #gc}, but skips the scan when nothing changed since the last full pass (same marks, no catalog
     * change): what a background job calls, so that it costs a metadata read when there is nothing to do.
     */
    public GcReport gcIfChanged(GcRequest request) {
        return reclaimer.run(request, true);
    }

    GcMarks marks() {
        return marks;
    }

    BranchRegistry registry() {
        return branches;
    }

    /** The RocksDB handle, for the GC and for tests in this package that look at what is stored. */
    WalDb db() {
        return db;
    }

    <T> T underCommitLock(java.util.function.Supplier<T> work) {
        commitLock.lock();
        try {
            return work.get();
        } finally {
            commitLock.unlock();
        }
    }

    /** Persists and installs new marks; caller holds the commit lock. Synced: a refusal must survive a crash. */
    void publishMarks(GcMarks m) {
        long seq;
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(db.meta(), GcMarks.KEY, m.encode());
            seq = write(batch, "publishing GC marks", -1, -1, lastLsn);
        } catch (RocksDBException e) {
            throw new WalException("cannot write the GC marks: " + e.getMessage(), -1, -1, e);
        }
        marks = m;
        syncer.awaitSeq(seq);
    }

    /** Writes one batch of GC deletes through the single write path, holding the commit lock only for it. */
    void writeGc(WriteBatch batch) {
        commitLock.lock();
        try {
            write(batch, "reclaiming history", -1, -1, lastLsn);
        } finally {
            commitLock.unlock();
        }
    }

    /** Deletes the records of unreachable branch ids and installs the marks that forget them; caller holds the commit lock. */
    void forgetBranches(java.util.Set<Integer> ids, GcMarks m) {
        long seq;
        try (WriteBatch batch = new WriteBatch()) {
            for (int id : ids) {
                branches.delete(batch, db, id);
            }
            batch.put(db.meta(), GcMarks.KEY, m.encode());
            seq = write(batch, "deleting unreachable branch records", -1, -1, lastLsn);
        } catch (RocksDBException e) {
            throw new WalException("cannot delete branch records: " + e.getMessage(), -1, -1, e);
        }
        for (int id : ids) {
            branches.forget(id);
        }
        marks = m;
        syncer.awaitSeq(seq);
    }

    private Branch requireBranch(int branchId) {
        Branch b = branches.get(branchId);
        if (b == null) {
            throw new WalException("no such branch", branchId, -1, null);
        }
        return b;
    }

    /** A branch id that still carries a name (not deleted, not replaced by a reset). */
    private Branch requireNamed(int branchId) {
        Branch b = requireBranch(branchId);
        if (b.name() == null) {
            throw new BranchException(BranchException.Kind.NOT_FOUND, "the branch was deleted or reset meanwhile (branch id " + branchId + ")");
        }
        return b;
    }

    /** Reused iterators for point reads (creating one per read cost as much as the read). */
    private final IteratorPool reads;
    /** Resolves the images and commit fields of log entries read back. */
    private final LogImages images;

    /** The visible payload of userKey in view, or null if absent or deleted. */
    @Override
    public byte[] get(ReadView view, byte[] userKey) {
        return reads.read(c -> {
            byte[] v = c.read(view, userKey);
            return v == null || VersionKeys.isTombstone(v) ? null : VersionKeys.payload(v);
        });
    }

    /** Visible live keys under prefix in key order, starting at startUserKey (inclusive) if given. */
    @Override
    public VersionScan scan(ReadView view, byte[] prefix, byte[] startUserKey) {
        return new VersionScan(db, view, prefix, startUserKey);
    }

    /**
     * Writes one commit atomically and returns its LSN range. Concurrent commits are written together, in one
     * RocksDB write, by whichever of them reached an idle queue ({@link GroupCommit}). Blocks for an fsync
     * only when the request asks for one, and then shares it with the rest of its group and with concurrent
     * committers. A request that cannot be written (retired branch id, no entries) fails alone; a failed
     * write fails every member of its group.
     */
    public CommitResult commit(CommitRequest request) {
        return write(request, null);
    }

    /**
     * Starts a commit written in chunks (see {@link StagedCommit}). The caller holds the branch's write lock until
     * it is published or aborted.
     */
    public StagedCommit stage(int branchId, String actor, String comment) {
        requireNamed(branchId);
        return new StagedCommit(this, branchId, actor, comment);
    }

    /** A chunk or the publishing batch of a staged commit, through the same group commit as every commit. */
    CommitResult writeStaged(CommitRequest request, StagedCommit.Part part) {
        CommitResult r = write(request, part);
        if (part.publish()) {
            stagedPublished.incrementAndGet();
        } else {
            stagedChunks.incrementAndGet();
        }
        return r;
    }

    private CommitResult write(CommitRequest request, StagedCommit.Part part) {
        if (unresolved.containsKey(request.branchId())) {
            retryAbandon(request.branchId());
        }
        GroupCommit.Member me = groupCommit.enqueue(request, part);
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
     * Writes one group as its leader: takes the requests waiting in the queue (this thread's own is first),
     * writes them, completes them, and hands the queue to the next waiter. Every member taken is completed,
     * with a result or a failure, whatever happens here.
     */
    private void leadGroup(GroupCommit.Member me) {
        java.util.List<GroupCommit.Member> group = java.util.List.of();
        try {
            // Taken under the commit lock, so that requests arriving while a branch or tag change holds it join
            // this group instead of forming their own.
            commitLock.lock();
            try {
                group = groupCommit.takeGroup();
                assert !group.isEmpty() && group.get(0) == me : "a leader leads its own request first";
                writeGroup(group);
            } finally {
                commitLock.unlock();
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
            groupCommit.handOff();
        }
    }

    /**
     * Builds and writes one batch for a group, in queue order. LSN ranges are handed out in that order, so
     * LSN order is write order and, per branch, completion order. Caller holds {@link #commitLock}.
     *
     * <p>The engine holds a branch's write lock from a commit's reads until this returns, so a branch has at
     * most one request in flight and appears at most once in a group; that is what makes each head a clean
     * sequence of commits, each built on the one before. The heads are still chained through {@code moved}
     * so that callers without that lock (the WAL's own tests commit to one branch from many threads) get
     * consecutive, correct heads too.
     */
    private void writeGroup(java.util.List<GroupCommit.Member> group) {
        long time = Math.max(System.currentTimeMillis(), lastTime);
        long lsn = lastLsn;
        boolean catalog = false;
        Map<Integer, Branch> moved = new LinkedHashMap<>();
        java.util.List<GroupCommit.Member> written = new java.util.ArrayList<>(group.size());
        int firstBranch = -1;
        long firstLsn = lsn + 1;
        try (WriteBatch batch = new WriteBatch()) {
            for (GroupCommit.Member m : group) {
                CommitRequest request = m.request();
                Branch branch = moved.containsKey(request.branchId()) ? moved.get(request.branchId()) : branches.get(request.branchId());
                if (branch == null) {
                    m.fail(new WalException("no such branch", request.branchId(), -1, null));
                    continue;
                }
                if (branch.name() == null) {
                    // Checked here, under the lock that orders commits, so that a drop or reset that won the
                    // race is never followed by a commit on the id it retired.
                    m.fail(new BranchException(BranchException.Kind.RETIRED, "branch id " + branch.id()
                            + " was deleted or reset while this write was in progress; nothing was written; run it again"));
                    continue;
                }
                StagedCommit.Part part = m.part();
                boolean publish = part != null && part.publish();
                if (unresolved.containsKey(branch.id())) {
                    m.fail(new BranchException(BranchException.Kind.RETIRED, "an earlier streamed write on branch id " + branch.id()
                            + " could not be discarded yet (" + unresolved.get(branch.id()) + "); nothing was written; run it again"));
                    continue;
                }
                if (request.entries().isEmpty() && !publish) {
                    m.fail(new IllegalArgumentException("a commit needs at least one entry"));
                    continue;
                }
                long start = lsn + 1;
                Map<String, int[]> counts = new LinkedHashMap<>();
                if (publish) {
                    for (Map.Entry<String, int[]> e : part.counts().entrySet()) {
                        counts.put(e.getKey(), e.getValue().clone());
                    }
                }
                for (LogEntry e : request.entries()) {
                    lsn++;
                    batch.put(db.log(), Bytes.longKey(lsn), Bson.bytes(LogCodec.encode(e, branch.id())));
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
                    if (firstBranch < 0) {
                        firstBranch = branch.id();
                        firstLsn = start;
                    }
                    m.assign(new CommitResult(start, lsn, time));
                    written.add(m);
                    continue;
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
                batch.put(db.meta(), commitEndKey(branch.id(), lsn), Bytes.longKey(start));
                byte[] timeKey = new byte[16];
                Bytes.putLong(timeKey, 0, time);
                Bytes.putLong(timeKey, 8, lsn);
                batch.put(db.times(), timeKey, new byte[0]);
                putMeta(batch, request.metaWrites());
                Branch head = branch.withHead(lsn);
                branches.write(batch, db, head);
                moved.put(branch.id(), head);
                catalog |= counts.values().stream().anyMatch(c -> c[3] > 0) || (publish && part.catalog());
                if (firstBranch < 0) {
                    firstBranch = branch.id();
                    firstLsn = start;
                }
                m.assign(new CommitResult(start, lsn, time));
                written.add(m);
            }
            if (written.isEmpty()) {
                return;
            }
            batch.put(db.meta(), LAST_LSN, Bytes.longKey(lsn));
            batch.put(db.meta(), LAST_TIME, Bytes.longKey(time));
            long seq = write(batch, "commit", firstBranch, firstLsn, lsn);
            lastLsn = lsn;
            if (catalog) {
                // Set before the heads move, so a reader that sees a new head also sees this.
                lastCatalogLsn = lsn;
            }
            lastTime = time;
            for (Branch head : moved.values()) {
                branches.apply(head);
            }
            groupCommit.written(written.size());
            for (GroupCommit.Member m : written) {
                m.complete(seq);
            }
        } catch (RocksDBException e) {
            throw new WalException("cannot build the commit batch: " + e.getMessage(), firstBranch, firstLsn, e);
        }
    }

    // ---- streamed commits: abort and recovery ----

    /** Streamed commits so far: chunks staged, commits published, aborted here, and retired when opened. */
    public StagingStats stagingStats() {
        return new StagingStats(stagedChunks.get(), stagedPublished.get(), stagedAborted.get(), stagedRecovered);
    }

    /**
     * Discards a streamed commit's chunks for good (see {@link StagedCommit#abort}): retires the branch id unless
     * a drop or reset already did, and records the range as abandoned. On failure the branch's commits are
     * refused until a later attempt succeeds.
     */
    void abandonStaged(int branchId, long fromLsn, long toLsn) {
        stagedAborted.incrementAndGet();
        unresolvedRanges.put(branchId, new long[] {fromLsn, toLsn});
        unresolved.put(branchId, "not attempted yet");
        retryAbandon(branchId);
    }

    private void retryAbandon(int branchId) {
        long[] range = unresolvedRanges.get(branchId);
        if (range == null) {
            return;
        }
        long seq;
        commitLock.lock();
        try {
            if (!unresolvedRanges.containsKey(branchId)) {
                return;
            }
            seq = retire(branchId, range[0], range[1], "discarding an aborted streamed write");
            unresolvedRanges.remove(branchId);
            unresolved.remove(branchId);
        } catch (RuntimeException e) {
            unresolved.put(branchId, e.getMessage());
            LOG.warn("could not discard the aborted streamed write on branch id {} yet: {}", branchId, e.getMessage());
            return;
        } finally {
            commitLock.unlock();
        }
        syncer.awaitSeq(seq);
    }

    /**
     * Retires a branch id whose chunks [fromLsn, toLsn] were never published: the name (if the id still has one)
     * moves to a new id forked from the old one at its published head, as a reset does, and the staging marker
     * becomes an {@code abandoned/} record. One batch. Caller holds {@link #commitLock}; returns the write's
     * sequence number.
     */
    private long retire(int branchId, long fromLsn, long toLsn, String what) {
        Branch old = branches.get(branchId);
        Branch hidden = null;
        Branch fresh = null;
        int next = 0;
        try (WriteBatch batch = new WriteBatch()) {
            batch.delete(db.meta(), StagedCommit.stagingKey(branchId));
            batch.put(db.meta(), StagedCommit.abandonedKey(branchId), StagedCommit.abandonedValue(fromLsn, toLsn));
            if (old != null && old.name() != null) {
                next = nextBranchId();
                hidden = old.withName(null).withProtected(false);
                fresh = new Branch(next, old.name(), old.id(), old.headLsn(), old.headLsn(), old.createdAt(), old.createdBy(),
                        old.protectedBranch(), old.id(), lastLsn);
                branches.write(batch, db, hidden);
                branches.write(batch, db, fresh);
                batch.put(db.meta(), NEXT_BRANCH_ID, Bytes.longKey(next + 1L));
            }
            long seq = write(batch, what, branchId, fromLsn, lastLsn);
            if (fresh != null) {
                branches.remove(old);
                branches.apply(hidden);
                branches.apply(fresh);
                LOG.info("discarded the unpublished streamed write [{}, {}] on branch '{}': the name moved from id {} to id {}",
                        fromLsn, toLsn, old.name(), old.id(), fresh.id());
            }
            return seq;
        } catch (RocksDBException e) {
            throw new WalException("cannot discard the staged range [" + fromLsn + ", " + toLsn + "]: " + e.getMessage(), branchId, fromLsn, e);
        }
    }

    /**
     * At open: every {@code staging/} marker is a streamed commit that was never published (the publishing batch
     * deletes it), so its branch id is retired before anything can commit on it. Best effort on a full disk: the
     * branches stay refused for commits until a retry succeeds.
     */
    private void recoverStaging() {
        java.util.List<KeyWrite> markers = metaScan(StagedCommit.STAGING_PREFIX);
        for (KeyWrite m : markers) {
            int branchId = Bytes.getInt(m.userKey(), StagedCommit.STAGING_PREFIX.length);
            long from = Bytes.getLong(m.payload(), 0);
            commitLock.lock();
            try {
                syncer.awaitSeq(retire(branchId, from, lastLsn, "discarding an unpublished streamed write"));
                stagedRecovered++;
            } catch (RuntimeException e) {
                unresolvedRanges.put(branchId, new long[] {from, lastLsn});
                unresolved.put(branchId, e.getMessage());
                LOG.warn("could not discard the unpublished streamed write on branch id {} at open: {}", branchId, e.getMessage());
            } finally {
                commitLock.unlock();
            }
        }
    }

    /** How commits were grouped so far (for serverStatus and benchmarks). */
    public GroupCommitStats groupCommitStats() {
        return groupCommit.stats();
    }

    /** Commits queued for a leader right now (tests use it to know that a group has formed). */
    int waitingCommits() {
        return groupCommit.waiting();
    }

    private static final byte[] COMMIT_END = "commitEnd/".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final byte[] NEXT_BRANCH_ID = "nextBranchId".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    static byte[] commitEndKey(int branchId, long lsn) {
        byte[] k = java.util.Arrays.copyOf(COMMIT_END, COMMIT_END.length + 12);
        Bytes.putInt(k, COMMIT_END.length, branchId);
        Bytes.putLong(k, COMMIT_END.length + 4, lsn);
        return k;
    }

    /**
     * Rounds a point down so that it never falls inside a multi-entry commit of that branch id: a point inside
     * its commit {@code [s, e]} (s &lt;= lsn &lt; e) becomes {@code s - 1}, the end of the previous state. Per
     * branch, because a streamed commit's range interleaves with other branches' commits. Points past the last
     * LSN are capped at it.
     */
    public long roundToCommit(int branchId, long lsn) {
        long x = Math.min(lsn, lastLsn);
        if (x <= 0) {
            return 0;
        }
        byte[] prefix = java.util.Arrays.copyOf(commitEndKey(branchId, 0), COMMIT_END.length + 4);
        try (RocksIterator it = db.db().newIterator(db.meta())) {
            it.seek(commitEndKey(branchId, x));
            if (it.isValid() && Bytes.startsWith(it.key(), prefix)) {
                long end = Bytes.getLong(it.key(), prefix.length);
                long start = Bytes.getLong(it.value(), 0);
                if (start <= x && x < end) {
                    return start - 1;
                }
            }
        }
        return x;
    }

    /**
     * Creates a branch forking from {@code parentId} at {@code atLsn} (inclusive, rounded to a commit
     * boundary and capped at the parent's head). One metadata write: nothing depends on the data size.
     */
    public Branch createBranch(String name, int parentId, long atLsn, String createdBy) {
        Branch b;
        long seq;
        commitLock.lock();
        try {
            checkNewName(name);
            Branch parent = requireBranch(parentId);
            long base = Math.min(roundToCommit(parentId, atLsn), parent.headLsn());
            // Under the commit lock, as GC publishes its marks: a fork point is either refused here or pinned.
            requireReadable(parent, base);
            int id = nextBranchId();
            b = new Branch(id, name, parentId, base, base, System.currentTimeMillis(), createdBy, false);
            try (WriteBatch batch = new WriteBatch()) {
                branches.write(batch, db, b);
                batch.put(db.meta(), NEXT_BRANCH_ID, Bytes.longKey(id + 1L));
                GcMarks pinned = pinBelowHorizon(batch, parent, base);
                seq = write(batch, "creating branch " + name, id, base, lastLsn);
                if (pinned != null) {
                    marks = pinned;
                }
            } catch (RocksDBException e) {
                throw new WalException("cannot create branch " + name + ": " + e.getMessage(), id, base, e);
            }
            branches.apply(b);
        } finally {
            commitLock.unlock();
        }
        // Branch and tag changes are acknowledged only once durable, sharing the fsync with other writers.
        syncer.awaitSeq(seq);
        return b;
    }

    /** Deletes a branch's ref (its entries stay in the log). Refused for main and for branches with children. */
    public void dropBranch(int id) {
        long seq;
        commitLock.lock();
        try {
            Branch b = requireNamed(id);
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
                seq = write(batch, "deleting branch " + b.name(), id, -1, lastLsn);
                branches.remove(b);
                branches.apply(hidden);
            } catch (RocksDBException e) {
                throw new WalException("cannot delete branch " + b.name() + ": " + e.getMessage(), id, -1, e);
            }
        } finally {
            commitLock.unlock();
        }
        syncer.awaitSeq(seq);
    }

    public Branch renameBranch(int id, String newName) {
        Branch renamed;
        long seq;
        commitLock.lock();
        try {
            Branch b = requireNamed(id);
            checkNewName(newName);
            renamed = b.withName(newName);
            seq = persist(renamed);
        } finally {
            commitLock.unlock();
        }
        syncer.awaitSeq(seq);
        return renamed;
    }

    /**
     * Sets or clears the protected flag of a branch. Callers serialize this with the branch's writers (the
     * engine holds the branch's write lock), so a write either committed before it or sees the new flag.
     */
    public Branch protectBranch(int id, boolean protect) {
        Branch p;
        long seq;
        commitLock.lock();
        try {
            Branch b = requireNamed(id);
            p = b.withProtected(protect);
            seq = persist(p);
        } finally {
            commitLock.unlock();
        }
        syncer.awaitSeq(seq);
        return p;
    }

    /** Writes a branch record; caller holds {@link #commitLock} and waits for the returned sequence. */
    private long persist(Branch b) {
        long seq;
        try (WriteBatch batch = new WriteBatch()) {
            branches.write(batch, db, b);
            seq = write(batch, "updating branch " + b.name(), b.id(), -1, lastLsn);
        } catch (RocksDBException e) {
            throw new WalException("cannot update branch " + b.name() + ": " + e.getMessage(), b.id(), -1, e);
        }
        branches.apply(b);
        return seq;
    }

    /** Branch and tag names share one namespace. */
    private void checkNewName(String name) {
        String problem = BranchNames.problem(name);
        if (problem != null) {
            throw new BranchException(BranchException.Kind.INVALID_NAME, problem);
        }
        if (branches.byName(name) != null || tag(name) != null) {
            throw new BranchException(BranchException.Kind.EXISTS, "a branch or tag named '" + name + "' already exists");
        }
    }


    private int nextBranchId() {
        try {
            byte[] v = db.db().get(db.meta(), NEXT_BRANCH_ID);
            long next = v == null ? Branch.MAIN_ID + 1 : Bytes.getLong(v, 0);
            return (int) Math.max(next, branches.maxId() + 1L);
        } catch (RocksDBException e) {
            throw new WalException("cannot allocate a branch id: " + e.getMessage(), -1, -1, e);
        }
    }

    // ---- history ----

    /**
     * Commit records of one branch id with {@code lo < lsn <= hi}, newest first. Each is the BSON commit
     * record ({@code startLsn, lsn, time, actor, comment, counts}) plus {@code branchId}.
     */
    public java.util.List<BsonDocument> commits(int branchId, long lo, long hi) {
        java.util.List<BsonDocument> out = new java.util.ArrayList<>();
        try (CommitScan s = scanCommits(branchId, lo, hi)) {
            s.forEachRemaining(out::add);
        }
        return out;
    }

    /** As {@link #commits}, read lazily: for histories too long to hold in memory. Close it. */
    public CommitScan scanCommits(int branchId, long lo, long hi) {
        return new CommitScan(db, branchId, lo, hi);
    }

    /** The log entries with LSN in [from, to], oldest first. */
    public java.util.List<LogRecord> logRange(long from, long to) {
        java.util.List<LogRecord> out = new java.util.ArrayList<>();
        try (LogScan s = scanLog(from, to)) {
            s.forEachRemaining(out::add);
        }
        return out;
    }

    /** As {@link #logRange}, read lazily: for commits too large to hold in memory. Close it. */
    public LogScan scanLog(long from, long to) {
        return new LogScan(db, images, 0, from, to, false);
    }

    /**
     * The log entries of one branch id with LSN in [from, to], read lazily, oldest first or (backward) newest
     * first. A streamed commit's range also holds other branches' entries; this skips them. Close it.
     */
    public LogScan scanLog(int branchId, long from, long to, boolean backward) {
        return new LogScan(db, images, branchId, from, to, backward);
    }

    /** A metadata value written through {@link CommitRequest#metaWrites()}, or null. */
    public byte[] meta(byte[] key) {
        try {
            return db.db().get(db.meta(), key);
        } catch (RocksDBException e) {
            throw new WalException("cannot read metadata: " + e.getMessage(), -1, -1, e);
        }
    }

    /**
     * Writes metadata keys outside any commit, atomically (one batch; a null payload deletes the key). For
     * metadata that has no data change to ride with (retryable-write records of statements that changed
     * nothing, and the removal of expired ones); metadata that belongs to a commit goes in
     * {@link CommitRequest#metaWrites()} instead. Goes through the same checks as a commit: refused while the
     * disk is full or after a storage failure ({@link WalException}); with {@code sync}, returns only once the
     * write is on stable storage, sharing the fsync with concurrent committers.
     */
    public void writeMeta(java.util.List<KeyWrite> writes, boolean sync) {
        if (writes.isEmpty()) {
            return;
        }
        long seq;
        commitLock.lock();
        try (WriteBatch batch = new WriteBatch()) {
            putMeta(batch, writes);
            seq = write(batch, "writing metadata", -1, -1, lastLsn);
        } catch (RocksDBException e) {
            throw new WalException("cannot build the metadata batch: " + e.getMessage(), -1, -1, e);
        } finally {
            commitLock.unlock();
        }
        if (sync) {
            syncer.awaitSeq(seq);
        }
    }

    private void putMeta(WriteBatch batch, java.util.List<KeyWrite> writes) throws RocksDBException {
        for (KeyWrite m : writes) {
            if (m.payload() == null) {
                batch.delete(db.meta(), m.userKey());
            } else {
                batch.put(db.meta(), m.userKey(), m.payload());
            }
        }
    }

    /** Every metadata key under prefix with its value, in key order. */
    public java.util.List<KeyWrite> metaScan(byte[] prefix) {
        java.util.List<KeyWrite> out = new java.util.ArrayList<>();
        try (RocksIterator it = db.db().newIterator(db.meta())) {
            for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                out.add(KeyWrite.put(it.key(), it.value()));
            }
        }
        return out;
    }

    // ---- tags ----

    private static final byte[] TAG_PREFIX = "tag/".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private static byte[] tagKey(String name) {
        return Bytes.concat(TAG_PREFIX, name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public Tag tag(String name) {
        byte[] v = meta(tagKey(name));
        if (v == null) {
            return null;
        }
        BsonDocument d = Bson.document(v);
        return new Tag(name, d.getInt32("branchId").getValue(), d.getInt64("lsn").getValue(), d.getInt64("createdAt").getValue(),
                d.isString("createdBy") ? d.getString("createdBy").getValue() : null);
    }

    public java.util.List<Tag> tags() {
        java.util.List<Tag> out = new java.util.ArrayList<>();
        try (RocksIterator it = db.db().newIterator(db.meta())) {
            for (it.seek(TAG_PREFIX); it.isValid() && Bytes.startsWith(it.key(), TAG_PREFIX); it.next()) {
                out.add(tag(new String(it.key(), TAG_PREFIX.length, it.key().length - TAG_PREFIX.length, java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    /** Creates an immutable tag of branch id at lsn (rounded to a commit boundary). */
    public Tag createTag(String name, int branchId, long lsn, String createdBy) {
        Tag t;
        long seq;
        commitLock.lock();
        try {
            checkNewName(name);
            if (tag(name) != null) {
                throw new BranchException(BranchException.Kind.EXISTS, "a branch or tag named '" + name + "' already exists");
            }
            Branch tb = requireBranch(branchId);
            // Capped at the head: a point above it could later take in a streamed commit published below it.
            t = new Tag(name, branchId, Math.min(roundToCommit(branchId, lsn), tb.headLsn()), System.currentTimeMillis(), createdBy);
            requireReadable(tb, t.lsn());
            BsonDocument d = new BsonDocument("branchId", new BsonInt32(branchId)).append("lsn", new BsonInt64(t.lsn()))
                    .append("createdAt", new BsonInt64(t.createdAt()));
            if (createdBy != null) {
                d.append("createdBy", new BsonString(createdBy));
            }
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(db.meta(), tagKey(name), Bson.bytes(d));
                GcMarks pinned = pinBelowHorizon(batch, tb, t.lsn());
                seq = write(batch, "creating tag " + name, branchId, lsn, lastLsn);
                if (pinned != null) {
                    marks = pinned;
                }
            } catch (RocksDBException e) {
                throw new WalException("cannot create tag " + name + ": " + e.getMessage(), branchId, lsn, e);
            }
        } finally {
            commitLock.unlock();
        }
        syncer.awaitSeq(seq);
        return t;
    }

    public void dropTag(String name) {
        long seq;
        commitLock.lock();
        try {
            if (tag(name) == null) {
                throw new BranchException(BranchException.Kind.NOT_FOUND, "tag '" + name + "' does not exist");
            }
            try (WriteBatch batch = new WriteBatch()) {
                batch.delete(db.meta(), tagKey(name));
                seq = write(batch, "deleting tag " + name, -1, -1, lastLsn);
            } catch (RocksDBException e) {
                throw new WalException("cannot delete tag " + name + ": " + e.getMessage(), -1, -1, e);
            }
        } finally {
            commitLock.unlock();
        }
        syncer.awaitSeq(seq);
    }

    // ---- reset ----

    /**
     * Moves a branch name back to a point: the name gets a new id whose parent is {@code pointBranchId} at
     * {@code pointLsn}; the old id keeps its whole range (audit, backups, children). With a backup name, a
     * branch of that name is first forked from the old head. Returns the new branch.
     */
    public Branch resetBranch(int branchId, int pointBranchId, long pointLsn, String backupName, String by) {
        Branch fresh;
        long seq;
        commitLock.lock();
        try {
            Branch old = requireBranch(branchId);
            Branch pointBranch = requireBranch(pointBranchId);
            long point = Math.min(roundToCommit(pointBranchId, pointLsn), pointBranch.headLsn());
            requireReadable(pointBranch, point);
            Branch backup = null;
            int nextId = nextBranchId();
            if (backupName != null) {
                checkNewName(backupName);
                backup = new Branch(nextId++, backupName, old.id(), old.headLsn(), old.headLsn(), System.currentTimeMillis(), by, false);
            }
            Branch hidden = old.withName(null).withProtected(false);
            fresh = new Branch(nextId++, old.name(), pointBranchId, point, point, System.currentTimeMillis(), by,
                    old.protectedBranch(), old.id(), lastLsn);
            try (WriteBatch batch = new WriteBatch()) {
                if (backup != null) {
                    branches.write(batch, db, backup);
                }
                branches.write(batch, db, hidden);
                branches.write(batch, db, fresh);
                batch.put(db.meta(), NEXT_BRANCH_ID, Bytes.longKey(nextId));
                GcMarks pinned = pinBelowHorizon(batch, pointBranch, point);
                seq = write(batch, "resetting branch " + old.name(), branchId, point, lastLsn);
                if (pinned != null) {
                    marks = pinned;
                }
            } catch (RocksDBException e) {
                throw new WalException("cannot reset branch " + old.name() + ": " + e.getMessage(), branchId, point, e);
            }
            branches.remove(old);
            branches.apply(hidden);
            if (backup != null) {
                branches.apply(backup);
            }
            branches.apply(fresh);
        } finally {
            commitLock.unlock();
        }
        syncer.awaitSeq(seq);
        return fresh;
    }

    /**
     * The branch id a name showed at a point (reflog semantics): walks back through resets made after the
     * point.
     */
    public Branch branchAsOf(Branch current, long point) {
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

    private static BsonDocument commitRecord(long start, long end, long time, CommitRequest r, Map<String, int[]> counts) {
        BsonDocument c = new BsonDocument();
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            int[] v = e.getValue();
            BsonDocument d = new BsonDocument();
            String[] names = {"insert", "update", "delete", "catalog"};
            for (int i = 0; i < 4; i++) {
                if (v[i] > 0) {
                    d.append(names[i], new BsonInt32(v[i]));
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
        return d;
    }

    /** The last LSN committed at or before a wall-clock time (epoch millis); 0 if none. */
    public long lsnAtTime(long millis) {
        byte[] probe = new byte[16];
        Bytes.putLong(probe, 0, millis);
        Bytes.putLong(probe, 8, -1L);
        try (RocksIterator it = db.db().newIterator(db.times())) {
            it.seekForPrev(probe);
            return it.isValid() ? Bytes.getLong(it.key(), 8) : 0;
        }
    }

    /** Blocks until every commit up to lsn is on stable storage, sharing the fsync with concurrent callers. */
    public void awaitDurable(long lsn) {
        syncer.awaitLsn(lsn);
    }

    /**
     * Bytes written and held so far (for benchmarks): batch sizes always, RocksDB's own log, flush and compaction
     * counters when the {@code argon.wal.statistics} system property was "true" at open.
     */
    public StorageStats storageStats() {
        return new StorageStats(health.bytesWritten(), db.ticker(org.rocksdb.TickerType.WAL_FILE_BYTES),
                db.ticker(org.rocksdb.TickerType.FLUSH_WRITE_BYTES), db.ticker(org.rocksdb.TickerType.COMPACT_READ_BYTES),
                db.ticker(org.rocksdb.TickerType.COMPACT_WRITE_BYTES), db.liveSstBytes());
    }

    /**
     * Moves everything RocksDB holds in memory into SST files and, with {@code compact}, compacts every column
     * family fully, waiting for both. For benchmarks that measure bytes on disk; writes may continue meanwhile.
     */
    public void flush(boolean compact) {
        db.flush(compact);
    }

    /** Number of WAL fsyncs done so far (for metrics and benchmarks). */
    public long syncCount() {
        return syncer.syncs();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        commitLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                db.db().syncWal();
            } catch (RocksDBException e) {
                LOG.warn("final WAL sync failed", e);
            }
            reads.close();
            db.close();
            unsynced.close();
        } finally {
            commitLock.unlock();
        }
    }
}
