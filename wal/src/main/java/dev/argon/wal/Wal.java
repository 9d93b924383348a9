package dev.argon.wal;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.bson.BsonDocument;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log of one data directory: commits, versioned reads, branches, tags, history and GC. A thin
 * facade over the package's rooms, each owning one invariant (docs/ARCHITECTURE.md, "Who owns which invariant"):
 * {@link CommitWriter} (commit lock, write path, group commit, LSNs, syncer), {@link BranchBook} (branch refs,
 * resets, the reflog), {@link TagBook} (tags, the shared name space), {@link Staging} (streamed commits and their
 * recovery), {@link GcGuard} (GC marks and refusals), {@link HistoryReader} (commits, log, time index, metadata)
 * and {@link IdAllocator}. See the package documentation for the layout. Thread-safe.
 */
public final class Wal implements VersionStore {
    private static final Logger LOG = LoggerFactory.getLogger(Wal.class);
    /** Free-space reserve below which writes are refused; a system property so tests can use a small disk. */
    public static final String MIN_FREE_PROPERTY = "argon.wal.minFreeBytes";

    private final WalDb db;
    private final BranchRegistry branches = new BranchRegistry();
    private final WalHealth health;
    /** Reused iterators for point reads (creating one per read cost as much as the read). */
    private final IteratorPool reads;
    private final CommitWriter writer;
    private final IdAllocator ids;
    private final GcGuard gc;
    private final HistoryReader history;
    private final TagBook tags;
    private final BranchBook book;
    private final Staging staging;
    private final Reclaimer reclaimer;
    private final TierCompactor compactor;
    private final TierMerger merger;
    private final TierGc tierGc;
    /** Where compacted history goes; null: {@code <data-dir>/objects}, opened when first needed. */
    private final TierConfig tierConfig;

    private Wal(Path dir, TierConfig tierConfig) {
        this.tierConfig = tierConfig;
        this.db = new WalDb(dir);
        this.health = new WalHealth(dir, Long.getLong(MIN_FREE_PROPERTY, WalHealth.DEFAULT_MIN_FREE_BYTES));
        this.reads = new IteratorPool(db);
        try {
            // The writer asks staging which branch ids refuse commits; staging exists before the first commit.
            writer = new CommitWriter(db, branches, reads, health, this::refusal);
            ids = new IdAllocator(db, writer);
            gc = new GcGuard(db, writer, branches);
        } catch (RocksDBException e) {
            db.close();
            throw new WalException("cannot read the last LSN: " + e.getMessage(), -1, -1, e);
        }
        history = new HistoryReader(db, new LogImages(db, branches, this), writer::lastLsn);
        tags = new TagBook(db, writer, branches, gc, history);
        book = new BranchBook(db, writer, branches, tags, gc, history);
        staging = new Staging(db, writer, branches, book, history);
        book.open();
        staging.recover();
        writer.start();
        reclaimer = new Reclaimer(db, writer, gc, branches, tags, history, this);
        compactor = new TierCompactor(db, writer, branches, tags, gc, history, reclaimer.passLock());
        merger = new TierMerger(db, writer, gc, reclaimer.passLock());
        tierGc = new TierGc(db, reclaimer.passLock());
        try {
            TierConfig.check(tierConfig, TierCatalog.read(db));
        } catch (TierMismatchException e) {
            close();
            throw e;
        }
        if (tierConfig != null || TierCatalog.read(db).tiered()) {
            attachTier();
        }
        LOG.info("opened data directory {} at lsn {}", dir, writer.lastLsn());
    }

    private String refusal(int branchId) {
        return staging.refusal(branchId);
    }

    public static Wal open(Path dir) {
        return new Wal(dir, null);
    }

    /** Opens with the tier's segments in the given store and a cache of the given size (null: the defaults). */
    public static Wal open(Path dir, TierConfig tier) {
        return new Wal(dir, tier);
    }

    /** Installs the tier's segment list (from the catalog) behind the read path; idempotent. */
    private synchronized ColdVersions attachTier() {
        if (db.cold() == ColdVersions.NONE) {
            db.cold(TierConfig.attach(tierConfig, db.dir(), TierCatalog.read(db).segments()));
        }
        return db.cold();
    }

    // ---- reads ----

    @Override
    public byte[] get(ReadView view, byte[] userKey) {
        return reads.read(c -> {
            byte[] v = c.read(view, userKey);
            return v == null || VersionKeys.isTombstone(v) ? null : VersionKeys.payload(v);
        });
    }

    @Override
    public boolean noneBetween(byte[] fromUserKey, byte[] toUserKey) {
        return reads.read(c -> c.noneBetween(fromUserKey, toUserKey));
    }

