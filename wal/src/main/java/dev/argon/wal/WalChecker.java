package dev.argon.wal;

import dev.argon.storage.object.ObjectInfo;
import dev.argon.storage.object.ObjectStore;
import dev.argon.storage.object.ObjectStoreException;
import dev.argon.storage.segment.SegmentCorruptException;
import dev.argon.wal.tier.TierManifest;
import dev.argon.wal.tier.TierManifests;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bson.BsonDocument;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The structural half of {@code fsck}: checks what the wal layer alone can know, on a stopped directory.
 * <ul>
 *   <li>RocksDB's block checksums ({@code verifyChecksum}) and that every record decodes;</li>
 *   <li>log &harr; commits: every commit record's range {@code [startLsn, lsn]} is made of log entries of its
 *       branch (a streamed commit's range may also hold other branches' entries, and its last LSN may have no
 *       entry), no LSN is in two commits, no log entry lies outside a commit except the chunks of an unpublished
 *       or abandoned streamed commit ({@code staging/}, {@code abandoned/} records, above their branch id's head),
 *       {@code lastLsn} is the end of the log;</li>
 *   <li>commits &harr; indexes: each commit has its time index entry, and that index names no other LSN (the
 *       commit records, keyed by branch id and last LSN, are the commit-boundary index themselves);</li>
 *   <li>branches: each head equals the end of the last commit of that branch id (its base when it has
 *       none) and is &le; {@code lastLsn}; parents exist, were created before their children, and each
 *       fork point is &le; the parent's head; tags name existing branches;</li>
 *   <li>versions &harr; log: every version has a log entry at its LSN written by the same branch, and every
 *       log entry wrote at least one version;</li>
 *   <li>the tier: the catalog's manifest ({@code tier/manifests/<seq>}) exists, reads and lists the catalog's
 *       segments; newer manifests (a crash between a manifest and its batch) carry this directory's identity; every
 *       segment the catalog or the newest manifest names is in the tier's store with its size.</li>
 * </ul>
 * Which versions a log entry must have written is the engine's knowledge (document and index keys); it
 * reads {@link #versionCount} and {@link #logBranch} after {@link #run}. Memory: a few bytes per LSN.
 * Not thread-safe; one per run.
 */
public final class WalChecker {
    private static final byte[] NEXT_BRANCH_ID = "nextBranchId".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TAG_PREFIX = "tag/".getBytes(StandardCharsets.UTF_8);
    /** logBranch value of an entry that exists but does not decode. */
    private static final int UNDECODABLE = -1;

    private final WalInspector in;
    private final WalDb db;
    private final FsckReport report;
    private final LsnTable logBranch = new LsnTable();
    private final LsnTable versionCount = new LsnTable();
    private final LsnTable coveredBy = new LsnTable();
    private final BitSet commitEnds = new BitSet();
    /** Unpublished streamed commits: branch id -> first staged LSN. */
    private final Map<Integer, Long> staging = new HashMap<>();
    /** Abandoned streamed commits: branch id -> [from, to]. */
    private final Map<Integer, long[]> abandoned = new HashMap<>();
    private final Map<Integer, Long> lastCommit = new HashMap<>();
    private final Map<Integer, Branch> branches = new HashMap<>();
    private long lastLsn;
    private long logEnd;
    /** What GC has given up: the holes and missing versions it leaves are not damage. */
    private GcMarks marks = GcMarks.NONE;

    public WalChecker(WalInspector in, FsckReport report) {
        this.in = in;
        this.db = in.db();
        this.report = report;
    }

    /** Runs every structural check, adding what it finds to the report. */
    public void run() {
        checksums();
        guarded("last LSN", () -> lastLsn = in.lastLsn());
        guarded("GC marks", () -> marks = in.gcMarks());
        // First: a segment missing from the tier explains the log and version problems that follow it.
        guarded("tier manifests", this::tierManifests);
        guarded("log", this::log);
        guarded("branch records", this::branchRecords);
        guarded("staged ranges", this::stagedRanges);
        guarded("commit records", this::commits);
        guarded("commit indexes", this::commitIndexes);
        guarded("branch heads", this::branchHeads);
        guarded("tags", this::tags);
        guarded("versions", this::versions);
        guarded("latest versions", this::latest);
        for (long lsn = 1; lsn <= logEnd; lsn++) {
            if (logBranch.get(lsn) > 0 && versionCount.get(lsn) == 0 && !marks.mayHaveReclaimed(logBranch.get(lsn), lsn)) {
                report.problem(FsckReport.VERSION_MISSING, "the log entry at lsn " + lsn + " has no versioned keys", logBranch.get(lsn), lsn);
            }
        }
    }

    /** How many versions were written at lsn (all keys of the log entry with that LSN). */
    public int versionCount(long lsn) {
        return versionCount.get(lsn);
    }

    /** The branch id of the log entry at lsn; 0 if there is none, -1 if it does not decode. */
    public int logBranch(long lsn) {
        return logBranch.get(lsn);
    }

    private void guarded(String what, Runnable check) {
        try {
            check.run();
        } catch (WalException e) {
            report.problem(FsckReport.UNREADABLE, "reading the " + what + " failed: " + e.getMessage(), -1, -1);
        } catch (ObjectStoreException | SegmentCorruptException e) {
            // A segment missing from (or damaged in) the tier: reported, and the other checks still run.
            report.problem(FsckReport.TIER, "reading the " + what + " from the tier failed: " + e.getMessage(), -1, -1);
        }
    }

    private void checksums() {
        try {
            db.db().verifyChecksum();
        } catch (RocksDBException e) {
            report.problem(FsckReport.CHECKSUM, "RocksDB checksum verification failed: " + e.getMessage(), -1, -1);
        }
    }

    private void log() {
        long n = 0;
        // The cold log first (entries at or below the catalog's logCutoff, in log segments), then the local one.
        TierCatalog catalog = TierCatalog.read(db);
        for (ColdLog cold = new ColdLog(db, null, catalog, 0, catalog.logCutoff(), false); cold.hasNext(); ) {
            byte[][] e = cold.next();
            n++;
            logEntry(e[0], e[1]);
        }
        try (RocksIterator it = db.db().newIterator(db.log())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                n++;
                byte[] k = it.key();
                if (k.length == 8 && Bytes.getLong(k, 0) <= catalog.logCutoff()) {
                    report.problem(FsckReport.UNREADABLE, "the log entry at lsn " + Bytes.getLong(k, 0)
                            + " is local but at or below the log's tier cutoff " + catalog.logCutoff(), -1, Bytes.getLong(k, 0));
                }
                logEntry(k, it.value());
            }
            WalInspector.status(it);
        }
        report.count("logEntries", n);
        // GC may have reclaimed the last entries (a dropped branch's); then the log ends below lastLsn.
        if (logEnd < lastLsn && lastLsn > marks.reclaimedThrough()) {
            report.problem(FsckReport.LAST_LSN, "lastLsn is " + lastLsn + " but the log ends at " + logEnd, -1, lastLsn);
        }
    }

    private void logEntry(byte[] k, byte[] value) {
        if (k.length != 8 || !LsnTable.fits(Bytes.getLong(k, 0))) {
            report.problem(FsckReport.UNREADABLE, "a log key is not an LSN: " + hex(k), -1, -1);
            return;
        }
        long lsn = Bytes.getLong(k, 0);
        logEnd = Math.max(logEnd, lsn);
        int branch;
        try {
            branch = LogCodec.branchId(Bson.document(value));
        } catch (RuntimeException e) {
            report.problem(FsckReport.UNREADABLE, "the log entry at lsn " + lsn + " does not decode: " + e.getMessage(), -1, lsn);
            branch = UNDECODABLE;
        }
        if (branch == 0 || branch < UNDECODABLE) {
            report.problem(FsckReport.UNREADABLE, "the log entry at lsn " + lsn + " names branch id " + branch, -1, lsn);
            branch = UNDECODABLE;
        }
        logBranch.set(lsn, branch);
        if (lsn > lastLsn) {
            report.problem(FsckReport.LAST_LSN, "the log entry at lsn " + lsn + " lies above lastLsn " + lastLsn, branch, lsn);
        }
    }

    /** The tier catalog against the tier's manifests, and every segment they name against the store. */
    private void tierManifests() {
        TierCatalog catalog = TierCatalog.read(db);
        if (db.cold() == ColdVersions.NONE || (!catalog.tiered() && catalog.manifestSeq() == 0)) {
            return;
        }
        ObjectStore store = db.cold().store();
        List<ObjectInfo> listed = TierManifests.list(store);
        report.count("tierManifests", listed.size());
        Map<String, Long> named = new TreeMap<>();
        for (TierSegment x : catalog.segments()) {
            named.put(x.objectKey(), x.size());
        }
        for (TierSegment x : catalog.logSegments()) {
            named.put(x.objectKey(), x.size());
        }
        long newest = listed.isEmpty() ? 0 : TierManifests.sequence(listed.get(listed.size() - 1).key());
        if (catalog.manifestSeq() > 0) {
            TierManifest own = manifest(store, catalog.manifestSeq(), "the tier catalog's");
            if (own != null && !new TreeSet<>(own.objectKeys()).equals(named.keySet())) {
                report.problem(FsckReport.TIER, "the tier manifest " + catalog.manifestSeq() + " names other segments than the tier "
                        + "catalog that records it", -1, -1);
            }
        }
        if (newest > catalog.manifestSeq()) {
            TierManifest top = manifest(store, newest, "the newest");
            if (top != null) {
                if (!top.directoryId().equals(catalog.directoryId())) {
                    report.problem(FsckReport.TIER, "the tier's newest manifest " + newest + " belongs to another data directory ("
                            + top.directoryId() + "): the tier is shared", -1, -1);
                }
                for (TierSegment x : top.segments()) {
                    named.putIfAbsent(x.objectKey(), x.size());
                }
                for (TierSegment x : top.logSegments()) {
                    named.putIfAbsent(x.objectKey(), x.size());
                }
            }
        }
        for (Map.Entry<String, Long> e : named.entrySet()) {
            Optional<ObjectInfo> info = store.head(e.getKey());
            if (info.isEmpty()) {
                report.problem(FsckReport.TIER, "the segment " + e.getKey() + " that the tier names is missing from " + store.describe(), -1, -1);
            } else if (info.get().size() != e.getValue()) {
                report.problem(FsckReport.TIER, "the segment " + e.getKey() + " has " + info.get().size() + " bytes in "
                        + store.describe() + ", not the " + e.getValue() + " the tier names", -1, -1);
            }
        }
    }

    private TierManifest manifest(ObjectStore store, long seq, String which) {
        try {
            return TierManifests.read(store, seq);
        } catch (IllegalArgumentException e) {
            report.problem(FsckReport.TIER, which + " tier manifest does not read: " + e.getMessage(), -1, -1);
        } catch (ObjectStoreException e) {
            report.problem(FsckReport.TIER, which + " tier manifest " + seq + " cannot be read from " + store.describe() + ": "
                    + e.getMessage(), -1, -1);
        }
        return null;
    }

    private void branchRecords() {
        Set<String> names = new HashSet<>();
        try (RocksIterator it = db.db().newIterator(db.meta())) {
            for (it.seek(WalInspector.BRANCH_PREFIX); it.isValid() && Bytes.startsWith(it.key(), WalInspector.BRANCH_PREFIX); it.next()) {
                byte[] k = it.key();
                Branch b;
                try {
                    b = BranchRegistry.decode(it.value());
                } catch (RuntimeException e) {
                    report.problem(FsckReport.UNREADABLE, "the branch record " + hex(k) + " does not decode: " + e.getMessage(), -1, -1);
                    continue;
                }
                if (k.length != WalInspector.BRANCH_PREFIX.length + 4 || Bytes.getInt(k, WalInspector.BRANCH_PREFIX.length) != b.id()) {
                    report.problem(FsckReport.BRANCH_ANCESTRY, "the branch record of id " + b.id() + " is stored under another key", b.id(), -1);
                }
                if (b.name() != null && !names.add(b.name())) {
                    report.problem(FsckReport.BRANCH_ANCESTRY, "two branch ids are named '" + b.name() + "'", b.id(), -1);
                }
                branches.put(b.id(), b);
            }
            WalInspector.status(it);
        }
        report.count("branches", branches.size());
        if (!names.contains(Branch.MAIN) && (lastLsn > 0 || !branches.isEmpty())) {
            report.problem(FsckReport.BRANCH_ANCESTRY, "no live branch is named 'main'", -1, -1);
        }
    }

    private void commits() {
        long n = 0;
        try (RocksIterator it = db.db().newIterator(db.commits())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                n++;
                byte[] k = it.key();
                if (k.length != 12) {
                    report.problem(FsckReport.UNREADABLE, "a commit key is not branch id and LSN: " + hex(k), -1, -1);
                    continue;
                }
                commit(Bytes.getInt(k, 0), Bytes.getLong(k, 4), it.value());
            }
            WalInspector.status(it);
        }
        report.count("commits", n);
        long stagedEntries = 0;
        for (long lsn = 1; lsn <= Math.max(lastLsn, logEnd); lsn++) {
            int lb = logBranch.get(lsn);
            if (lb != 0 && coveredBy.get(lsn) == 0 && unpublished(lb, lsn)) {
                stagedEntries++;
            } else if (lb != 0 && coveredBy.get(lsn) == 0) {
                report.problem(FsckReport.LOG_OUTSIDE_COMMIT, "the log entry at lsn " + lsn + " is in no commit", lb, lsn);
            } else if (lb == 0 && coveredBy.get(lsn) == 0 && lsn <= lastLsn && lsn > marks.reclaimedThrough()) {
                report.problem(FsckReport.COMMIT_RANGE, "lsn " + lsn + " has neither a log entry nor a commit", -1, lsn);
            }
        }
        report.count("unpublishedEntries", stagedEntries);
    }

    /**
     * True if a log entry outside every commit is a chunk of a streamed commit that was never published: above
     * its branch id's head, inside that id's open {@code staging/} range or its {@code abandoned/} range.
     */
    private boolean unpublished(int branchId, long lsn) {
        Branch b = branches.get(branchId);
        if (b == null || lsn <= b.headLsn()) {
            return false;
        }
        Long from = staging.get(branchId);
        long[] range = abandoned.get(branchId);
        return (from != null && lsn >= from) || (range != null && lsn >= range[0] && lsn <= range[1]);
    }

    /**
     * Reads the {@code staging/} markers (a streamed commit in progress when the server stopped; the next open
     * retires its branch id) and the {@code abandoned/} records (retired ids and their discarded ranges). An
     * abandoned range on an id that still carries a name, or a head at or above an open staged range, would let
     * the orphaned chunks become visible: that is damage.
     */
    private void stagedRanges() {
        try (RocksIterator it = db.db().newIterator(db.meta())) {
            for (it.seek(StagedCommit.STAGING_PREFIX); it.isValid() && Bytes.startsWith(it.key(), StagedCommit.STAGING_PREFIX); it.next()) {
                byte[] k = it.key();
                byte[] v = it.value();
                if (k.length != StagedCommit.STAGING_PREFIX.length + 4 || v.length != 8) {
                    report.problem(FsckReport.UNREADABLE, "the staging marker " + hex(k) + " is malformed", -1, -1);
                    continue;
                }
                int id = Bytes.getInt(k, StagedCommit.STAGING_PREFIX.length);
                long from = Bytes.getLong(v, 0);
                staging.put(id, from);
                Branch b = branches.get(id);
                if (b == null) {
                    report.problem(FsckReport.STAGED, "a staging marker names branch id " + id + ", which has no record", id, from);
                } else if (b.headLsn() >= from) {
                    report.problem(FsckReport.STAGED, "branch id " + id + " has head " + b.headLsn() + " at or above its unpublished chunks from lsn "
                            + from, id, from);
                }
            }
            WalInspector.status(it);
        }
        try (RocksIterator it = db.db().newIterator(db.meta())) {
            for (it.seek(StagedCommit.ABANDONED_PREFIX); it.isValid() && Bytes.startsWith(it.key(), StagedCommit.ABANDONED_PREFIX); it.next()) {
                byte[] k = it.key();
                byte[] v = it.value();
                if (k.length != StagedCommit.ABANDONED_PREFIX.length + 4 || v.length != 16) {
                    report.problem(FsckReport.UNREADABLE, "the abandoned-range record " + hex(k) + " is malformed", -1, -1);
                    continue;
                }
                int id = Bytes.getInt(k, StagedCommit.ABANDONED_PREFIX.length);
                long[] range = {Bytes.getLong(v, 0), Bytes.getLong(v, 8)};
                abandoned.put(id, range);
                Branch b = branches.get(id);
                if (b == null) {
                    report.problem(FsckReport.STAGED, "an abandoned range names branch id " + id + ", which has no record", id, range[0]);
                } else if (b.name() != null) {
                    report.problem(FsckReport.STAGED, "branch '" + b.name() + "' (id " + id + ") still carries its name above the abandoned range ["
                            + range[0] + ", " + range[1] + "]", id, range[0]);
                } else if (b.headLsn() >= range[0]) {
                    report.problem(FsckReport.STAGED, "branch id " + id + " has head " + b.headLsn() + " inside or above its abandoned range from lsn "
                            + range[0], id, range[0]);
                }
            }
            WalInspector.status(it);
        }
    }

    private void commit(int branchId, long end, byte[] value) {
        long start;
        long time;
        boolean streamed;
        try {
            BsonDocument d = Bson.document(value);
            start = d.getInt64("startLsn").getValue();
            time = d.getInt64("time").getValue();
            streamed = d.containsKey("chunks");
            if (d.getInt64("lsn").getValue() != end) {
                report.problem(FsckReport.COMMIT_RANGE, "the commit record under lsn " + end + " says it ends at " + d.getInt64("lsn").getValue(), branchId, end);
            }
        } catch (RuntimeException e) {
            report.problem(FsckReport.UNREADABLE, "the commit record at lsn " + end + " does not decode: " + e.getMessage(), branchId, end);
            return;
        }
        if (start < 1 || start > end || !LsnTable.fits(end)) {
            report.problem(FsckReport.COMMIT_RANGE, "the commit record at lsn " + end + " has the range [" + start + ", " + end + "]", branchId, end);
            return;
        }
        Branch b = branches.get(branchId);
        if (b == null) {
            report.problem(FsckReport.COMMIT_RANGE, "the commit at lsn " + end + " belongs to branch id " + branchId + ", which has no record", branchId, end);
        } else if (start <= b.baseLsn()) {
            report.problem(FsckReport.COMMIT_RANGE, "the commit [" + start + ", " + end + "] lies at or below its branch's fork point " + b.baseLsn(), branchId, end);
        }
        // A commit above its branch's ceiling is being reclaimed: GC deletes its entries before the record.
        boolean reclaiming = end > marks.ceiling(branchId);
        for (long lsn = start; lsn <= end; lsn++) {
            int lb = logBranch.get(lsn);
            if (lb == 0 && !(streamed && lsn == end) && !reclaiming) {
                // A streamed commit's record takes a fresh last LSN, which has no entry when its last batch had none;
                // a commit being reclaimed loses its entries before its record.
                report.problem(FsckReport.COMMIT_RANGE, "lsn " + lsn + " of the commit [" + start + ", " + end + "] has no log entry", branchId, lsn);
            } else if (lb > 0 && lb != branchId) {
                if (streamed) {
                    // Another branch committed while this one streamed: that entry is its commit's, not this one's.
                    continue;
                }
                report.problem(FsckReport.COMMIT_RANGE, "lsn " + lsn + " of the commit [" + start + ", " + end + "] is a log entry of branch id " + lb, branchId, lsn);
            }
            if (coveredBy.get(lsn) != 0) {
                report.problem(FsckReport.COMMIT_RANGE, "lsn " + lsn + " lies in two commits", branchId, lsn);
            }
            coveredBy.set(lsn, branchId);
        }
        commitEnds.set((int) end);
        lastCommit.merge(branchId, end, Math::max);
        try {
            byte[] tk = new byte[16];
            Bytes.putLong(tk, 0, time);
            Bytes.putLong(tk, 8, end);
            if (db.db().get(db.times(), tk) == null) {
                report.problem(FsckReport.COMMIT_INDEX, "the commit at lsn " + end + " has no time index entry", branchId, end);
            }
        } catch (RocksDBException e) {
            throw new WalException("cannot read the commit indexes: " + e.getMessage(), branchId, end, e);
        }
    }

    private void commitIndexes() {
        BitSet seen = new BitSet();
        try (RocksIterator it = db.db().newIterator(db.times())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] k = it.key();
                long lsn = k.length == 16 ? Bytes.getLong(k, 8) : -1;
                if (!isCommitEnd(lsn)) {
                    // GC keeps the time entries of commits it reclaims, so name@<time> keeps naming the same LSN.
                    if (lsn < 1 || lsn > marks.reclaimedThrough()) {
                        report.problem(FsckReport.COMMIT_INDEX, "time index entry " + hex(k) + " names no commit", -1, lsn);
                    }
                } else if (seen.get((int) lsn)) {
                    report.problem(FsckReport.COMMIT_INDEX, "the commit at lsn " + lsn + " has more than one time index entry", -1, lsn);
                } else {
                    seen.set((int) lsn);
                }
            }
            WalInspector.status(it);
        }
    }

    private boolean isCommitEnd(long lsn) {
        return LsnTable.fits(lsn) && lsn > 0 && commitEnds.get((int) lsn);
    }

    private void branchHeads() {
        for (Branch b : branches.values()) {
            String name = b.name() == null ? "(unnamed) id " + b.id() : "'" + b.name() + "'";
            long expected = lastCommit.getOrDefault(b.id(), b.baseLsn());
            boolean trimmed = marks.ceiling(b.id()) < b.headLsn();
            if (trimmed ? expected > b.headLsn() : b.headLsn() != expected) {
                report.problem(FsckReport.BRANCH_HEAD, "branch " + name + " has head " + b.headLsn() + " but "
                        + (lastCommit.containsKey(b.id()) ? "its last commit ends at " + expected : "no commits and fork point " + expected),
                        b.id(), b.headLsn());
            }
            if (b.headLsn() > lastLsn) {
                report.problem(FsckReport.BRANCH_HEAD, "branch " + name + " has head " + b.headLsn() + " above lastLsn " + lastLsn, b.id(), b.headLsn());
            }
            if (b.baseLsn() > b.headLsn()) {
                report.problem(FsckReport.BRANCH_ANCESTRY, "branch " + name + " forks at " + b.baseLsn() + ", above its head " + b.headLsn(), b.id(), b.baseLsn());
            }
            if (b.id() == Branch.MAIN_ID) {
                if (b.parentId() != 0) {
                    report.problem(FsckReport.BRANCH_ANCESTRY, "the first branch has parent id " + b.parentId(), b.id(), -1);
                }
            } else {
                Branch parent = branches.get(b.parentId());
                if (parent == null) {
                    report.problem(FsckReport.BRANCH_ANCESTRY, "branch " + name + " has parent id " + b.parentId() + ", which has no record", b.id(), -1);
                } else {
                    if (parent.id() >= b.id()) {
                        report.problem(FsckReport.BRANCH_ANCESTRY, "branch " + name + " is older than its parent id " + parent.id(), b.id(), -1);
                    }
                    if (b.baseLsn() > parent.headLsn()) {
                        report.problem(FsckReport.BRANCH_ANCESTRY, "branch " + name + " forks at " + b.baseLsn() + ", above its parent's head "
                                + parent.headLsn(), b.id(), b.baseLsn());
                    }
                }
            }
            if (b.replacesId() != 0 && !branches.containsKey(b.replacesId())) {
                report.problem(FsckReport.BRANCH_ANCESTRY, "branch " + name + " replaces id " + b.replacesId() + ", which has no record", b.id(), -1);
            }
        }
        for (int id : lastCommit.keySet()) {
            if (!branches.containsKey(id)) {
                report.problem(FsckReport.BRANCH_HEAD, "branch id " + id + " has commits but no record", id, lastCommit.get(id));
            }
        }
        byte[] next = in.meta(NEXT_BRANCH_ID);
        if (next != null && next.length == 8) {
            for (Branch b : branches.values()) {
                if (b.id() != Branch.MAIN_ID && b.id() >= Bytes.getLong(next, 0)) {
                    report.problem(FsckReport.BRANCH_ANCESTRY, "branch id " + b.id() + " is not below nextBranchId " + Bytes.getLong(next, 0), b.id(), -1);
                }
            }
        }
    }

    private void tags() {
        long n = 0;
        try (RocksIterator it = db.db().newIterator(db.meta())) {
            for (it.seek(TAG_PREFIX); it.isValid() && Bytes.startsWith(it.key(), TAG_PREFIX); it.next()) {
                n++;
                String name = new String(it.key(), TAG_PREFIX.length, it.key().length - TAG_PREFIX.length, StandardCharsets.UTF_8);
                try {
                    BsonDocument d = Bson.document(it.value());
                    int branchId = d.getInt32("branchId").getValue();
                    long lsn = d.getInt64("lsn").getValue();
                    if (!branches.containsKey(branchId)) {
                        report.problem(FsckReport.TAG, "tag '" + name + "' names branch id " + branchId + ", which has no record", branchId, lsn);
                    }
                    if (lsn < 0 || lsn > lastLsn) {
                        report.problem(FsckReport.TAG, "tag '" + name + "' points at lsn " + lsn + ", outside the log", branchId, lsn);
                    }
                } catch (RuntimeException e) {
                    report.problem(FsckReport.UNREADABLE, "tag '" + name + "' does not decode: " + e.getMessage(), -1, -1);
                }
            }
            WalInspector.status(it);
        }
        report.count("tags", n);
    }

    private void versions() {
        long n = 0;
        try (RocksIterator it = db.db().newIterator(db.versions())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                n++;
                byte[] k = it.key();
                byte[] v = it.value();
                if (!VersionKeys.wellFormed(k, v)) {
                    report.problem(FsckReport.UNREADABLE, "the version " + hex(k) + " is malformed", -1, -1);
                    continue;
                }
                if (VersionKeys.isStub(v)) {
                    n += coldVersions(k, v) - 1;
                    continue;
                }
                version(k);
            }
            WalInspector.status(it);
        }
        report.count("versions", n);
    }

    /**
     * One version, local or inside a stub's run. GC keeps a stub whole while anything of its group stays, so a run
     * (and the version GC brings back from it for {@code latest}) may hold versions above a dead branch's ceiling
     * whose log entries GC deleted: unreadable (a read above a ceiling is refused), hence accepted.
     */
    private void version(byte[] k) {
        long lsn = VersionKeys.lsn(k);
        int branch = VersionKeys.branchId(k);
        int lb = LsnTable.fits(lsn) ? logBranch.get(lsn) : 0;
        if (lb == 0 && lsn > marks.ceiling(branch)) {
            return;
        }
        if (lb == 0) {
            report.problem(FsckReport.VERSION_ORPHAN, "the version of key " + hex(VersionKeys.userKey(k)) + " at lsn " + lsn + " has no log entry", branch, lsn);
        } else if (lb > 0 && lb != branch) {
            report.problem(FsckReport.VERSION_ORPHAN, "the version of key " + hex(VersionKeys.userKey(k)) + " at lsn " + lsn
                    + " names branch id " + branch + " but its log entry belongs to branch id " + lb, branch, lsn);
        }
        if (LsnTable.fits(lsn)) {
            versionCount.increment(lsn);
        }
    }

    /**
     * A stub: the versions of its run, read from the tier's segments, are checked as local ones are; the run's
     * ends must hold a version each (the stub's own LSN and its high LSN). Returns the versions read.
     */
    private long coldVersions(byte[] k, byte[] v) {
        byte[] userKey = VersionKeys.userKey(k);
        int branch = VersionKeys.branchId(k);
        long lo = VersionKeys.lsn(k);
        long hi = VersionKeys.stubHigh(v);
        List<byte[][]> cold;
        try {
            cold = hi < lo ? List.of() : db.cold().range(VersionKeys.key(userKey, branch, hi), k);
        } catch (RuntimeException e) {
            report.problem(FsckReport.TIER, "the compacted versions of key " + hex(userKey) + " in lsn " + lo + ".." + hi
                    + " cannot be read from the tier: " + e.getMessage(), branch, lo);
            return 0;
        }
        if (cold.isEmpty() || VersionKeys.lsn(cold.get(0)[0]) != hi || VersionKeys.lsn(cold.get(cold.size() - 1)[0]) != lo) {
            report.problem(FsckReport.TIER, "the stub of key " + hex(userKey) + " for lsn " + lo + ".." + hi
                    + " names versions the tier's segments do not hold", branch, lo);
        }
        for (byte[][] c : cold) {
            if (!VersionKeys.wellFormed(c[0], c[1]) || VersionKeys.isStub(c[1])) {
                report.problem(FsckReport.TIER, "the compacted version " + hex(c[0]) + " is malformed", branch, lo);
                continue;
            }
            version(c[0]);
        }
        return cold.size();
    }

    /**
     * The {@code latest} family against {@code versions}: every entry copies the newest version of its key and
     * branch, and every key and branch in {@code versions} has an entry (else reads at a head would see an
     * older version, or nothing).
     */
    private void latest() {
        long n = 0;
        try (RocksIterator it = db.db().newIterator(db.latest()); RocksIterator versions = db.db().newIterator(db.versions())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                n++;
                byte[] k = it.key();
                byte[] v = it.value();
                if (!LatestKeys.wellFormed(k, v)) {
                    report.problem(FsckReport.UNREADABLE, "the latest-version entry " + hex(k) + " is malformed", -1, -1);
                    continue;
                }
                byte[] userKey = LatestKeys.userKey(k);
                int branch = LatestKeys.branchId(k);
                long lsn = LatestKeys.lsn(v);
                versions.seek(VersionKeys.key(userKey, branch, Long.MAX_VALUE));
                byte[] vk = versions.isValid() ? versions.key() : null;
                if (vk == null || !VersionKeys.isVersionOf(vk, userKey) || VersionKeys.branchId(vk) != branch) {
                    report.problem(FsckReport.LATEST, "the latest version of key " + hex(userKey) + " on branch id " + branch
                            + " (lsn " + lsn + ") has no version in the history", branch, lsn);
                } else if (VersionKeys.lsn(vk) != lsn) {
                    report.problem(FsckReport.LATEST, "the latest version of key " + hex(userKey) + " on branch id " + branch
                            + " is at lsn " + lsn + " but the history's newest is at lsn " + VersionKeys.lsn(vk), branch, lsn);
                } else if (!java.util.Arrays.equals(versions.value(), LatestKeys.versionValue(v))) {
                    report.problem(FsckReport.LATEST, "the latest version of key " + hex(userKey) + " on branch id " + branch
                            + " at lsn " + lsn + " holds other bytes than the history", branch, lsn);
                }
            }
            WalInspector.status(it);
            for (versions.seekToFirst(); versions.isValid(); ) {
                byte[] vk = versions.key();
                if (vk.length <= VersionKeys.SUFFIX) {
                    versions.next();
                    continue;
                }
                byte[] userKey = VersionKeys.userKey(vk);
                int branch = VersionKeys.branchId(vk);
                byte[] entry = db.db().get(db.latest(), LatestKeys.key(userKey, branch));
                if (entry == null) {
                    report.problem(FsckReport.LATEST, "key " + hex(userKey) + " has versions on branch id " + branch
                            + " but no latest-version entry", branch, VersionKeys.lsn(vk));
                }
                // On to the next key and branch: LSN 0 (never written) is the last position of this group.
                versions.seek(VersionKeys.key(userKey, branch, 0L));
            }
            WalInspector.status(versions);
        } catch (RocksDBException e) {
            throw new WalException("cannot read the latest versions: " + e.getMessage(), -1, -1, e);
        }
        report.count("latestVersions", n);
    }

    /** Key bytes for a message: printable ASCII as is, the rest as hex escapes, cut at 80 bytes. */
    public static String hex(byte[] key) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(key.length, 80); i++) {
            int c = key[i] & 0xFF;
            if (c >= 0x20 && c < 0x7F && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return key.length > 80 ? sb + "..." : sb.toString();
    }
}
