package dev.argon.wal;

import dev.argon.storage.object.ObjectStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

/**
 * Rewrites the tier's segments (docs/ARCHITECTURE.md, "Merging the tier's segments"): small ones (each history
 * compaction pass cuts its last chunk short, so small passes leave many) are merged into segments of about
 * {@link MergeRequest#segmentBytes()}, and sparse ones are rewritten without their dead entries. A version entry is
 * live while a stub covers it (a stub at {@code lo} with high {@code hi} in the entry's group, {@code lo <= lsn <= hi});
 * GC drops stubs whole, and shrinks one when it brings its newest version back into {@code versions}, so what no stub
 * covers is never read again (reads consult the tier only through a stub, and a stub is only ever narrowed by GC or
 * widened over runs a compaction pass moves). A log entry is live until GC reclaims it (its branch id is above its
 * ceiling or forgotten), as {@link ColdLog} decides.
 *
 * <p>Order of effects: every new segment is written in key order through {@link ChunkFile} and stored, the segment
 * list of the read path learns them, then {@link TierPublisher#change} publishes the tier manifest of the new catalog
 * and writes one RocksDB batch with the tier catalog naming the new segments instead of the old. Stubs name no segment (reads find segments by key range), so they stay as they are. A crash before the
 * batch leaves the old catalog and unreferenced objects; after it, the new catalog. Until the batch the read path
 * holds old and new segments: the new ones hold a subset of the old ones' entries, so reads answer alike. After it,
 * the old segments leave the read path once every read that began before the batch is done ({@link ReadGate}); their
 * objects stay in the store, for a reader of an older catalog (a log scan holds the list it read) and for the tier's
 * object GC, which deletes unreferenced objects after a grace period. This class never deletes an object.
 *
 * <p>Runs under the pass lock that GC and history compaction hold, since they change the stubs and the catalog it
 * relies on. Thread-safe: passes run one at a time.
 */
final class TierMerger {
    /**
     * Test hook (a JVM system property): milliseconds to wait after the new segments are stored and before the batch
     * that names them, so that a crash test can kill the process exactly there. 0 (the default) in production.
     */
    static final String PAUSE_PROPERTY = "argon.wal.mergePauseBeforeBatchMillis";

    private final WalDb db;
    private final CommitWriter writer;
    private final GcGuard gc;
    private final Object passLock;
    private final TierPublisher publisher;
    /** Guarded by passLock: a pass replaced segments that are still on the read path. */
    private boolean retirePending;

    TierMerger(WalDb db, CommitWriter writer, GcGuard gc, Object passLock) {
        this.db = db;
        this.writer = writer;
        this.gc = gc;
        this.passLock = passLock;
        this.publisher = new TierPublisher(db, writer);
    }

    MergeReport run(MergeRequest req) {
        synchronized (passLock) {
            long started = System.currentTimeMillis();
            TierCatalog catalog = TierCatalog.read(db);
            boolean retired = !retirePending || retire(req);
            if (!catalog.tiered()) {
                return MergeReport.nothing(0, System.currentTimeMillis() - started);
            }
            Snapshot snap = db.db().getSnapshot();
            try (ReadOptions ro = new ReadOptions().setSnapshot(snap);
                 RocksIterator stubs = db.db().newIterator(db.versions(), ro)) {
                Rewrite versions = new Rewrite(req, "tier-merge-", "history");
                versions.versions(catalog.segments(), stubs);
                Rewrite log = new Rewrite(req, "tier-merge-log-", "log");
                log.log(catalog);
                if (versions.gone.isEmpty() && log.gone.isEmpty()) {
                    return new MergeReport(0, 0, 0, 0, 0, 0, catalog.segments().size() + catalog.logSegments().size(), 0,
                            retired, System.currentTimeMillis() - started);
                }
                db.cold().add(versions.written);
                pauseForTests();
                // Through the one way the catalog changes: the new catalog's tier manifest first, then the batch.
                TierCatalog next = publisher.change(c -> c.replacing(versions.gone, versions.written, log.gone, log.written),
                        batch -> { }, "merging tier segments");
                retirePending = true;
                retired = retire(req);
                return new MergeReport(versions.gone.size() + log.gone.size(), versions.written.size() + log.written.size(),
                        versions.kept + log.kept, versions.dropped + log.dropped, versions.bytesBefore + log.bytesBefore,
                        versions.bytesAfter + log.bytesAfter, next.segments().size() + next.logSegments().size(),
                        log.gone.size(), retired, System.currentTimeMillis() - started);
            } finally {
                db.db().releaseSnapshot(snap);
            }
        }
    }

