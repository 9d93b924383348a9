package dev.argon.wal;

import dev.argon.storage.object.ObjectStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

/**
 * Moves old history out of RocksDB into segments of the tier's object store (docs/ARCHITECTURE.md, "History
 * compaction and the tier"). A pass reads {@code versions} in key order from one RocksDB snapshot and, per
 * {@code (userKey, branch)} group, marks as movable each version at or below the cutoff (the last commit older
 * than the hot window) except the group's newest (the one {@code latest} copies, which every head read uses)
 * and the newest at or below each point that reads are expected to hit often: the fork points of the branch's
 * children, its tags and GC's pinned points. Protection is only about speed: a version that moved still reads,
 * through its stub, with the same answer. Each maximal run of movable and already-cold entries (stubs of
 * earlier passes) of one group becomes one stub at the run's lowest LSN ({@link VersionKeys#stub}).
 *
 * <p>Order of effects, per chunk of about {@link TierRequest#segmentBytes()}: the moved versions are written to
 * a segment in key order, the segment is stored ({@code tier/segments/<sha256>}), the in-memory segment list
 * learns it, then {@link TierPublisher#change} publishes the tier manifest of the new catalog and writes one RocksDB
 * batch that deletes the moved versions, writes the stubs and the new tier catalog. A crash before the batch leaves
 * the old local state plus an unreferenced object (and perhaps a manifest newer than the catalog's); after it, the
 * new state. A chunk never splits a group, so each batch is a complete picture of the groups it touches.
 *
 * <p>The log moves after the versions: every entry with LSN in {@code (logCutoff, cutoff]} (a log entry is
 * history; none stays local for speed) goes, in LSN order, into log segments of about the same size; each is
 * stored, then one batch deletes its entries locally and records it in the catalog with {@code logCutoff} raised
 * to its last LSN. Readers ({@link LogScan}) take entries at or below {@code logCutoff} from the segments.
 *
 * <p>Concurrent commits only add newer versions, which a pass never touches (it reads a snapshot and moves only
 * versions below the newest it saw). GC passes and compaction passes exclude each other (the reclaimer's pass
 * lock), since both rewrite old versions. Thread-safe: passes run one at a time.
 */
final class TierCompactor {
    /**
     * Test hook (a JVM system property): milliseconds to wait after a segment is stored and before the manifest and
     * the batch that make its stubs visible, so that a crash test can kill the process exactly there. 0 (the default) in production.
     */
    static final String PAUSE_PROPERTY = "argon.wal.tierPauseBeforeBatchMillis";
    /** Test hook as {@link #PAUSE_PROPERTY}, for the log pass: after a log segment is stored, before its manifest and batch. */
    static final String LOG_PAUSE_PROPERTY = "argon.wal.tierPauseBeforeLogBatchMillis";
    private final WalDb db;
    private final CommitWriter writer;
    private final BranchRegistry branches;
    private final TagBook tags;
    private final GcGuard gc;
    private final HistoryReader history;
    private final Object passLock;
    private final TierPublisher publisher;
    /** The last pass since open and when it ended (epoch millis), for the storage figures. */
    private volatile TierReport lastPass;
    private volatile long lastPassMillis;

    TierCompactor(WalDb db, CommitWriter writer, BranchRegistry branches, TagBook tags, GcGuard gc, HistoryReader history,
            Object passLock) {
        this.db = db;
        this.writer = writer;
        this.branches = branches;
        this.tags = tags;
        this.gc = gc;
        this.history = history;
        this.passLock = passLock;
        this.publisher = new TierPublisher(db, writer);
    }

    TierReport run(TierRequest req) {
        synchronized (passLock) {
            long started = System.currentTimeMillis();
            ColdVersions cold = db.cold();
            ObjectStore store = cold.store();
            long cutoff = Math.min(history.lsnAtTime(req.nowMillis() - Math.max(0, req.hotWindowMillis())), writer.lastLsn());
            Pass pass = new Pass(req, cutoff, store, cold, protectedPoints());
            LogPass log = new LogPass(req, cutoff, store);
            if (cutoff > 0) {
                pass.scan();
                log.scan();
            }
            TierCatalog catalog = TierCatalog.read(db);
            long ended = System.currentTimeMillis();
            // Segment counts and bytes cover both kinds, as the store holds them; logSegments is the log's share.
            TierReport r = new TierReport(cutoff, pass.moved, pass.movedBytes, pass.stubs, pass.segments + log.segments,
                    pass.segmentBytes + log.segmentBytes, catalog.segments().size() + catalog.logSegments().size(),
                    ended - started, log.moved, log.segments);
            lastPass = r;
            lastPassMillis = ended;
            return r;
        }
    }

