package dev.argon.wal;

import java.util.Collection;
import java.util.List;
import org.bson.BsonDocument;

/**
 * The versioned store as the engine sees it: reads at a view, commits and streamed commits, branches, tags, the
 * log and commit history, GC and statistics. The one interface between the engine and this module ({@link Wal} is
 * its implementation); what only tests and benchmarks need (fault hooks, flushes, compaction waits) stays on
 * {@link Wal}. Implementations are thread-safe.
 *
 * <p>The engine commits data only through its own write path (a branch's write lock held from a commit's reads
 * to its return, see the engine's {@code Store.beginWrite}), which is what keeps a branch's head a clean sequence
 * of commits; this interface does not check that lock.
 */
public interface VersionStore extends VersionSource, AutoCloseable {

    // ---- reads ----

    /** A view of a branch at its current head. */
    ReadView headView(int branchId);

    /**
     * A view of a branch at an older LSN (inclusive); the LSN is capped at the branch's head and rounded to a
     * commit boundary per ancestry level. Refused ({@link BranchException.Kind#HISTORY_GONE}) when GC has given
     * that point up (below the history horizon, or in a reclaimed range): never a view that would answer wrongly.
     */
    ReadView viewAt(int branchId, long lsn);

    // ---- commits ----

    /**
     * Writes one commit atomically and returns its LSN range. Concurrent commits are written together, in one
     * RocksDB write, by whichever of them reached an idle queue ({@link GroupCommit}). Blocks for an fsync
     * only when the request asks for one, and then shares it with the rest of its group and with concurrent
     * committers. A request that cannot be written (retired branch id, no entries) fails alone; a failed
     * write fails every member of its group.
     */
    CommitResult commit(CommitRequest request);

    /**
     * Queues one commit and returns without waiting for it to be written: its place in the queue, and so its
     * LSN range, follow every commit queued before it. {@code after} is the commit of the same branch, queued
     * earlier and perhaps not written yet, that this one was evaluated after (null: none): if that one fails,
     * this one fails too, unwritten. This lets the engine release a branch's write lock before the RocksDB write,
     * so that the next writer of the branch evaluates (over the queued commits) while this one is written. The
     * caller must {@link PendingCommit#await()} the result from the same thread.
     */
    PendingCommit enqueue(CommitRequest request, PendingCommit after);

    /**
     * Starts a commit written in chunks (see {@link StagedCommit}). The caller holds the branch's write lock until
     * it is published or aborted.
     */
    StagedCommit stage(int branchId, String actor, String comment);

    /** Blocks until every commit up to lsn is on stable storage, sharing the fsync with concurrent callers. */
    void awaitDurable(long lsn);

    /**
     * Calls {@code done} once every commit up to lsn is on stable storage, with null, or with the reason it never
     * will be; never blocks for the fsync. {@code done} runs on the thread that finished the sync (at once on this
     * one when lsn is already durable), so it must be short. For replies that wait for {@code j: true} without a
     * parked thread.
     */
    void whenDurable(long lsn, java.util.function.Consumer<RuntimeException> done);

    /**
     * A new id, unique in this data directory for its lifetime (collection ids, index ids). Never reused,
     * even after a crash, because the block it comes from is persisted before it is handed out.
     */
    long allocateId();

    /** The highest LSN committed in this data directory. */
    long lastLsn();

    /**
     * The last LSN of the last commit that changed any catalog entry since this process opened the data
     * directory (MAX_VALUE until the first read of it settles, so caches start cold). A catalog read made at
     * a point at or above it stays valid for any later point until this moves.
     */
    long lastCatalogLsn();

    /** Time of the last commit, epoch millis (0 if none). */
    long lastCommitTime();

    // ---- metadata ----

    /** A metadata value written through {@link CommitRequest#metaWrites()}, or null. */
    byte[] meta(byte[] key);

    /** Every metadata key under prefix with its value, in key order. */
    List<KeyWrite> metaScan(byte[] prefix);

    /**
     * Writes metadata keys outside any commit, atomically (one batch; a null payload deletes the key). For
     * metadata that has no data change to ride with (retryable-write records of statements that changed
     * nothing, and the removal of expired ones); metadata that belongs to a commit goes in
     * {@link CommitRequest#metaWrites()} instead. Goes through the same checks as a commit: refused while the
     * disk is full or after a storage failure ({@link WalException}); with {@code sync}, returns only once the
     * write is on stable storage, sharing the fsync with concurrent committers.
     */
    void writeMeta(List<KeyWrite> writes, boolean sync);

    // ---- branches and tags (each change returns once durable) ----

    Branch branch(String name);

    /** A branch by id, live or not (a deleted or reset id keeps a nameless record), or null. */
    Branch branch(int id);

    /** Live branches (a deleted branch keeps a nameless record for its descendants' history). */
    Collection<Branch> branches();

    /**
     * Creates a branch forking from {@code parentId} at {@code atLsn} (inclusive, rounded to a commit
     * boundary and capped at the parent's head). One metadata write: nothing depends on the data size.
     */
    Branch createBranch(String name, int parentId, long atLsn, String createdBy);

    /** Deletes a branch's ref (its entries stay in the log). Refused for main and for branches with children. */
    void dropBranch(int id);

    Branch renameBranch(int id, String newName);

    /**
     * Sets or clears the protected flag of a branch. Callers serialize this with the branch's writers (the
     * engine holds the branch's write lock), so a write either committed before it or sees the new flag.
     */
    Branch protectBranch(int id, boolean protect);