    /**
     * Takes the segments the catalog no longer names off the read path once the reads that began before the catalog
     * changed are done. Caller holds the pass lock. False if some are still open after the wait.
     */
    private boolean retire(MergeRequest req) {
        long epoch = gc.readGate().advance();
        boolean drained;
        try {
            drained = gc.readGate().awaitOlder(epoch, ReadGate.current(), req.waitMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        if (drained) {
            Set<String> named = new HashSet<>();
            TierCatalog now = TierCatalog.read(db);
            for (TierSegment s : now.segments()) {
                named.add(s.name());
            }
            // Log segments are read by name, not through the list; their parsed readers are kept alike.
            for (TierSegment s : now.logSegments()) {
                named.add(s.name());
            }
            db.cold().retain(named);
            retirePending = false;
        }
        return drained;
    }

    private static void pauseForTests() {
        long pause = Long.getLong(PAUSE_PROPERTY, 0);
        if (pause > 0) {
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether a stub covers the cold version under key, as the snapshot's {@code versions} say. */
    private static boolean covered(RocksIterator stubs, byte[] key) {
        stubs.seek(key);
        if (!stubs.isValid()) {
            WalInspector.status(stubs);
            return false;
        }
        byte[] k = stubs.key();
        byte[] v = stubs.value();
        // The first entry at or after key in key order is the group's newest at or below key's LSN: a stub there
        // covers key if its run reaches up to key's LSN. A local version there (GC brought it back) serves the read.
        return VersionKeys.sameGroup(k, key) && VersionKeys.isStub(v) && VersionKeys.stubHigh(v) >= VersionKeys.lsn(key);
    }

    /** One kind's rewrite: which segments go, what replaces them. Not thread-safe. */
    private final class Rewrite {
        private final MergeRequest req;
        private final ChunkFile chunk;
        private final ObjectStore store;
        final List<TierSegment> gone = new ArrayList<>();
        final List<TierSegment> written = new ArrayList<>();
        long kept;
        long dropped;
        long bytesBefore;
        long bytesAfter;
        private long chunkMinLsn = Long.MAX_VALUE;
        private long chunkMaxLsn = Long.MIN_VALUE;

        Rewrite(MergeRequest req, String prefix, String what) {
            this.req = req;
            this.chunk = new ChunkFile(db.dir(), prefix, what);
            this.store = db.cold().store();
        }

        private boolean small(TierSegment s) {
            return s.size() < req.smallBytes();
        }

        /** Dead share of a segment at which it is rewritten alone. */
        private boolean sparse(long entries, long live) {
            return entries > 0 && (entries - live) >= req.sparseShare() * entries;
        }

        /** Whether this kind's small segments are merged in this pass. */
        private boolean mergeSmall(List<TierSegment> all) {
            return req.examine() || all.stream().filter(this::small).count() > req.minSmall();
        }

        /**
         * Which segments to rewrite: the small ones (when there are enough of them), and with examine the sparse ones;
         * {@code dead} gets how many dead entries examine found in each. Null when rewriting would gain nothing (one
         * segment with nothing known dead would be written again as it is).
         */
        private List<TierSegment> pick(List<TierSegment> all, java.util.function.ToLongFunction<TierSegment> live,
                                       java.util.Map<String, Long> dead) {
            boolean mergeSmall = mergeSmall(all);
            List<TierSegment> picked = new ArrayList<>();
            for (TierSegment s : all) {
                long d = req.examine() ? s.entries() - live.applyAsLong(s) : 0;
                dead.put(s.name(), d);
                if ((small(s) && mergeSmall) || sparse(s.entries(), s.entries() - d)) {
                    picked.add(s);
                }
            }
            return picked;
        }

        /** Picks version segments and writes their live entries, merged in key order, into new ones. */
        void versions(List<TierSegment> all, RocksIterator stubs) {
            java.util.Map<String, Long> dead = new java.util.HashMap<>();
            List<TierSegment> picked = pick(all, s -> {
                long live = 0;
                for (Iterator<byte[][]> it = db.cold().scan(s, new byte[0]); it.hasNext(); ) {
                    if (covered(stubs, it.next()[0])) {
                        live++;
                    }
                }
                return live;
            }, dead);
            if (picked.isEmpty() || (picked.size() == 1 && dead.get(picked.get(0).name()) == 0)) {
                return;
            }
            try {
                PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> Arrays.compareUnsigned(a.entry[0], b.entry[0]));
                long entries = 0;
                for (TierSegment s : picked) {
                    entries += s.entries();
                    Iterator<byte[][]> it = db.cold().scan(s, new byte[0]);
                    if (it.hasNext()) {
                        heads.add(new Head(it.next(), it));
                    }
                }
                byte[] last = null;
                while (!heads.isEmpty()) {
                    Head h = heads.poll();
                    byte[][] e = h.entry;
                    if (h.rest.hasNext()) {
                        heads.add(new Head(h.rest.next(), h.rest));
                    }
                    // Two segments holding one key hold the same version (a key moved by two passes): kept once.
                    if (last != null && Arrays.equals(last, e[0])) {
                        continue;
                    }
                    last = e[0];
                    if (covered(stubs, e[0])) {
                        add(e[0], e[1], VersionKeys.lsn(e[0]));
                    }
                }
                flush();
                gone.addAll(picked);
                dropped = entries - kept;
                for (TierSegment s : picked) {
                    bytesBefore += s.size();
                }
            } finally {
                chunk.discard();
            }
        }

        /**
         * Picks runs of neighbouring log segments (in LSN order) that are small or sparse and writes the entries GC
         * has not reclaimed into new ones, in LSN order.
         */
        void log(TierCatalog catalog) {
            List<TierSegment> all = new ArrayList<>(catalog.logSegments());
            all.sort((a, b) -> Long.compare(a.minLsn(), b.minLsn()));
            java.util.Map<String, Long> dead = new java.util.HashMap<>();
            Set<String> picked = new HashSet<>();
            for (TierSegment s : pick(all, s -> count(new ColdLog(db, null, catalog, s.minLsn(), s.maxLsn(), false)), dead)) {
                picked.add(s.name());
            }
            List<List<TierSegment>> runs = new ArrayList<>();
            List<TierSegment> run = new ArrayList<>();
            for (TierSegment s : all) {
                if (picked.contains(s.name())) {
                    run.add(s);
                } else if (!run.isEmpty()) {
                    runs.add(run);
                    run = new ArrayList<>();
                }
            }
            if (!run.isEmpty()) {
                runs.add(run);
            }
            try {
                for (List<TierSegment> r : runs) {
                    if (r.size() > 1 || dead.get(r.get(0).name()) > 0) {
                        rewriteLog(catalog, r);
                    }
                }
            } finally {
                chunk.discard();
            }
        }

        /** One run of neighbouring log segments: its live entries into new segments, cut at about segmentBytes. */
        private void rewriteLog(TierCatalog catalog, List<TierSegment> run) {
            long entries = 0;
            long keptBefore = kept;
            for (TierSegment s : run) {
                entries += s.entries();
                bytesBefore += s.size();
            }
            // The catalog's log segments have disjoint LSN ranges, so this range holds exactly the run's segments.
            ColdLog live = new ColdLog(db, null, catalog, run.get(0).minLsn(), run.get(run.size() - 1).maxLsn(), false);
            while (live.hasNext()) {
                byte[][] e = live.next();
                add(e[0], e[1], Bytes.getLong(e[0], 0));
            }
            flush();
            gone.addAll(run);
            dropped += entries - (kept - keptBefore);
        }

        private long count(ColdLog it) {
            long n = 0;
            while (it.hasNext()) {
                it.next();
                n++;
            }
            return n;
        }

        private void add(byte[] key, byte[] value, long lsn) {
            chunk.add(key, value);
            chunkMinLsn = Math.min(chunkMinLsn, lsn);
            chunkMaxLsn = Math.max(chunkMaxLsn, lsn);
            kept++;
            if (chunk.storedBytes() >= req.segmentBytes()) {
                flush();
            }
        }

        private void flush() {
            if (chunk.isEmpty()) {
                return;
            }
            TierSegment s = chunk.store(store, chunkMinLsn, chunkMaxLsn);
            written.add(s);
            bytesAfter += s.size();
            chunkMinLsn = Long.MAX_VALUE;
            chunkMaxLsn = Long.MIN_VALUE;
        }
    }

    /** One segment's next entry in a k-way merge. */
    private record Head(byte[][] entry, Iterator<byte[][]> rest) {}
}
