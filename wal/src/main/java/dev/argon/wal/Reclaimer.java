package dev.argon.wal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonDocument;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Reclaims what no name can reach (see {@link GcPlan} for what is kept). One pass:
 * <ol>
 *   <li>under the commit lock: fix the plan from the branch records, tags and pins, and publish its
 *       {@link GcMarks}; from then on no read, branch or tag may ask for what is going;</li>
 *   <li>wait until the reads that began before the marks are done ({@link ReadGate});</li>
 *   <li>delete, in batches of at most {@value #BATCH_OPS} keys, each taking the commit lock only for its own
 *       RocksDB write: superseded and unreachable versions (catalog keys first, which tells which collections
 *       and indexes are still named), then the log entries and commit records above each reclaimed branch's
 *       ceiling;</li>
 *   <li>under the commit lock: delete the records of unreachable branch ids nothing names any more.</li>
 * </ol>
 * Everything deleted was unreachable when the marks went out and nothing can reach it again (the marks only
 * narrow, and every new branch, tag and read is checked against them), so the deletes race with nothing. The
 * time index keeps its entries: {@code name@<time>} must keep resolving to the LSN it named, and then be refused,
 * rather than slide to an older commit. Thread-safe: passes run one at a time.
 */
final class Reclaimer {
    /** Keys per delete batch: small enough that one batch holds the commit lock for well under a millisecond. */
    static final int BATCH_OPS = 1000;

    private final WalDb db;
    private final CommitWriter writer;
    private final GcGuard gc;
    private final BranchRegistry branches;
    private final TagBook tags;
    private final HistoryReader history;
    private final VersionSource reads;
    private final Object passLock = new Object();
    /** Guarded by passLock: the marks and catalog LSN of the last full scan, to skip passes with nothing new. */
    private GcMarks lastScannedMarks;
    private long lastScannedLsn = -1;

    Reclaimer(WalDb db, CommitWriter writer, GcGuard gc, BranchRegistry branches, TagBook tags, HistoryReader history,
            VersionSource reads) {
        this.db = db;
        this.writer = writer;
        this.gc = gc;
        this.branches = branches;
        this.tags = tags;
        this.history = history;
        this.reads = reads;
    }

    /** The lock a pass holds: history compaction takes it too, since both rewrite old versions. */
    Object passLock() {
        return passLock;
    }

    GcReport run(GcRequest req, boolean onlyIfChanged) {
        synchronized (passLock) {
            long started = System.currentTimeMillis();
            GcPlan plan = writer.underCommitLock(() -> plan(req));
            if (onlyIfChanged && plan.marks().equals(lastScannedMarks) && writer.lastCatalogLsn() <= lastScannedLsn) {
                return new GcReport(req.dryRun(), false, plan.planLsn(), plan.horizon(), 0, 0, 0, 0, 0, plan.unreachable().size(),
                        plan.marks().ceilings().size(), System.currentTimeMillis() - started);
            }
            if (!req.dryRun()) {
                long epoch = gc.readGate().advance();
                boolean drained;
                try {
                    drained = gc.readGate().awaitOlder(epoch, ReadGate.current(), req.waitMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    drained = false;
                }
                if (!drained) {
                    return new GcReport(false, true, plan.planLsn(), plan.horizon(), 0, 0, 0, 0, 0, plan.unreachable().size(),
                            plan.marks().ceilings().size(), System.currentTimeMillis() - started);
                }
            }
            Deleter d = new Deleter(req.dryRun());
            Set<Long> owners = catalog(plan, req.owners(), d);
            versions(plan, req.owners(), owners, d);
            logAndCommits(plan, d);
            d.flush();
            d.close();
            long records = req.dryRun() ? plan.deletableRecords().size() : deleteRecords(plan);
            if (!req.dryRun()) {
                lastScannedMarks = gc.marks();
                lastScannedLsn = plan.planLsn();
            }
            return new GcReport(req.dryRun(), false, plan.planLsn(), plan.horizon(), d.versions, d.logEntries, d.commits, records, d.bytes,
                    plan.unreachable().size(), plan.marks().ceilings().size(), System.currentTimeMillis() - started);
        }
    }

    /** Caller holds the commit lock. */
    private GcPlan plan(GcRequest req) {
        GcMarks previous = gc.marks();
        long planLsn = writer.lastLsn();
        long horizon = previous.horizon();
        if (req.historyRetentionMillis() >= 0) {
            long at = history.lsnAtTime(req.nowMillis() - req.historyRetentionMillis());
            // lsnAtTime names the end of a commit; a streamed commit of another branch spanning it is refused
            // below its start by that branch's own rounding.
            horizon = Math.max(horizon, at);
        }
        GcPlan plan = GcPlan.compute(branches.all(), tags.tags(), req.pins().get(), planLsn, horizon, req.nowMillis(),
                req.reflogWindowMillis(), previous, history::roundToCommit);
        if (!req.dryRun() && !plan.marks().equals(previous)) {
            // reclaimedThrough goes out before any delete, so fsck accepts the holes of a pass cut short by a crash.
            gc.publishMarks(plan.marks().withReclaimedThrough(planLsn));
        }
        return plan;
    }

    /** One stored version while its key's group is decided. */
    private record Version(byte[] key, byte[] value, int branchId, long lsn) {
        boolean tombstone() {
            return VersionKeys.isTombstone(value);
        }

        boolean stub() {
            return VersionKeys.isStub(value);
        }

        long size() {
            return key.length + value.length;
        }
    }

    /** Decides the catalog keys and returns the owner ids their kept live versions name. */
    private Set<Long> catalog(GcPlan plan, KeyOwners ko, Deleter d) {
        Set<Long> owners = new HashSet<>();
        byte[] prefix = ko.catalogPrefix();
        if (prefix == null) {
            return owners;
        }
        try (RocksIterator it = db.db().newIterator(db.versions())) {
            it.seek(prefix);
            forEachGroup(it, prefix, group -> {
                for (Version v : decide(plan, group, false, d)) {
                    if (v.stub()) {
                        // Compacted catalog versions name owners too: read them from the tier.
                        byte[] from = VersionKeys.key(VersionKeys.userKey(v.key()), v.branchId(), VersionKeys.stubHigh(v.value()));
                        for (byte[][] c : db.cold().range(from, v.key())) {
                            if (!VersionKeys.isTombstone(c[1])) {
                                ko.owners(VersionKeys.payload(c[1]), owners::add);
                            }
                        }
                    } else if (!v.tombstone()) {
                        ko.owners(VersionKeys.payload(v.value()), owners::add);
                    }
                }
            });
            WalInspector.status(it);
        }
        return owners;
    }

    private void versions(GcPlan plan, KeyOwners ko, Set<Long> owners, Deleter d) {
        byte[] prefix = ko.catalogPrefix();
        try (RocksIterator it = db.db().newIterator(db.versions())) {
            it.seekToFirst();
            forEachGroup(it, null, group -> {
                byte[] userKey = VersionKeys.userKey(group.get(0).key());
                if (prefix != null && Bytes.startsWith(userKey, prefix)) {
                    return;
                }
                long owner = ko.owner(userKey);
                decide(plan, group, owner >= 0 && !owners.contains(owner), d);
            });
            WalInspector.status(it);
        }
    }

    /** Calls action with the versions of each user key in turn (under prefix, if given). */
    private void forEachGroup(RocksIterator it, byte[] prefix, java.util.function.Consumer<List<Version>> action) {
        List<Version> group = new ArrayList<>();
        for (; it.isValid(); it.next()) {
            byte[] k = it.key();
            if (prefix != null && !Bytes.startsWith(k, prefix)) {
                break;
            }
            if (!group.isEmpty() && !VersionKeys.sameUserKey(group.get(0).key(), k)) {
                action.accept(group);
                group = new ArrayList<>();
            }
            byte[] v = it.value();
            group.add(new Version(k, v, VersionKeys.branchId(k, v), VersionKeys.lsn(k)));
        }
        if (!group.isEmpty()) {
            action.accept(group);
        }
    }

    /**
     * Deletes the versions of one key that no kept range needs (all of them, up to planLsn, when the key's owner
     * is gone) and returns the kept ones.
     */
    private List<Version> decide(GcPlan plan, List<Version> group, boolean ownerGone, Deleter d) {
        Map<Integer, List<Version>> byBranch = new HashMap<>();
        for (Version v : group) {
            byBranch.computeIfAbsent(v.branchId(), k -> new ArrayList<>()).add(v);
        }
        List<Version> kept = new ArrayList<>();
        for (Map.Entry<Integer, List<Version>> e : byBranch.entrySet()) {
            List<Version> vs = e.getValue();
            vs.sort((a, b) -> Long.compare(b.lsn(), a.lsn()));
            boolean[] keep;
            if (ownerGone) {
                keep = new boolean[vs.size()];
                for (int i = 0; i < vs.size(); i++) {
                    keep[i] = vs.get(i).lsn() > plan.planLsn();
                }
            } else {
                long[] lsns = new long[vs.size()];
                for (int i = 0; i < lsns.length; i++) {
                    lsns[i] = vs.get(i).lsn();
                }
                keep = plan.keep(e.getKey(), lsns);
                keepStubs(vs, keep);
                dropBaseTombstones(plan, e.getKey(), vs, keep);
            }
            for (int i = 0; i < vs.size(); i++) {
                if (keep[i]) {
                    kept.add(vs.get(i));
                } else {
                    d.version(vs.get(i));
                }
            }
            if (!keep[0]) {
                // The branch's newest version goes: its `latest` entry follows it to the newest one kept, or goes.
                int j = 1;
                while (j < vs.size() && !keep[j]) {
                    j++;
                }
                byte[] latestKey = LatestKeys.key(VersionKeys.userKey(vs.get(0).key()), e.getKey());
                byte[] newest = j < vs.size() ? (vs.get(j).stub() ? untier(vs.get(j), d) : Bytes.concat(Bytes.longKey(vs.get(j).lsn()), vs.get(j).value())) : null;
                d.fixLatest(latestKey, vs.get(0).lsn(), newest);
            }
        }
        return kept;
    }

    /**
     * Compacted history: a stub stands for a run of versions this pass cannot weigh one by one, so a branch's stubs
     * stay while anything of its group stays, and go with the rest when nothing does (coarser than for local
     * versions, never wrong: what a kept point reads is the newest version at or below it, local or in a kept stub).
     */
    private static void keepStubs(List<Version> vs, boolean[] keep) {
        boolean any = false;
        for (boolean k : keep) {
            any |= k;
        }
        for (int i = 0; i < vs.size(); i++) {
            if (vs.get(i).stub()) {
                keep[i] = any;
            }
        }
    }

    /**
     * The branch's newest version goes and the newest kept entry is a stub: its newest cold version comes back into
     * {@code versions} (the stub shrinks by it), so that {@code latest} copies a local version as it always does.
     * Returns that version as a {@code latest} value.
     */
    private byte[] untier(Version stub, Deleter d) {
        byte[] userKey = VersionKeys.userKey(stub.key());
        List<byte[][]> cold = db.cold().range(VersionKeys.key(userKey, stub.branchId(), VersionKeys.stubHigh(stub.value())), stub.key());
        if (cold.isEmpty()) {
            throw new WalException("the compacted versions a stub names are missing from the tier's segments", stub.branchId(), stub.lsn(), null);
        }
        byte[][] top = cold.get(0);
        d.put(db.versions(), top[0], top[1]);
        if (cold.size() > 1) {
            d.put(db.versions(), stub.key(), VersionKeys.stub(VersionKeys.lsn(cold.get(1)[0])));
        } else if (!java.util.Arrays.equals(top[0], stub.key())) {
            d.delete(db.versions(), stub.key(), stub.size());
        }
        return Bytes.concat(Bytes.longKey(VersionKeys.lsn(top[0])), top[1]);
    }

    /**
     * A tombstone that is the oldest kept version of its branch hides only what the parent shows at the fork
     * point; when the parent shows nothing there (or there is no parent), every view that saw the tombstone sees
     * nothing without it too, so it goes (at or below the horizon: a deleted document leaves nothing behind there). Any other tombstone stays: deleting it would bring the parent's
     * version or an older one of the branch back to life.
     */
    private void dropBaseTombstones(GcPlan plan, int branchId, List<Version> vs, boolean[] keep) {
        Branch b = plan.branch(branchId);
        if (b == null) {
            return;
        }
        Boolean parentEmpty = null;
        for (int i = vs.size() - 1; i >= 0; i--) {
            if (!keep[i]) {
                continue;
            }
            Version v = vs.get(i);
            // Only below the horizon, where a log entry may have lost its versions anyway (fsck knows that);
            // above it a tombstone is one version of a change the log still describes.
            if (!v.tombstone() || v.lsn() > plan.horizon()) {
                return;
            }
            if (parentEmpty == null) {
                parentEmpty = b.parentId() == 0
                        || reads.get(branches.view(b.parentId(), b.baseLsn()), VersionKeys.userKey(v.key())) == null;
            }
            if (!parentEmpty) {
                return;
            }
            keep[i] = false;
        }
    }

    /** Deletes the log entries and commit records of each marked branch id above its ceiling. */
    private void logAndCommits(GcPlan plan, Deleter d) {
        for (Map.Entry<Integer, Long> e : plan.ceilings().entrySet()) {
            int id = e.getKey();
            long ceiling = e.getValue();
            byte[] from = new byte[12];
            Bytes.putInt(from, 0, id);
            Bytes.putLong(from, 4, Math.max(0, ceiling + 1));
            List<long[]> commits = new ArrayList<>();
            try (RocksIterator it = db.db().newIterator(db.commits())) {
                for (it.seek(from); it.isValid() && it.key().length == 12 && Bytes.getInt(it.key(), 0) == id; it.next()) {
                    long end = Bytes.getLong(it.key(), 4);
                    if (end > plan.planLsn()) {
                        break;
                    }
                    BsonDocument c = Bson.document(it.value());
                    commits.add(new long[] {c.getInt64("startLsn").getValue(), end, it.key().length + it.value().length});
                }
                WalInspector.status(it);
            }
            for (long[] c : commits) {
                try (RocksIterator it = db.db().newIterator(db.log())) {
                    for (it.seek(Bytes.longKey(c[0])); it.isValid() && Bytes.getLong(it.key(), 0) <= c[1]; it.next()) {
                        // A streamed commit's range interleaves with other branches' commits: only this id's entries.
                        if (logBranch(it.value()) != id) {
                            continue;
                        }
                        d.delete(db.log(), it.key(), it.key().length + it.value().length);
                        d.logEntries++;
                    }
                    WalInspector.status(it);
                }
                byte[] ck = new byte[12];
                Bytes.putInt(ck, 0, id);
                Bytes.putLong(ck, 4, c[1]);
                // Last, so that a crash in between leaves a commit whose entries are partly gone, which fsck
                // accepts above a ceiling, and never entries without their commit.
                d.delete(db.commits(), ck, c[2]);
                d.commits++;
            }
        }
    }

    /** The branch id a log entry names, or 0 if it does not decode (left alone). */
    private static int logBranch(byte[] value) {
        try {
            BsonDocument e = Bson.document(value);
            return e.isInt32("b") ? e.getInt32("b").getValue() : 0;
        } catch (RuntimeException ex) {
            return 0;
        }
    }

    /** Deletes the records of unreachable ids nothing names; returns how many. */
    private long deleteRecords(GcPlan plan) {
        Set<Integer> candidates = plan.deletableRecords();
        if (candidates.isEmpty()) {
            return 0;
        }
        return writer.underCommitLock(() -> {
            Set<Integer> gone = new HashSet<>(candidates);
            Set<Integer> named = new HashSet<>();
            for (Tag t : tags.tags()) {
                named.add(t.branchId());
            }
            for (Branch b : branches.all()) {
                if (!gone.contains(b.id())) {
                    named.add(b.parentId());
                    named.add(b.replacesId());
                }
            }
            gone.removeAll(named);
            if (!gone.isEmpty()) {
                gc.forgetBranches(gone, gc.marks().withoutCeilings(gone));
            }
            return (long) gone.size();
        });
    }

    /** Collects deletes into bounded batches; in a dry run only counts. Not thread-safe. */
    private final class Deleter {
        private final boolean dryRun;
        private WriteBatch batch = new WriteBatch();
        private int ops;
        long versions;
        long logEntries;
        long commits;
        long bytes;

        Deleter(boolean dryRun) {
            this.dryRun = dryRun;
        }

        void version(Version v) {
            versions++;
            delete(db.versions(), v.key(), v.size());
        }

        void delete(ColumnFamilyHandle cf, byte[] key, long size) {
            bytes += size;
            if (dryRun) {
                return;
            }
            try {
                batch.delete(cf, key);
            } catch (RocksDBException e) {
                throw new WalException("cannot build a GC batch: " + e.getMessage(), -1, -1, e);
            }
            if (++ops >= BATCH_OPS) {
                flush();
            }
        }

        void put(ColumnFamilyHandle cf, byte[] key, byte[] value) {
            if (dryRun) {
                return;
            }
            try {
                batch.put(cf, key, value);
            } catch (RocksDBException e) {
                throw new WalException("cannot build a GC batch: " + e.getMessage(), -1, -1, e);
            }
            if (++ops >= BATCH_OPS) {
                flush();
            }
        }

        /** A `latest` entry to move to the newest kept version (or delete, when value is null). */
        private record LatestFix(byte[] key, long expectedLsn, byte[] value) {}

        private final List<LatestFix> fixes = new ArrayList<>();

        /**
         * Moves a `latest` entry whose version this pass deletes. Applied at flush under the commit lock and only if
         * the entry still names that version: a live branch may have written the key since the scan.
         */
        void fixLatest(byte[] key, long expectedLsn, byte[] value) {
            if (dryRun) {
                return;
            }
            fixes.add(new LatestFix(key, expectedLsn, value));
            if (++ops >= BATCH_OPS) {
                flush();
            }
        }

        private void applyFixes() {
            try {
                for (LatestFix f : fixes) {
                    byte[] current = db.db().get(db.latest(), f.key());
                    if (current != null && LatestKeys.lsn(current) == f.expectedLsn()) {
                        if (f.value() == null) {
                            batch.delete(db.latest(), f.key());
                        } else {
                            batch.put(db.latest(), f.key(), f.value());
                        }
                    }
                }
            } catch (RocksDBException e) {
                throw new WalException("cannot build a GC batch: " + e.getMessage(), -1, -1, e);
            }
            fixes.clear();
        }

                void flush() {
            if (ops > 0) {
                // Under the commit lock, so that no commit lands between the check of a `latest` entry and its fix.
                writer.underCommitLock(() -> {
                    applyFixes();
                    gc.writeGc(batch);
                    return null;
                });
                batch.close();
                batch = new WriteBatch();
                ops = 0;
            }
        }

        void close() {
            batch.close();
        }
    }
}
