package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;
import org.rocksdb.RocksIterator;

/**
 * History compaction gives exactly the answers it gave before: a random history (branches forked at heads and at
 * old points, resets, drops, tags, tombstones, hot keys rewritten many times, multi-entry commits) is read at
 * every LSN of every branch id — point reads of every key, forward scans, the images of every log entry —
 * before and after a compaction with a hot window of 0 (everything not protected moves), after more writes and
 * a second pass (whose runs merge with the first pass's stubs), and after reopening the directory; and the
 * point reads agree with the model of visibility too. The log moves to log segments as well, so the log reads
 * (all entries, newest first per branch, ranges across the log's cutoff) compare the cold and the local log. Seed: {@code -Dargon.tier.seed}.
 */
class TierCompactionTest extends WalFixture {
    private record Version(int branch, long lsn, String key, String value) {}

    private static final String[] KEYS = {"a", "b", "c", "hot", "d", "e", "f", "g", "h", "i"};
    private final java.util.Map<String, List<Version>> model = new java.util.HashMap<>();
    private final List<String> names = new ArrayList<>(List.of(Branch.MAIN));
    private int branchNo;
    private int tagNo;

    private static byte[] doc(String value) {
        return Bson.bytes(new BsonDocument("v", new BsonString(value)));
    }

