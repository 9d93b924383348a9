package dev.argon.wal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.RawBsonDocument;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Builds a fresh data directory from raw archived entries (a restore or a clone, {@code dev.argon.wal.archive}),
 * optionally cut at an LSN and/or narrowed to one branch and its ancestry. The caller feeds every entry of the
 * families in {@link WalSnapshot#FAMILIES} order (all of {@code default} first, then {@code commits}, {@code times},
 * {@code log}, {@code versions}; within a family any order), then calls {@link #finish()}, which rebuilds the
 * {@code latest} family from {@code versions}, rewrites the metadata for the cut, and syncs.
 *
 * <p>The cut at LSN {@code x} keeps what a reader at {@code x} could see: per branch id, the commits whose last
 * LSN is at most {@code x} (its bound) and the entries up to its newest kept commit (a commit straddling {@code x}
 * and staged chunks are left out, as if never written); heads move down to that commit; a reset after {@code x}
 * is undone (the name goes back to the id it replaced); branches created after the cut's time and tags whose point
 * was left out are left out; retryable-write records are dropped (they may describe later writes). A clone keeps
 * only one branch's id and its ancestry, the ancestors nameless (but {@code main}) and bounded at the fork point
 * their child needs. Not thread-safe.
 */
public final class WalLoader implements AutoCloseable {
    static {
        // The write batch below is created before the WalDb that would load the library otherwise.
        NativeLibrary.load();
    }

    private static final byte[] BRANCH = "branch/".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TAG = "tag/".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TXN = "txn/".getBytes(StandardCharsets.UTF_8);
    private static final byte[] MERGE = "merge/".getBytes(StandardCharsets.UTF_8);
    private static final byte[] COMMIT_END = "commitEnd/".getBytes(StandardCharsets.UTF_8);
    private static final int BATCH_BYTES = 8 << 20;

    private final Path dir;
    private final WalDb db;
    private final long cutLsn;
    private final long cutTime;
    private final String cloneBranch;
    private final boolean filtered;
    private WriteBatch batch = new WriteBatch();
    private String family = "default";
    private boolean planned;
    /** Per kept branch id, the highest commit LSN it may keep (the cut, or a child's fork point). */
    private final Map<Integer, Long> bound = new HashMap<>();
    /** Per kept branch id, its newest kept commit (its head after the cut). */
    private final Map<Integer, Long> keptHead = new HashMap<>();
    /** Branch records as of the cut, before heads move down. */
    private final Map<Integer, Branch> branches = new TreeMap<>();
    private final Set<Long> keptCommits = new HashSet<>();
    private long newestCommitTime;
    private long newestCommitLsn;
    private long entries;
    private boolean versionsInOrder = true;
    private byte[] previousVersion;
    /** Per family but {@code default}, the SST sink its ordered entries go to (absent once it fell back to batches). */
    private final Map<String, SstSink> sinks = new HashMap<>();
    /** Families whose entries came out of order: the rest of them goes through write batches. */
    private final Set<String> batched = new HashSet<>();
    private final Path sstDir;

    /** What the loader wrote. */
    public record Report(long entries, long lastLsn, int branches, String cloneBranch) {}

    /**
     * @param dir         an absent or empty directory
     * @param cutLsn      keep what a reader at this LSN sees ({@link Long#MAX_VALUE}: everything)
     * @param cutTime     branches created after this time (ms) are left out; -1: none is left out for its time
     * @param cloneBranch keep only this branch and its ancestry (null: every branch)
     */
    public static WalLoader create(Path dir, long cutLsn, long cutTime, String cloneBranch) {
        try {
            if (Files.exists(dir)) {
                if (!Files.isDirectory(dir)) {
                    throw new WalException(dir + " exists and is not a directory", -1, -1, null);
                }
                try (var s = Files.list(dir)) {
                    if (s.findAny().isPresent()) {
                        throw new WalException("refusing to restore into " + dir + ": the directory is not empty", -1, -1, null);
                    }
                }
            }
        } catch (IOException e) {
            throw new WalException("cannot read " + dir + ": " + e.getMessage(), -1, -1, e);
        }
        return new WalLoader(dir, cutLsn, cutTime, cloneBranch);
    }

    private WalLoader(Path dir, long cutLsn, long cutTime, String cloneBranch) {
        this.dir = dir;
        // Without recycled logs: the bulk load writes around RocksDB's log (flushBatch).
        this.db = new WalDb(dir, false, false);
        this.cutLsn = cutLsn;
        this.cutTime = cutTime;
        this.cloneBranch = cloneBranch;
        this.filtered = cutLsn != Long.MAX_VALUE || cloneBranch != null;
        this.sstDir = dir.resolve(SST_DIR);
        marker(true);
    }

    /**
     * Writes or deletes {@link WalDb#RESTORING_KEY}, synced: while it is there no open accepts the directory, so a
     * restore killed midway (its entries written without RocksDB's WAL, its ingested files half there) leaves a
     * directory that says so rather than one that opens with part of the data.
     */
    private void marker(boolean set) {
        try (WriteOptions wo = new WriteOptions().setSync(true)) {
            if (set) {
                db.db().put(db.meta(), wo, WalDb.RESTORING_KEY, new byte[] {1});
            } else {
                db.db().delete(db.meta(), wo, WalDb.RESTORING_KEY);
            }
        } catch (RocksDBException e) {
            if (set) {
                db.close(); // the constructor fails: nobody else closes it
            }
            throw new WalException("cannot " + (set ? "start" : "finish") + " the restore into " + dir + ": " + e.getMessage(), -1, -1, e);
        }
    }

    /** Where the SST files of a load are written before ingestion moves them into the directory; removed at the end. */
    static final String SST_DIR = "restore-sst";

    /** Adds one archived entry of {@code family}; families come in {@link WalSnapshot#FAMILIES} order. */
    public void put(String family, byte[] key, byte[] value) {
        if (!family.equals(this.family)) {
            int now = WalSnapshot.FAMILIES.indexOf(this.family);
            int next = WalSnapshot.FAMILIES.indexOf(family);
            if (next < 0 || next < now) {
                throw new IllegalStateException("family " + family + " after " + this.family + ": feed them in "
                        + WalSnapshot.FAMILIES + " order");
            }
            this.family = family;
        }
        if (!family.equals("default") && !planned) {
            plan();
        }
        if (filtered && !keep(family, key, value)) {
            return;
        }
        try {
            write(family, key, value);
            if (family.equals("versions")) {
                latestInOrder(key, value);
            }
        } catch (RocksDBException e) {
            throw new WalException("cannot write the restored entry: " + e.getMessage(), -1, -1, e);
        }
        entries++;
        if (batch.getDataSize() >= BATCH_BYTES) {
            flushBatch();
        }
    }

    /**
     * Ordered entries of every family but {@code default} (which {@link #plan()} reads back at once) go to the
     * family's {@link SstSink}; the first one out of order ingests what the sink holds and sends the rest of the
     * family through write batches (an incremental chain fed segment by segment, say).
     */
    private void write(String family, byte[] key, byte[] value) throws RocksDBException {
        if (!family.equals("default") && !batched.contains(family)) {
            SstSink sink = sinks.get(family);
            if (sink == null) {
                sink = new SstSink(db, family, family.equals("latest") ? db.latest() : db.archivedFamily(family), sstDir());
                sinks.put(family, sink);
            }
            if (sink.add(key, value)) {
                return;
            }
            sinks.remove(family).finish();
            batched.add(family);
        }
        batch.put(family.equals("latest") ? db.latest() : db.archivedFamily(family), key, value);
        if (batch.getDataSize() >= BATCH_BYTES) {
            flushBatch();
        }
    }

    private Path sstDir() {
        try {
            return Files.createDirectories(sstDir);
        } catch (IOException e) {
            throw new WalException("cannot create " + sstDir + ": " + e.getMessage(), -1, -1, e);
        }
    }

    private boolean keep(String family, byte[] key, byte[] value) {
        switch (family) {
            case "commits" -> {
                int id = Bytes.getInt(key, 0);
                long lsn = Bytes.getLong(key, 4);
                Long b = bound.get(id);
                if (b == null || lsn > b) {
                    return false;
                }
                keptHead.merge(id, lsn, Math::max);
                keptCommits.add(lsn);
                long time = Bson.document(value).getInt64("time", new BsonInt64(0)).getValue();
                if (lsn > newestCommitLsn) {
                    newestCommitLsn = lsn;
                    newestCommitTime = time;
                }
                return true;
            }
            case "times" -> {
                return keptCommits.contains(Bytes.getLong(key, 8));
            }
            case "log" -> {
                int id = new RawBsonDocument(value).getInt32("b").getValue();
                return within(id, Bytes.getLong(key, 0));
            }
            case "versions" -> {
                return within(VersionKeys.branchId(key), VersionKeys.lsn(key));
            }
            default -> {
                return true;
            }
        }
    }

    /** An entry of branch {@code id} at {@code lsn} stays if it lies at or below the id's newest kept commit. */
    private boolean within(int id, long lsn) {
        Long head = keptHead.get(id);
        return head != null && lsn <= head;
    }

    /** Reads the loaded branch records, applies the cut to names, and decides which ids and bounds to keep. */
    private void plan() {
        planned = true;
        flushBatch();
        if (!filtered) {
            return;
        }
        try (RocksIterator it = db.db().newIterator(db.meta())) {
            for (it.seek(BRANCH); it.isValid() && Bytes.startsWith(it.key(), BRANCH); it.next()) {
                Branch b = BranchRegistry.decode(it.value());
                branches.put(b.id(), b);
            }
        }
        if (cutLsn != Long.MAX_VALUE) {
            undoLaterChanges();
        }
        if (cloneBranch == null) {
            for (Branch b : branches.values()) {
                bound.put(b.id(), cutLsn);
            }
            return;
        }
        Branch target = branches.values().stream().filter(b -> cloneBranch.equals(b.name())).findFirst()
                .orElseThrow(() -> new BranchException(BranchException.Kind.NOT_FOUND, "the archive has no branch '" + cloneBranch
                        + "'" + (cutLsn == Long.MAX_VALUE ? "" : " at lsn " + cutLsn)));
        long limit = cutLsn;
        for (Branch b = target; b != null; b = b.parentId() == 0 ? null : branches.get(b.parentId())) {
            bound.put(b.id(), limit);
            limit = Math.min(limit, b.baseLsn());
        }
    }

    /** Resets after the cut are undone and branches created after it dropped, newest id first. */
    private void undoLaterChanges() {
        long time = cutTime;
        List<Integer> ids = new ArrayList<>(branches.keySet());
        for (int i = ids.size() - 1; i >= 0; i--) {
            Branch b = branches.get(ids.get(i));
            if (b.replacesId() != 0 && cutLsn <= b.replacedAtLsn()) {
                Branch prev = branches.get(b.replacesId());
                if (prev != null && b.name() != null) {
                    branches.put(prev.id(), prev.withName(b.name()));
                }
                branches.remove(b.id());
            } else if (b.replacesId() == 0 && time >= 0 && b.createdAt() > time && b.parentId() != 0) {
                branches.remove(b.id());
            } else if (b.baseLsn() > cutLsn) {
                branches.remove(b.id());
            }
        }
    }

    /**
     * Writes the last entries, rewrites the metadata for a cut or clone, rebuilds {@code latest}, syncs and
     * closes the directory.
     */
    public Report finish() {
        if (!planned) {
            plan();
        }
        flushBatch();
        for (String f : WalSnapshot.FAMILIES) {
            SstSink sink = sinks.remove(f);
            if (sink != null) {
                sink.finish();
            }
        }
        int branchCount;
        if (filtered) {
            branchCount = rewriteMeta();
        } else {
            branchCount = countBranches();
        }
        rebuildLatest();
        SstSink latest = sinks.remove("latest");
        if (latest != null) {
            latest.finish();
        }
        flushBatch();
        long last = lastLsn();
        db.flush(false);
        marker(false);
        try {
            Files.deleteIfExists(sstDir);
        } catch (IOException e) {
            throw new WalException("cannot remove " + sstDir + ": " + e.getMessage(), -1, -1, e);
        }
        return new Report(entries, last, branchCount, cloneBranch);
    }

    private int countBranches() {
        int n = 0;
        try (RocksIterator it = db.db().newIterator(db.meta())) {
            for (it.seek(BRANCH); it.isValid() && Bytes.startsWith(it.key(), BRANCH); it.next()) {
                n += BranchRegistry.decode(it.value()).name() != null ? 1 : 0;
            }
        }
        return n;
    }

    private long lastLsn() {
        try {
            byte[] v = db.db().get(db.meta(), CommitWriter.LAST_LSN);
            return v == null ? 0 : Bytes.getLong(v, 0);
        } catch (RocksDBException e) {
            throw new WalException("cannot read lastLsn: " + e.getMessage(), -1, -1, e);
        }
    }

    private int rewriteMeta() {
        int named = 0;
        try (WriteBatch b = new WriteBatch(); RocksIterator it = db.db().newIterator(db.meta())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] k = it.key();
                byte[] v = it.value();
                if (Bytes.startsWith(k, BRANCH) || Bytes.startsWith(k, TXN)) {
                    b.delete(db.meta(), k);
                } else if (Bytes.startsWith(k, TAG)) {
                    BsonDocument t = Bson.document(v);
                    int id = t.getInt32("branchId").getValue();
                    long lsn = t.getInt64("lsn").getValue();
                    // A tag whose point survives the cut stays, even if created later: it names a state the restored
                    // history holds (and `--at <tag>` must find its own tag).
                    if (!bound.containsKey(id) || lsn > keptHead.getOrDefault(id, branches.get(id).baseLsn())
                            || (cloneBranch != null && !cloneBranch.equals(branches.get(id).name()))) {
                        b.delete(db.meta(), k);
                    }
                } else if (Bytes.startsWith(k, MERGE)) {
                    int src = Bytes.getInt(v, 0);
                    long srcLsn = Bytes.getLong(v, 4);
                    int dst = Bytes.getInt(v, 12);
                    long dstBefore = Bytes.getLong(v, 16);
                    Long dstHead = keptHead.get(dst);
                    if (v.length != 24 || !bound.containsKey(src) || dstHead == null || srcLsn > bound.get(src) || dstBefore >= dstHead) {
                        b.delete(db.meta(), k);
                    }
                } else if (Bytes.startsWith(k, COMMIT_END)) {
                    int id = Bytes.getInt(k, COMMIT_END.length);
                    long lsn = Bytes.getLong(k, COMMIT_END.length + 4);
                    if (!keptCommits.contains(lsn) || !bound.containsKey(id)) {
                        b.delete(db.meta(), k);
                    }
                } else if (Bytes.startsWith(k, StagedCommit.STAGING_PREFIX)) {
                    // its chunks lie above the head and were left out: nothing is left to recover
                    b.delete(db.meta(), k);
                } else if (Bytes.startsWith(k, StagedCommit.ABANDONED_PREFIX)) {
                    int id = Bytes.getInt(k, StagedCommit.ABANDONED_PREFIX.length);
                    if (!bound.containsKey(id)) {
                        b.delete(db.meta(), k);
                    }
                }
            }
            for (Branch br : branches.values()) {
                if (!bound.containsKey(br.id())) {
                    continue;
                }
                long head = keptHead.getOrDefault(br.id(), br.baseLsn());
                Branch out = br.withHead(Math.min(br.headLsn(), Math.max(head, br.baseLsn())));
                if (cloneBranch != null && !cloneBranch.equals(out.name()) && !Branch.MAIN.equals(out.name())) {
                    // An ancestor: kept for its history, not as a name of its own. main keeps its name (at the fork
                    // point its child needs), since every data directory has a main.
                    out = out.withName(null);
                }
                named += out.name() != null ? 1 : 0;
                b.put(db.meta(), BranchRegistry.key(out.id()), BranchRegistry.encode(out));
            }
            long last = cutLsn == Long.MAX_VALUE ? lastLsn() : Math.min(cutLsn, lastLsn());
            if (cloneBranch != null) {
                // Other branches' entries are gone: the LSNs they held are holes, as after GC, which fsck accepts
                // up to reclaimedThrough. The clone's log ends at its newest kept commit.
                last = keptHead.values().stream().mapToLong(Long::longValue).max().orElse(0);
                byte[] gm = db.db().get(db.meta(), GcMarks.KEY);
                GcMarks marks = gm == null ? GcMarks.NONE : GcMarks.decode(gm);
                b.put(db.meta(), GcMarks.KEY, marks.withReclaimedThrough(last).encode());
            }
            b.put(db.meta(), CommitWriter.LAST_LSN, Bytes.longKey(last));
            if (cutLsn != Long.MAX_VALUE) {
                b.put(db.meta(), CommitWriter.LAST_TIME, Bytes.longKey(newestCommitTime));
            }
            db.db().write(new WriteOptions(), b);
        } catch (RocksDBException e) {
            throw new WalException("cannot rewrite the restored metadata: " + e.getMessage(), -1, -1, e);
        }
        return named;
    }

    /**
     * While versions arrive in ascending key order (one full backup's segments do), each group's first entry is its
     * newest kept version: its {@code latest} copy is written at once, sparing {@link #finish()} a second pass over
     * the family. Out-of-order input (an incremental chain) stops this; {@link #rebuildLatest} then rewrites every
     * group, overwriting what was written here.
     */
    private void latestInOrder(byte[] key, byte[] value) throws RocksDBException {
        if (!versionsInOrder) {
            return;
        }
        if (previousVersion != null && Arrays.compareUnsigned(previousVersion, key) >= 0) {
            versionsInOrder = false;
            // rebuildLatest rewrites every group: what the sink holds is dropped unread (files not yet ingested).
            SstSink unwanted = sinks.remove("latest");
            if (unwanted != null) {
                unwanted.close();
            }
            return;
        }
        boolean newGroup = previousVersion == null || previousVersion.length != key.length
                || !Arrays.equals(previousVersion, 0, key.length - 8, key, 0, key.length - 8);
        previousVersion = key;
        if (newGroup) {
            write("latest", Arrays.copyOf(key, key.length - 8), latestValue(key, value));
        }
    }

    private static byte[] latestValue(byte[] key, byte[] value) {
        byte[] latest = new byte[8 + value.length];
        Bytes.putLong(latest, 0, VersionKeys.lsn(key));
        System.arraycopy(value, 0, latest, 8, value.length);
        return latest;
    }

    /** {@code latest} holds, per user key and branch id, a copy of the group's first (newest) version. */
    private void rebuildLatest() {
        if (versionsInOrder) {
            return;
        }
        try (RocksIterator it = db.db().newIterator(db.versions())) {
            byte[] group = null;
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] k = it.key();
                byte[] g = Arrays.copyOf(k, k.length - 8);
                if (group != null && Arrays.equals(group, g)) {
                    continue;
                }
                group = g;
                write("latest", g, latestValue(k, it.value()));
            }
        } catch (RocksDBException e) {
            throw new WalException("cannot rebuild the latest family: " + e.getMessage(), -1, -1, e);
        }
        flushBatch();
    }

    private void flushBatch() {
        if (batch.count() == 0) {
            return;
        }
        try (WriteOptions wo = new WriteOptions().setDisableWAL(true)) {
            // No RocksDB WAL for a bulk load: finish() flushes the memtables, and a restore that dies midway leaves
            // a directory the user deletes (the command says so), never one that looks complete.
            db.db().write(wo, batch);
        } catch (RocksDBException e) {
            throw new WalException("cannot write the restored entries into " + dir + ": " + e.getMessage(), -1, -1, e);
        }
        batch.close();
        batch = new WriteBatch();
    }

    @Override
    public void close() {
        for (SstSink s : sinks.values()) {
            s.close();
        }
        sinks.clear();
        batch.close();
        db.close();
    }
}