    @Override
    public VersionScan scan(ReadView view, byte[] prefix, byte[] startUserKey) {
        return new VersionScan(db, view, prefix, startUserKey);
    }

    @Override
    public ReadView headView(int branchId) {
        return book.headView(branchId);
    }

    @Override
    public ReadView viewAt(int branchId, long lsn) {
        return book.viewAt(branchId, lsn);
    }

    // ---- commits ----

    @Override
    public CommitResult commit(CommitRequest request) {
        staging.beforeCommit(request.branchId());
        return writer.commit(request, null);
    }

    @Override
    public PendingCommit enqueue(CommitRequest request, PendingCommit after) {
        staging.beforeCommit(request.branchId());
        return writer.enqueue(request, after);
    }

    @Override
    public StagedCommit stage(int branchId, String actor, String comment) {
        return staging.stage(branchId, actor, comment);
    }

    @Override
    public void awaitDurable(long lsn) {
        writer.syncer().awaitLsn(lsn);
    }

    @Override
    public void whenDurable(long lsn, java.util.function.Consumer<RuntimeException> done) {
        writer.syncer().whenDurable(lsn, done);
    }

    @Override
    public long allocateId() {
        return ids.allocate();
    }

    @Override
    public long lastLsn() {
        return writer.lastLsn();
    }

    @Override
    public long lastCatalogLsn() {
        return writer.lastCatalogLsn();
    }

    @Override
    public long lastCommitTime() {
        return writer.lastTime();
    }

    // ---- metadata ----

    @Override
    public byte[] meta(byte[] key) {
        return history.meta(key);
    }

    @Override
    public List<KeyWrite> metaScan(byte[] prefix) {
        return history.metaScan(prefix);
    }

    @Override
    public void writeMeta(List<KeyWrite> writes, boolean sync) {
        writer.writeMeta(writes, sync);
    }

    // ---- branches and tags ----

    @Override
    public Branch branch(String name) {
        return branches.byName(name);
    }

    @Override
    public Branch branch(int id) {
        return branches.get(id);
    }

    @Override
    public Collection<Branch> branches() {
        return branches.named();
    }

    @Override
    public Branch createBranch(String name, int parentId, long atLsn, String createdBy) {
        return book.createBranch(name, parentId, atLsn, createdBy);
    }

    @Override
    public void dropBranch(int id) {
        book.dropBranch(id);
    }

    @Override
    public Branch renameBranch(int id, String newName) {
        return book.renameBranch(id, newName);
    }

    @Override
    public Branch protectBranch(int id, boolean protect) {
        return book.protectBranch(id, protect);
    }

    @Override
    public Branch resetBranch(int branchId, int pointBranchId, long pointLsn, String backupName, String by) {
        return book.resetBranch(branchId, pointBranchId, pointLsn, backupName, by);
    }

    @Override
    public Branch branchAsOf(Branch current, long point) {
        return book.branchAsOf(current, point);
    }

    @Override
    public long roundToCommit(int branchId, long lsn) {
        return history.roundToCommit(branchId, lsn);
    }

    @Override
    public Tag tag(String name) {
        return tags.tag(name);
    }

    @Override
    public List<Tag> tags() {
        return tags.tags();
    }

    @Override
    public Tag createTag(String name, int branchId, long lsn, String createdBy) {
        return tags.createTag(name, branchId, lsn, createdBy);
    }

    @Override
    public void dropTag(String name) {
        tags.dropTag(name);
    }

    // ---- history ----

    @Override
    public List<BsonDocument> commits(int branchId, long lo, long hi) {
        return history.commits(branchId, lo, hi);
    }

    @Override
    public CommitScan scanCommits(int branchId, long lo, long hi) {
        return history.scanCommits(branchId, lo, hi);
    }

    @Override
    public List<LogRecord> logRange(long from, long to) {
        return history.logRange(from, to);
    }

    @Override
    public LogScan scanLog(long from, long to) {
        return history.scanLog(0, from, to, false);
    }

    @Override
    public LogScan scanLog(int branchId, long from, long to, boolean backward) {
        return history.scanLog(branchId, from, to, backward);
    }

    @Override
    public long lsnAtTime(long millis) {
        return history.lsnAtTime(millis);
    }

    // ---- garbage collection ----

    @Override
    public GcMarks gcMarks() {
        return gc.marks();
    }

    @Override
    public long horizonLsn() {
        return gc.marks().horizon();
    }

    @Override
    public ReadGate readGate() {
        return gc.readGate();
    }

    @Override
    public GcReport gc(GcRequest request) {
        return reclaimer.run(request, false);
    }

    @Override
    public GcReport gcIfChanged(GcRequest request) {
        return reclaimer.run(request, true);
    }