    private void history(Random rnd, int ops) {
        for (int op = 0; op < ops; op++) {
            String name = names.get(rnd.nextInt(names.size()));
            Branch b = wal.branch(name);
            int r = rnd.nextInt(100);
            if (r < 5) {
                long at = rnd.nextBoolean() ? b.headLsn() : b.baseLsn() + (long) (rnd.nextDouble() * (b.headLsn() - b.baseLsn()));
                String child = "b" + (++branchNo);
                wal.createBranch(child, b.id(), at, "t");
                names.add(child);
            } else if (r < 7 && !name.equals(Branch.MAIN)) {
                Branch other = wal.branch(names.get(rnd.nextInt(names.size())));
                long point = other.baseLsn() + (long) (rnd.nextDouble() * (other.headLsn() - other.baseLsn()));
                wal.resetBranch(b.id(), other.id(), point, null, "t");
            } else if (r < 8 && !name.equals(Branch.MAIN) && names.size() > 3) {
                try {
                    wal.dropBranch(b.id());
                    names.remove(name);
                } catch (BranchException e) {
                    // It has children: kept.
                }
            } else if (r < 10) {
                wal.createTag("t" + (++tagNo), b.id(), b.headLsn(), "t");
            } else {
                int n = 1 + (rnd.nextInt(10) == 0 ? rnd.nextInt(5) : 0);
                List<LogEntry> entries = new ArrayList<>();
                List<String[]> written = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String key = rnd.nextInt(3) == 0 ? "hot" : KEYS[rnd.nextInt(KEYS.length)];
                    String value = rnd.nextInt(8) == 0 ? null : "v" + op + "." + i;
                    KeyWrite w = value == null ? KeyWrite.tombstone(k(key)) : KeyWrite.put(k(key), doc(value));
                    entries.add(LogEntry.versioned("db.c", value == null ? LogEntry.DELETE : LogEntry.UPDATE, new BsonInt32(i),
                            true, List.of(w)));
                    written.add(new String[] {key, value});
                }
                CommitResult c = wal.commit(new CommitRequest(b.id(), null, null, false, entries));
                for (int i = 0; i < n; i++) {
                    model.computeIfAbsent(written.get(i)[0], x -> new ArrayList<>())
                            .add(new Version(b.id(), c.startLsn() + i, written.get(i)[0], written.get(i)[1]));
                }
            }
        }
    }

    private String modelGet(ReadView view, String key) {
        Version best = null;
        for (Version x : model.getOrDefault(key, List.of())) {
            if (view.visible(x.branch, x.lsn) && (best == null || x.lsn > best.lsn)) {
                best = x;
            }
        }
        return best == null ? null : best.value;
    }

    private static String text(byte[] payload) {
        return payload == null ? null : Bson.document(payload).getString("v").getValue();
    }

    /** Every read this history offers, in a fixed order, as text; model mismatches fail on the spot. */
    private List<String> everyRead(boolean checkModel) {
        List<String> out = new ArrayList<>();
        List<Branch> ids = new ArrayList<>(wal.registry().all());
        ids.sort((x, y) -> Integer.compare(x.id(), y.id()));
        java.util.Map<Integer, java.util.TreeSet<Long>> marked = new java.util.HashMap<>();
        for (Branch b : ids) {
            marked.computeIfAbsent(b.parentId(), x -> new java.util.TreeSet<>()).add(b.baseLsn());
        }
        for (Tag t : wal.tags()) {
            marked.computeIfAbsent(t.branchId(), x -> new java.util.TreeSet<>()).add(t.lsn());
        }
        for (Branch b : ids) {
            // Every fork and tag point, the head, and about 150 points between (every LSN of a short branch).
            java.util.TreeSet<Long> points = new java.util.TreeSet<>(marked.getOrDefault(b.id(), new java.util.TreeSet<>()));
            long step = Math.max(1, (b.headLsn() - b.baseLsn()) / 150);
            for (long lsn = b.baseLsn(); lsn <= b.headLsn(); lsn += step) {
                points.add(lsn);
            }
            points.add(b.headLsn());
            int n = 0;
            for (long lsn : points) {
                n++;
                ReadView view = wal.registry().view(b.id(), lsn);
                StringBuilder line = new StringBuilder(b.id() + "@" + lsn + ":");
                for (String key : KEYS) {
                    String got = text(wal.get(view, k(key)));
                    if (checkModel && (n % 4 == 0 || lsn == b.headLsn())) {
                        assertEquals(modelGet(view, key), got, key + " in " + view);
                    }
                    line.append(' ').append(got);
                }
                if (n % 3 == 0 || lsn == b.headLsn()) {
                    line.append(" |");
                    try (VersionScan s = wal.scan(view, new byte[0], null)) {
                        while (s.hasNext()) {
                            VersionScan.Entry e = s.next();
                            line.append(' ').append(new String(e.userKey(), StandardCharsets.UTF_8).trim())
                                    .append('=').append(text(e.payload()));
                        }
                    }
                }
                out.add(line.toString());
            }
        }
        try (LogScan s = wal.scanLog(1, wal.lastLsn())) {
            while (s.hasNext()) {
                LogRecord r = s.next();
                try {
                    out.add("log " + r.lsn() + " " + r.branchId() + " " + r.op() + " pre=" + r.pre() + " post=" + r.post());
                } catch (RuntimeException e) {
                    throw new AssertionError(r + " key " + new String(r.imageKey(), StandardCharsets.UTF_8) + " raw "
                            + java.util.Arrays.toString(rawVersion(r)), e);
                }
            }
        }
        // Newest first per branch id, and ranges that start and end inside the history (across logCutoff once
        // the log is compacted), as branch logs, change streams and diffs read it.
        long last = wal.lastLsn();
        for (Branch b : ids) {
            StringBuilder line = new StringBuilder("back " + b.id() + ":");
            try (LogScan s = wal.scanLog(b.id(), 1, last, true)) {
                while (s.hasNext()) {
                    LogRecord r = s.next();
                    line.append(' ').append(r.lsn()).append('/').append(r.op());
                }
            }
            out.add(line.toString());
        }
        for (long from = 1; from <= last; from += Math.max(1, last / 7)) {
            long to = Math.min(last, from + last / 3);
            StringBuilder fwd = new StringBuilder("range " + from + ".." + to + ":");
            try (LogScan s = wal.scanLog(0, from, to, false)) {
                while (s.hasNext()) {
                    fwd.append(' ').append(s.next().lsn());
                }
            }
            StringBuilder back = new StringBuilder("range back " + from + ".." + to + ":");
            try (LogScan s = wal.scanLog(0, from, to, true)) {
                while (s.hasNext()) {
                    back.append(' ').append(s.next().lsn());
                }
            }
            out.add(fwd.toString());
            out.add(back.toString());
        }
        return out;
    }

    private long localLogEntries() {
        long n = 0;
        try (RocksIterator it = wal.db().db().newIterator(wal.db().log())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                n++;
            }
        }
        return n;
    }

    private byte[] rawVersion(LogRecord r) {
        try {
            return wal.db().db().get(wal.db().versions(), VersionKeys.key(r.imageKey(), r.branchId(), r.lsn()));
        } catch (org.rocksdb.RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    private long[] localVersionsAndStubs() {
        long versions = 0;
        long stubs = 0;
        try (RocksIterator it = wal.db().db().newIterator(wal.db().versions())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                if (VersionKeys.isStub(it.value())) {
                    stubs++;
                } else {
                    versions++;
                }
            }
        }
        return new long[] {versions, stubs};
    }

    /** Small segments, so that a pass cuts several and a group's runs spread over more than one. */
    private long segmentBytes = 16_384;

    private TierReport compactAll() {
        return wal.compactHistory(new TierRequest(0, System.currentTimeMillis() + 60_000, null, segmentBytes));
    }

    @Test
    void readsAreTheSameBeforeAndAfterCompaction() {
        long seed = Long.getLong("argon.tier.seed", 20261201L);
        Random rnd = new Random(seed);
        int ops = Integer.getInteger("argon.tier.ops", 1_500);
        segmentBytes = ops * 8L;
        history(rnd, ops);
        long t0 = System.nanoTime();
        List<String> before = everyRead(true);
        System.out.println("history and first reads: " + (System.nanoTime() - t0) / 1_000_000 + " ms, " + before.size() + " lines");
        long[] localBefore = localVersionsAndStubs();
        long logBefore = localLogEntries();

        TierReport first = compactAll();
        assertTrue(first.logEntries() > 0 && first.logSegments() > 1, "seed " + seed + ": log moved " + first);
        assertEquals(logBefore - first.logEntries(), localLogEntries(), "seed " + seed + ": local log entries after " + first);
        long[] localAfter = localVersionsAndStubs();
        assertTrue(first.versions() > 0 && first.segments() > 1, "seed " + seed + ": moved " + first);
        assertEquals(localBefore[0] - first.versions(), localAfter[0], "seed " + seed + ": local versions after " + first);
        assertEquals(first.stubs(), localAfter[1]);
        assertEquals(before, everyRead(true), "seed " + seed + ": reads after the first pass");
        assertTrue(wal.tier().readsAndMisses()[1] > 0, "reads went to the segments");

        history(rnd, ops / 2);
        List<String> more = everyRead(true);
        TierReport second = compactAll();
        assertTrue(second.versions() > 0, "seed " + seed + ": second pass " + second);
        assertTrue(second.logEntries() > 0, "seed " + seed + ": second pass moved the newer log " + second);
        assertEquals(more, everyRead(true), "seed " + seed + ": reads after the second pass");
        assertEquals(0, compactAll().versions(), "a pass right after another moves nothing");

        wal.close();
        assertEquals(List.of(), fsck(dir).problems(), "seed " + seed + ": fsck of the compacted directory");
        wal = Wal.open(dir);
        assertEquals(more, everyRead(true), "seed " + seed + ": reads after reopening");

        // A backup holds every version, compacted ones included, and restores to a directory without a tier.
        java.nio.file.Path root = dir.resolveSibling(dir.getFileName() + "-archive");
        try (dev.argon.storage.object.ObjectStore store = new dev.argon.storage.object.MemoryStore()) {
            dev.argon.wal.archive.Backup.run(wal::snapshot, store, root.resolve("tmp"), java.util.Map.of(),
                    dev.argon.wal.archive.ArchiveProgress.NONE);
            long mid = wal.lastLsn() / 2;
            wal.close();
            java.nio.file.Path restored = root.resolve("restored");
            dev.argon.wal.archive.Restore.run(store, restored, null, null, dev.argon.wal.archive.ArchiveProgress.NONE);
            assertEquals(List.of(), fsck(restored).problems(), "seed " + seed + ": fsck of the restored directory");
            wal = Wal.open(restored);
            assertEquals(0, localVersionsAndStubs()[1], "a restore writes versions, not stubs");
            assertEquals(more.stream().filter(l -> l.startsWith("log ")).count(), localLogEntries(),
                    "a restore writes every log entry locally, the compacted ones included");
            assertEquals(more, everyRead(true), "seed " + seed + ": reads after backup and restore");
            wal.close();
            java.nio.file.Path cut = root.resolve("cut");
            long at = dev.argon.wal.archive.Restore.run(store, cut, Long.toString(mid), null,
                    dev.argon.wal.archive.ArchiveProgress.NONE).restoredLsn();
            wal = Wal.open(cut);
            List<String> cutReads = readsUpTo(everyRead(false), at);
            wal.close();
            wal = Wal.open(dir);
            List<String> original = new ArrayList<>();
            for (String line : cutReads) {
                int id = Integer.parseInt(line.substring(0, line.indexOf('@')));
                long lsn = Long.parseLong(line.substring(line.indexOf('@') + 1, line.indexOf(':')));
                original.add(pointLine(wal.registry().view(id, lsn), id, lsn));
            }
            assertTrue(cutReads.size() > 10);
            assertEquals(original, cutReads, "seed " + seed + ": reads of a restore --at " + at + " and of the compacted original");

            // GC over compacted history (reflog window 0: old ids of resets go too) keeps every live branch's reads.
            java.util.Set<String> live = new java.util.HashSet<>();
            for (Branch b : wal.branches()) {
                live.add(b.id() + "@");
            }
            GcReport gcReport = wal.gc(new GcRequest(System.currentTimeMillis(), -1, 0, false, 1000, KeyOwners.NONE, null));
            assertTrue(gcReport.versions() > 0, "seed " + seed + ": GC found dropped branches' versions: " + gcReport);
            assertSameLines(liveLines(more, live), liveLines(everyRead(false), live), "seed " + seed + ": live reads after GC");
            wal.close();
            assertEquals(List.of(), fsck(dir).problems(), "seed " + seed + ": fsck after GC of compacted history");
            wal = Wal.open(dir);
        }
    }

    /** The point reads at LSNs up to lsn on ids that a restore cut there keeps (those created by then). */
    private static List<String> readsUpTo(List<String> reads, long lsn) {
        List<String> out = new ArrayList<>();
        for (String line : reads) {
            if (!isPoint(line)) {
                continue;
            }
            String point = line.substring(line.indexOf('@') + 1, line.indexOf(':'));
            if (Long.parseLong(point) <= lsn) {
                out.add(line.contains(" |") ? line.substring(0, line.indexOf(" |")) : line);
            }
        }
        return out;
    }

    private String pointLine(ReadView view, int id, long lsn) {
        StringBuilder line = new StringBuilder(id + "@" + lsn + ":");
        for (String key : KEYS) {
            line.append(' ').append(text(wal.get(view, k(key))));
        }
        return line.toString();
    }

    /** The point reads of every (id, lsn) both read at (the sampled points depend on which records exist). */
    private static void assertSameLines(List<String> want, List<String> got, String what) {
        java.util.Map<String, String> byPoint = new java.util.HashMap<>();
        for (String line : want) {
            byPoint.put(line.substring(0, line.indexOf(':')), pointPart(line));
        }
        int compared = 0;
        for (String line : got) {
            String expected = byPoint.get(line.substring(0, line.indexOf(':')));
            if (expected != null) {
                assertEquals(expected, pointPart(line), what);
                compared++;
            }
        }
        assertTrue(compared > want.size() / 2, what + ": compared " + compared + " of " + want.size());
    }

    private static String pointPart(String line) {
        return line.contains(" |") ? line.substring(0, line.indexOf(" |")) : line;
    }

    private static List<String> liveLines(List<String> reads, java.util.Set<String> live) {
        List<String> out = new ArrayList<>();
        for (String line : reads) {
            if (isPoint(line) && live.contains(line.substring(0, line.indexOf('@') + 1))) {
                out.add(line);
            }
        }
        return out;
    }

    /** A line of point reads ({@code id@lsn: ...}), not one of the log's. */
    private static boolean isPoint(String line) {
        return !line.startsWith("log ") && !line.startsWith("back ") && !line.startsWith("range ");
    }

    private static FsckReport fsck(java.nio.file.Path d) {
        FsckReport report = new FsckReport();
        try (WalInspector in = WalInspector.open(d)) {
            new WalChecker(in, report).run();
        }
        return report;
    }
}