    /**
     * Moves a branch name back to a point: the name gets a new id whose parent is {@code pointBranchId} at
     * {@code pointLsn}; the old id keeps its whole range (audit, backups, children). With a backup name, a
     * branch of that name is first forked from the old head. Returns the new branch.
     */
    Branch resetBranch(int branchId, int pointBranchId, long pointLsn, String backupName, String by);

    /**
     * The branch id a name showed at a point (reflog semantics): walks back through resets made after the
     * point.
     */
    Branch branchAsOf(Branch current, long point);

    /**
     * Rounds a point down so that it never falls inside a multi-entry commit of that branch id: a point inside
     * its commit {@code [s, e]} (s &lt;= lsn &lt; e) becomes {@code s - 1}, the end of the previous state. Per
     * branch, because a streamed commit's range interleaves with other branches' commits. Points past the last
     * LSN are capped at it.
     */
    long roundToCommit(int branchId, long lsn);

    /** The tag of that name, or null. */
    Tag tag(String name);

    List<Tag> tags();

    /** Creates an immutable tag of branch id at lsn (rounded to a commit boundary, capped at the head). */
    Tag createTag(String name, int branchId, long lsn, String createdBy);

    void dropTag(String name);

    // ---- history ----

    /**
     * Commit records of one branch id with {@code lo < lsn <= hi}, newest first. Each is the BSON commit
     * record ({@code startLsn, lsn, time, actor, comment, counts}) plus {@code branchId}.
     */
    List<BsonDocument> commits(int branchId, long lo, long hi);

    /** As {@link #commits}, read lazily: for histories too long to hold in memory. Close it. */
    CommitScan scanCommits(int branchId, long lo, long hi);

    /** The log entries with LSN in [from, to], oldest first. */
    List<LogRecord> logRange(long from, long to);

    /** As {@link #logRange}, read lazily: for commits too large to hold in memory. Close it. */
    LogScan scanLog(long from, long to);

    /**
     * The log entries of one branch id with LSN in [from, to], read lazily, oldest first or (backward) newest
     * first. A streamed commit's range also holds other branches' entries; this skips them. Close it.
     */
    LogScan scanLog(int branchId, long from, long to, boolean backward);

    /** The last LSN committed at or before a wall-clock time (epoch millis); 0 if none. */
    long lsnAtTime(long millis);

    // ---- garbage collection ----

    /** What GC has given up so far. */
    GcMarks gcMarks();

    /** The oldest point time travel may still ask for (0: all history is kept). */
    long horizonLsn();

    /** The sections GC waits for before deleting; every command holds a ticket (see {@link ReadGate}). */
    ReadGate readGate();

    /** Runs one GC pass (see {@link Reclaimer}); passes run one at a time. */
    GcReport gc(GcRequest request);

    /**
     * As {@link #gc}, but skips the scan when nothing changed since the last full pass (same marks, no catalog
     * change): what a background job calls, so that it costs a metadata read when there is nothing to do.
     */
    GcReport gcIfChanged(GcRequest request);

    // ---- history compaction (the tier) ----

    /**
     * Moves history older than the request's hot window out of RocksDB into segments of the tier's object
     * store, leaving stubs that reads follow (docs/ARCHITECTURE.md, "History compaction and the tier"). Every
     * read answers as before. One pass at a time, never at the same time as a GC pass.
     */
    TierReport compactHistory(TierRequest request);

    /**
     * One segment rewrite pass: merges the tier's small segments into larger ones and rewrites sparse ones without
     * the entries no stub covers or GC reclaimed (docs/ARCHITECTURE.md, "Merging the tier's segments"). Every read
     * answers as before; deletes no object. Excludes GC and compaction passes.
     */
    MergeReport mergeSegments(MergeRequest request);

    /**
     * One GC pass over the tier's objects ({@link TierGc}): removes segments no catalog or kept tier manifest names
     * once older than the grace period, and retires manifests beyond the newest kept ones. Never at the same time as
     * a GC or compaction pass. A directory that never had a tier answers an empty report.
     */
    TierGcReport tierGc(TierGcRequest request);

    /** The tier's segments and cache as reads see them ({@link ColdVersions#NONE} before anything was compacted). */
    ColdVersions tier();

    /**
     * The tier's figures: catalog, objects under {@code tier/} in its store (one listing), cache, cutoff and the last
     * pass; {@code stubs} is -1 here ({@link StorageUsage#stubs()} counts them in its scan).
     */
    TierUsage tierUsage();

    // ---- health and statistics ----

    /** False once the store refuses writes until restart (see {@link WalHealth}). */
    boolean healthy();

    /** Whether writes are accepted, and why not (read-only: state, reason, free bytes). */
    WalHealth health();

    /** Number of WAL fsyncs done so far (for metrics and benchmarks). */
    long syncCount();

    /** How often the sync thread waited for more journaled writes before an fsync (for serverStatus). */
    SyncGathers syncGathers();

    /** How commits were grouped so far (for serverStatus and benchmarks). */
    GroupCommitStats groupCommitStats();

    /** Streamed commits so far: chunks staged, commits published, aborted here, and retired when opened. */
    StagingStats stagingStats();

    /**
     * Bytes written and held so far (for benchmarks): batch sizes always, RocksDB's own log, flush and compaction
     * counters when the {@code argon.wal.statistics} system property was "true" at open.
     */
    StorageStats storageStats();

    /**
     * Where the bytes are (argonStorage): per family, the object folder, raw against stored version bytes, per
     * branch own and unique bytes. Scans every stored version, so it costs time in proportion to them; with
     * {@code flush}, memtables are flushed first so that the figures describe compressed SST files.
     */
    StorageUsage storageUsage(boolean flush);

    /** Syncs and closes the data directory; a second call does nothing. */
    @Override
    void close();
}