    // ---- history compaction ----

    @Override
    public TierReport compactHistory(TierRequest request) {
        attachTier();
        return compactor.run(request);
    }

    @Override
    public MergeReport mergeSegments(MergeRequest request) {
        if (!TierCatalog.read(db).tiered()) {
            return MergeReport.nothing(0, 0);
        }
        attachTier();
        return merger.run(request);
    }

    @Override
    public TierGcReport tierGc(TierGcRequest request) {
        if (db.cold() == ColdVersions.NONE && tierConfig == null && !TierCatalog.read(db).tiered()) {
            return TierGcReport.none(request); // no tier was ever given or used: nothing to list
        }
        attachTier();
        return tierGc.run(request);
    }

    @Override
    public ColdVersions tier() {
        return db.cold();
    }

    @Override
    public TierUsage tierUsage() {
        TierCatalog catalog = TierCatalog.read(db);
        ColdVersions cold = db.cold();
        long objects = 0;
        long bytes = 0;
        if (cold != ColdVersions.NONE) {
            // Segments only (orphans included, which the tier's GC removes); manifests are small and not counted.
            for (dev.argon.storage.object.ObjectInfo o : cold.store().list(TierSegment.PREFIX)) {
                objects++;
                bytes += o.size();
            }
        }
        String location = catalog.location() != null ? catalog.location()
                : cold.location() != null ? cold.location() : TierConfig.LOCAL;
        long[] rm = cold.readsAndMisses();
        return new TierUsage(location, catalog.segments().size() + catalog.logSegments().size(), catalog.bytes(), objects, bytes, cold.cachedBytes(),
                cold.cacheLimit(), rm[0], rm[1], -1, catalog.cutoffLsn(), compactor.lastPassMillis(), compactor.lastPass());
    }

    // ---- health and statistics ----

    @Override
    public boolean healthy() {
        return !health.failed();
    }

    @Override
    public long syncCount() {
        return writer.syncer().syncs();
    }

    /** Tests only: how long the sync thread waits for more journaled writers (see {@code WalSyncer}). */
    void syncGatherNanosForTests(long nanos) {
        writer.syncer().gatherNanos(nanos);
    }

    @Override
    public SyncGathers syncGathers() {
        return writer.syncer().gathers();
    }

    @Override
    public GroupCommitStats groupCommitStats() {
        return writer.groupCommitStats();
    }

    @Override
    public StagingStats stagingStats() {
        return staging.stats();
    }

    @Override
    public StorageStats storageStats() {
        return new StorageStats(health.bytesWritten(), db.ticker(org.rocksdb.TickerType.WAL_FILE_BYTES),
                db.ticker(org.rocksdb.TickerType.FLUSH_WRITE_BYTES), db.ticker(org.rocksdb.TickerType.COMPACT_READ_BYTES),
                db.ticker(org.rocksdb.TickerType.COMPACT_WRITE_BYTES), db.liveSstBytes());
    }

    @Override
    public StorageUsage storageUsage(boolean flush) {
        if (flush) {
            db.flush(false);
        }
        // Branches and tags first: versions written after this are attributed to the owners known now, or unowned.
        return new StorageCensus(db, branches.all(), tags.tags()).compute(db.familyBytes(), db.dir());
    }

    @Override
    public WalHealth health() {
        return health;
    }

    /** Installs a fault hook (tests only; {@code null} removes it). */
    public void faults(WalFaults f) {
        writer.faults(f);
    }

    /** Flushes RocksDB's memtables to SST files and, with {@code compact}, compacts fully (benchmarks of bytes on disk). */
    public void flush(boolean compact) {
        db.flush(compact);
    }

    /** True while RocksDB flushes or compacts the versions family: benchmarks wait, to measure reads, not that. */
    public boolean backgroundWorkPending() {
        return db.backgroundWorkPending();
    }

    /**
     * A consistent snapshot of the data directory for a backup ({@code dev.argon.wal.archive}); the caller closes it.
     * Commits go on while it is open.
     */
    public WalSnapshot snapshot() {
        return new WalSnapshot(db);
    }

    /** The RocksDB handle, for the GC and for tests in this package that look at what is stored. */
    WalDb db() {
        return db;
    }

    BranchRegistry registry() {
        return branches;
    }

    /** Commits queued for a leader right now (tests use it to know that a group has formed). */
    int waitingCommits() {
        return writer.waitingCommits();
    }

    @Override
    public void close() {
        writer.close();
        TierConfig.close(db.cold(), tierConfig);
    }

    @Override
    public VersionScan scanBackward(ReadView view, byte[] prefix, byte[] beforeUserKey) {
        return VersionScan.backward(db, view, prefix, beforeUserKey);
    }
}