    TierReport lastPass() {
        return lastPass;
    }

    long lastPassMillis() {
        return lastPassMillis;
    }

    /** Waits as long as the test hook {@code property} says (0, the default: not at all). */
    private static void pauseForTests(String property) {
        long pause = Long.getLong(property, 0);
        if (pause > 0) {
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Per branch id, the points whose newest version stays local. */
    private Map<Integer, List<Long>> protectedPoints() {
        Map<Integer, List<Long>> points = new HashMap<>();
        for (Branch b : branches.all()) {
            if (b.parentId() != 0) {
                points.computeIfAbsent(b.parentId(), k -> new ArrayList<>()).add(b.baseLsn());
            }
        }
        for (Tag t : tags.tags()) {
            points.computeIfAbsent(t.branchId(), k -> new ArrayList<>()).add(t.lsn());
        }
        for (GcMarks.Point p : gc.marks().pinned()) {
            points.computeIfAbsent(p.branchId(), k -> new ArrayList<>()).add(p.lsn());
        }
        return points;
    }

    /** One pass's state. Not thread-safe. */
    private final class Pass {
        private final TierRequest req;
        private final long cutoff;
        private final ObjectStore store;
        private final ColdVersions cold;
        private final Map<Integer, List<Long>> points;
        private final ChunkFile segment = new ChunkFile(db.dir(), "tier-", "history");
        private long chunkRaw;
        private long chunkMinLsn = Long.MAX_VALUE;
        private long chunkMaxLsn = Long.MIN_VALUE;
        private final List<byte[]> deletes = new ArrayList<>();
        private final List<byte[][]> stubPuts = new ArrayList<>();
        long moved;
        long movedBytes;
        long stubs;
        long segments;
        long segmentBytes;

        Pass(TierRequest req, long cutoff, ObjectStore store, ColdVersions cold, Map<Integer, List<Long>> points) {
            this.req = req;
            this.cutoff = cutoff;
            this.store = store;
            this.cold = cold;
            this.points = points;
        }

        void scan() {
            Snapshot snap = db.db().getSnapshot();
            try (ReadOptions ro = new ReadOptions().setSnapshot(snap);
                 RocksIterator it = db.db().newIterator(db.versions(), ro)) {
                List<byte[][]> group = new ArrayList<>();
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    byte[] k = it.key();
                    if (!group.isEmpty() && !VersionKeys.sameGroup(group.get(0)[0], k)) {
                        group(group);
                        group = new ArrayList<>();
                        if (chunkRaw >= req.segmentBytes()) {
                            flush();
                        }
                    }
                    group.add(new byte[][] {k, it.value()});
                }
                WalInspector.status(it);
                if (!group.isEmpty()) {
                    group(group);
                }
                flush();
            } finally {
                db.db().releaseSnapshot(snap);
                segment.discard();
            }
        }

        /** Decides one (userKey, branch) group, newest first. */
        private void group(List<byte[][]> g) {
            int n = g.size();
            if (n < 2) {
                return;
            }
            byte[] k0 = g.get(0)[0];
            byte[] userKey = VersionKeys.userKey(k0);
            if (req.keepLocal() != null && Bytes.startsWith(userKey, req.keepLocal())) {
                return;
            }
            boolean[] movable = new boolean[n];
            boolean any = false;
            for (int i = 1; i < n; i++) {
                movable[i] = !VersionKeys.isStub(g.get(i)[1]) && VersionKeys.lsn(g.get(i)[0]) <= cutoff;
                any |= movable[i];
            }
            if (!any) {
                return;
            }
            for (long p : points.getOrDefault(VersionKeys.branchId(k0), List.of())) {
                for (int i = 0; i < n; i++) {
                    if (VersionKeys.lsn(g.get(i)[0]) <= p) {
                        movable[i] = false;
                        break;
                    }
                }
            }
            int i = 1;
            while (i < n) {
                if (!movable[i] && !VersionKeys.isStub(g.get(i)[1])) {
                    i++;
                    continue;
                }
                int start = i;
                boolean moves = false;
                while (i < n && (movable[i] || VersionKeys.isStub(g.get(i)[1]))) {
                    moves |= movable[i];
                    i++;
                }
                if (moves) {
                    run(g, movable, start, i);
                }
            }
        }

        /** Entries [from, to) of a group: movable versions and stubs, turned into one stub. */
        private void run(List<byte[][]> g, boolean[] movable, int from, int to) {
            byte[][] first = g.get(from);
            long high = VersionKeys.isStub(first[1]) ? VersionKeys.stubHigh(first[1]) : VersionKeys.lsn(first[0]);
            for (int i = from; i < to; i++) {
                byte[][] e = g.get(i);
                if (movable[i]) {
                    append(e[0], e[1]);
                }
                if (i < to - 1) {
                    deletes.add(e[0]);
                }
            }
            stubPuts.add(new byte[][] {g.get(to - 1)[0], VersionKeys.stub(high)});
        }

        private void append(byte[] key, byte[] value) {
            segment.add(key, value);
            long lsn = VersionKeys.lsn(key);
            chunkMinLsn = Math.min(chunkMinLsn, lsn);
            chunkMaxLsn = Math.max(chunkMaxLsn, lsn);
            chunkRaw += key.length + value.length;
            moved++;
            movedBytes += key.length + value.length;
        }

        /** Stores the chunk's segment, then writes its stubs, deletes and the catalog in one batch. */
        private void flush() {
            if (segment.isEmpty()) {
                return;
            }
            TierSegment seg = segment.store(store, chunkMinLsn, chunkMaxLsn);
            cold.add(List.of(seg));
            pauseForTests(PAUSE_PROPERTY);
            publisher.change(c -> c.with(cutoff, seg, cold.location()), batch -> {
                for (byte[] k : deletes) {
                    batch.delete(db.versions(), k);
                }
                for (byte[][] s : stubPuts) {
                    batch.put(db.versions(), s[0], s[1]);
                }
            }, "compacting history");
            stubs += stubPuts.size();
            segments++;
            segmentBytes += seg.size();
            deletes.clear();
            stubPuts.clear();
            chunkRaw = 0;
            chunkMinLsn = Long.MAX_VALUE;
            chunkMaxLsn = Long.MIN_VALUE;
        }

    }

    /** One pass's move of the log into log segments. Not thread-safe. */
    private final class LogPass {
        private final TierRequest req;
        private final long cutoff;
        private final ObjectStore store;
        private final List<byte[]> keys = new ArrayList<>();
        private final ChunkFile segment = new ChunkFile(db.dir(), "tier-log-", "log");
        private long chunkRaw;
        long moved;
        long segments;
        long segmentBytes;

        LogPass(TierRequest req, long cutoff, ObjectStore store) {
            this.req = req;
            this.cutoff = cutoff;
            this.store = store;
        }

        void scan() {
            long from = TierCatalog.read(db).logCutoff() + 1;
            if (from > cutoff) {
                return;
            }
            Snapshot snap = db.db().getSnapshot();
            try (ReadOptions ro = new ReadOptions().setSnapshot(snap);
                 RocksIterator it = db.db().newIterator(db.log(), ro)) {
                for (it.seek(Bytes.longKey(from)); it.isValid(); it.next()) {
                    byte[] k = it.key();
                    if (k.length != 8 || Bytes.getLong(k, 0) > cutoff) {
                        break;
                    }
                    append(k, it.value());
                    if (chunkRaw >= req.segmentBytes()) {
                        flush();
                    }
                }
                WalInspector.status(it);
                flush();
            } finally {
                db.db().releaseSnapshot(snap);
                segment.discard();
            }
        }

        private void append(byte[] key, byte[] value) {
            segment.add(key, value);
            keys.add(key);
            chunkRaw += key.length + value.length;
            moved++;
        }

        /** Stores the chunk's segment, then deletes its entries and records it in the catalog in one batch. */
        private void flush() {
            if (segment.isEmpty()) {
                return;
            }
            long min = Bytes.getLong(keys.get(0), 0);
            long max = Bytes.getLong(keys.get(keys.size() - 1), 0);
            TierSegment seg = segment.store(store, min, max);
            pauseForTests(LOG_PAUSE_PROPERTY);
            publisher.change(c -> c.withLog(max, seg, db.cold().location()), batch -> {
                for (byte[] k : keys) {
                    batch.delete(db.log(), k);
                }
            }, "compacting the log");
            segments++;
            segmentBytes += seg.size();
            keys.clear();
            chunkRaw = 0;
        }

    }
}
