/**
 * The write-ahead log and its derived, versioned key space, all in one RocksDB database.
 *
 * <p>Column families:
 * <ul>
 *   <li>{@code log}: {@code lsn (8 bytes, big-endian)} &rarr; one BSON log entry (branch id, namespace,
 *       operation, {@code _id}, and the user key whose versions hold its images). Physical: replaying a prefix is
 *       deterministic. A document version is stored in {@code versions} (and, while it is its branch's newest, in {@code latest}): the entry's post-image is its key's
 *       version at exactly (branch, LSN) and its pre-image the version its branch saw at LSN - 1;
 *       time, actor and comment are its commit record's. {@link dev.argon.wal.LogRecord} reads them back lazily
 *       ({@code LogImages}), so history readers see what was written. Only entries whose images are not a key's
 *       payload (an index build) carry them inline.</li>
 *   <li>{@code versions}: {@code userKey | ~branchId (4) | ~lsn (8)} &rarr; {@code flag (1) | payload}
 *       ({@link dev.argon.wal.VersionKeys}). A user key is built by the engine (document, index entry or
 *       catalog entry) and must be prefix-free. Versions of one key sit next to each other whatever branch wrote
 *       them ("document-major" order), grouped by branch, newest branch id first, and newest LSN first within a
 *       group. zstd-compressed in every level.</li>
 *   <li>{@code latest}: {@code userKey | ~branchId (4)} &rarr; {@code lsn (8) | flag (1) | payload}
 *       ({@link dev.argon.wal.LatestKeys}): each branch's newest version of each key it wrote, a copy of the first
 *       entry of that group in {@code versions}, written in the same batch: the current state without the
 *       history.</li>
 *   <li>{@code commits}: {@code branchId (4) | lsn (8)} &rarr; the commit record of the commit ending at lsn.</li>
 *   <li>{@code times}: {@code millis (8) | lsn (8)} &rarr; empty; the time &rarr; LSN index for time travel.</li>
 *   <li>{@code default}: metadata (last LSN, branch records, id counters).</li>
 * </ul>
 *
 * <p>Visibility: a version {@code (branch b, lsn l)} is visible to a {@link dev.argon.wal.ReadView} when the
 * view's ancestry contains {@code b} with a bound {@code >= l}. Because a branch's own entries all lie above its
 * fork point and LSNs are global, the newest visible version is always the right one.
 *
 * <p>Reads do not grow with history. A branch is always created after its parent (a reset's new id too), so a
 * view's ancestry, nearest first, is a descending run of branch ids and meets a key's branch groups in the order
 * it wants them: {@link dev.argon.wal.VersionCursor} reads a member's entry in {@code latest} and, only when that
 * version is above the member's bound (time travel, a parent that changed the key after the fork), seeks the
 * member's group in {@code versions} at the bound. A point read costs at most one step per branch that wrote the
 * key plus one seek per member above its bound, whatever the number of versions; a
 * {@link dev.argon.wal.VersionScan} walks {@code latest} the same way per key (backward too: it steps back to each
 * key and resolves it forward as a point read does). Point
 * reads borrow iterators from an {@link dev.argon.wal.IteratorPool} (an iterator costs about a read to create);
 * every write invalidates the pooled iterators' snapshot, and a stale one is refreshed when next borrowed.
 *
 * <p>Format: the metadata key {@code formatVersion} names the on-disk format (3); a directory of another format
 * is refused at open ({@link dev.argon.wal.UnsupportedFormatException}).
 *
 * <p>Writes: group commit. Concurrent commits queue in {@link dev.argon.wal.GroupCommit}; whoever reaches an
 * idle queue leads, takes every request waiting (bounded in requests and bytes), assigns their LSN ranges in
 * queue order and writes one RocksDB {@code WriteBatch} holding every member's log entries, versioned keys,
 * commit record, commit-end and time index entries, branch head and metadata, plus the last LSN and time; then
 * it moves the heads in order, completes the members and hands the queue to the next waiter. So no state on
 * disk has a head pointing at a half-written change, and LSN order equals write order. A member that cannot be
 * written (a branch id retired by a drop or reset, no entries) fails alone; a failed write fails every member.
 * A commit can also be queued without waiting ({@link dev.argon.wal.VersionStore#enqueue}, a
 * {@link dev.argon.wal.PendingCommit}): the engine then releases the branch's write lock before the write, and the
 * branch's next commit, evaluated over the queued one, names it as {@code after}; a member whose {@code after}
 * failed fails too, unwritten. So one branch may have several requests in a group, in evaluation order, each head
 * chained on the one before. A queued commit may also be detached from its thread ({@link
 * dev.argon.wal.PendingCommit#detach}): the WAL's writer thread ({@code argon-wal-writer}) leads its group when its
 * turn comes and a callback gets the outcome, so an event loop queues small commits without waiting and the commits
 * of all event loops form groups.
 * Why a leader stopped taking requests ({@code full}, {@code idle}) is counted in
 * {@link dev.argon.wal.GroupCommitStats}. Durability ({@code j: true}) is a shared WAL fsync
 * ({@link dev.argon.wal.WalSyncer}) that each journaled member awaits after its group's write, so one fsync
 * covers a group and whatever was written before it started; a finished fsync wakes the waiters it covered and
 * one more, which runs the next. A reply that waits without a thread registers a callback
 * ({@link dev.argon.wal.VersionStore#whenDurable}); the syncer's thread syncs for those, after waiting a moment for
 * as many journaled writers as its last sync covered (at most 500 µs; not for a lone writer). Branch, tag, id and metadata changes take the same
 * commit lock and are fsynced (shared) before they return.
 *
 * <p>Measurement: {@link dev.argon.wal.Wal#storageStats()} reports the bytes of every batch written and, with the
 * {@code argon.wal.statistics} system property, RocksDB's log, flush and compaction bytes, plus SST sizes per family.
 * {@link dev.argon.wal.VersionStore#storageUsage(boolean)} ({@code argonStorage}) measures where the bytes are: per
 * family SST and memtable bytes, the object folder, raw against stored version bytes, and per branch name the bytes
 * only it reaches ({@link dev.argon.wal.StorageCensus} says how sharing through fork points and tags is decided).
 *
 * <p>Names: {@link dev.argon.wal.BranchNames} holds the rules for branch and tag names (no path or ref delimiter, no
 * invisible or look-alike code point, NFKC only); names are stored only inside keys, never as file names.
 *
 * <p>Streamed commits: a change too large for one batch is a {@link dev.argon.wal.StagedCommit}. Its chunks go
 * through the same group commit at fresh LSNs but move no head and write no commit record, so every reader, bounded
 * by published heads, ignores them; one final batch publishes the commit record (from the first staged LSN), indexes,
 * metadata and head. Commits of other branches interleave with the chunks, so a commit is its branch id's entries in
 * its LSN range, and rounding a point to a commit boundary is per branch id (one seek in {@code commits}, whose records start with
 * their {@code startLsn}). A
 * {@code staging/<branchId>} marker written with the first chunk and deleted by the publish lets the next open find
 * a streamed commit cut off by a crash; that, and an abort, retire the branch id as a reset does, leaving the chunks
 * above the old id's head as an {@code abandoned/} range that no view reaches.
 *
 * <p>Offline checks: {@link dev.argon.wal.WalInspector} opens a stopped directory read-only (refusing one another
 * process has open, by RocksDB's {@code LOCK} file) and {@link dev.argon.wal.WalChecker} checks the invariants
 * above (log &harr; commit records &harr; commit indexes &harr; branch heads, versions &harr; log, checksums) into an
 * {@link dev.argon.wal.FsckReport}; the engine adds the document and index layer.
 *
 * <p>Failures: every write goes through {@code CommitWriter.write} and every write or fsync failure through
 * {@link dev.argon.wal.WalHealth}: a full disk refuses writes until space returns; any other failure refuses
 * writes until restart, and no waiter of a failed fsync is acknowledged. {@link dev.argon.wal.WalFaults} lets
 * tests inject failed or delayed fsyncs and writes.
 *
 * <p>History GC: {@link dev.argon.wal.GcPlan} decides from the branch records, tags and pins what some name still
 * reaches, {@link dev.argon.wal.Reclaimer} publishes the {@link dev.argon.wal.GcMarks} (horizon, per-branch ceilings,
 * pinned points) and then deletes the rest in bounded batches, after the reads older than the marks are done
 * ({@link dev.argon.wal.ReadGate}). {@code viewAt}, {@code createBranch}, {@code createTag} and {@code resetBranch}
 * refuse points the marks gave up ({@code BranchException.Kind.HISTORY_GONE}). Collections and indexes are the
 * engine's: it says which keys they own through {@link dev.argon.wal.KeyOwners}.
 *
 * <p>History compaction: {@code TierCompactor} moves versions older than the hot window that no head, fork point,
 * tag or GC pin reads into segments of the tier's object store and leaves a stub ({@code VersionKeys}
 * flag 2) per run of moved versions; {@code VersionCursor} and {@code LogImages} read behind a stub through
 * {@link dev.argon.wal.ColdVersions} (the {@code tier} subpackage). A pass then moves every log entry at or below
 * its cutoff into log segments; {@code ColdLog} reads them back for {@code LogScan}, fsck and the backup.
 * {@code TierMerger} (a segment rewrite pass, {@code Wal.mergeSegments}) merges small segments into larger ones and
 * rewrites sparse ones without the versions no stub covers and the log entries GC reclaimed, swapping them in the
 * tier catalog in one batch; it deletes no object (the tier's GC does). GC, compaction and rewrite passes exclude each other.
 * Every change of the tier catalog goes through {@code TierPublisher}, which publishes a tier manifest
 * ({@code tier/manifests/<seq>}) of the new catalog before the batch that writes it; {@code TierGc}
 * ({@link dev.argon.wal.VersionStore#tierGc}) removes tier segments that neither the catalog nor a kept manifest
 * names once older than a grace period, and retires old manifests.
 *
 * <p>History is read lazily: {@link dev.argon.wal.CommitScan} walks one branch's commit records newest first and
 * {@link dev.argon.wal.LogScan} an LSN range of the log, one record at a time.
 *
 * <p>Shape: the engine sees one interface, {@link dev.argon.wal.VersionStore}; {@link dev.argon.wal.Wal} implements
 * it as a thin facade over package-private rooms, each owning one invariant and tested alone:
 * {@code CommitWriter} (commit lock, the single write path, group commit and LSNs, syncer; one group's batch is a
 * {@code GroupBatch}), {@code BranchBook} (branch refs, resets, the reflog, branch ids), {@code TagBook} (tags and the
 * name space branches share with them), {@code Staging} (streamed commits: abort, recovery, refused ids),
 * {@code GcGuard} (GC marks and the refusals they imply), {@code HistoryReader} (commit records, log, time index,
 * commit boundaries, metadata reads) and {@code IdAllocator} (collection and index ids). Every room writes through
 * {@code CommitWriter.write} under its commit lock. docs/ARCHITECTURE.md maps each invariant to its room.
 *
 * <p>Archiving (the {@code archive} subpackage) reads raw entries through {@link dev.argon.wal.WalSnapshot} (a RocksDB
 * snapshot of every archived family, {@code Wal.snapshot()}; compacted history comes from the tier in bulk,
 * {@code ColdMerge} streaming and merging the versions segments so that each stub takes its run as the merge passes
 * it) and writes a new directory through
 * {@link dev.argon.wal.WalLoader}, which owns what a restore cut or a clone must rewrite (heads, names, tags, the
 * rebuilt {@code latest} family) and bulk-loads ordered families through {@code SstSink} (SST files written on a
 * thread each, ingested at the end).
 *
 * <p>Thread-safety: {@link dev.argon.wal.Wal} and its rooms are thread-safe; scans and the {@link dev.argon.wal.LogRecord}s they return are not (one reader each, closed after use; a record reads its images while its WAL is open). Storage failures surface as
 * {@link dev.argon.wal.WalException} carrying the LSN and branch involved.
 */
package dev.argon.wal;
