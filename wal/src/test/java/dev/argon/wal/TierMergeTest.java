package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

/**
 * The segment rewrite pass ({@link TierMerger}) changes no answer: a random history over several branches (forks
 * at heads and old points, resets, drops, tags, tombstones, multi-entry commits) is compacted by many small passes
 * (each leaving small segments), collected by GC now and then (dropped branches and resets' old ids go, and with
 * them stubs), and merged; every read at every point GC keeps readable (point reads of every key, forward scans,
 * the log with its images, newest first per branch and in ranges across the log's cutoff) is the same right before
 * and right after each merge, and after reopening. Seed: {@code -Dargon.tier.seed}.
 */
class TierMergeTest extends WalFixture {
    private static final String[] KEYS = {"a", "b", "c", "hot", "d", "e", "f", "g"};
    /** Compaction passes cut segments this size, so most passes leave a small one of each kind. */
    private static final long PASS_SEGMENT_BYTES = 4_096;
    private static final long MERGED_SEGMENT_BYTES = 8_192;
    private final List<String> names = new ArrayList<>(List.of(Branch.MAIN));
    private int branchNo;
    private int tagNo;

    private static byte[] doc(String value) {
        return Bson.bytes(new BsonDocument("v", new BsonString(value)));
    }

    private static String text(byte[] payload) {
        return payload == null ? null : Bson.document(payload).getString("v").getValue();
    }

    private void history(Random rnd, int ops, int opBase) {
        for (int op = 0; op < ops; op++) {
            String name = names.get(rnd.nextInt(names.size()));
            Branch b = wal.branch(name);
            int r = rnd.nextInt(100);
            try {
                if (r < 5) {
                    long at = rnd.nextBoolean() ? b.headLsn() : b.baseLsn() + (long) (rnd.nextDouble() * (b.headLsn() - b.baseLsn()));
                    String child = "b" + (++branchNo);
                    wal.createBranch(child, b.id(), at, "t");
                    names.add(child);
                } else if (r < 7 && !name.equals(Branch.MAIN)) {
                    Branch other = wal.branch(names.get(rnd.nextInt(names.size())));
                    long point = other.baseLsn() + (long) (rnd.nextDouble() * (other.headLsn() - other.baseLsn()));
                    wal.resetBranch(b.id(), other.id(), point, null, "t");
                } else if (r < 10 && !name.equals(Branch.MAIN) && names.size() > 3) {
                    wal.dropBranch(b.id());
                    names.remove(name);
                } else if (r < 11) {
                    wal.createTag("t" + (++tagNo), b.id(), b.headLsn(), "t");
                } else {
                    int n = 1 + (rnd.nextInt(10) == 0 ? rnd.nextInt(5) : 0);
                    List<LogEntry> entries = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        String key = rnd.nextInt(3) == 0 ? "hot" : KEYS[rnd.nextInt(KEYS.length)];
                        String value = rnd.nextInt(8) == 0 ? null : "v" + (opBase + op) + "." + i;
                        KeyWrite w = value == null ? KeyWrite.tombstone(k(key)) : KeyWrite.put(k(key), doc(value));
                        entries.add(LogEntry.versioned("db.c", value == null ? LogEntry.DELETE : LogEntry.UPDATE,
                                new BsonInt32(i), true, List.of(w)));
                    }
                    wal.commit(new CommitRequest(b.id(), null, null, false, entries));
                }
            } catch (BranchException | WalException e) {
                // A branch with children is not dropped; a point GC gave up is refused: both leave the history as it is.
            }
        }
    }

    /** Every read a user can make, in a fixed order, as text; a point GC refuses reads as "refused". */
    private List<String> everyRead() {
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
            java.util.TreeSet<Long> points = new java.util.TreeSet<>(marked.getOrDefault(b.id(), new java.util.TreeSet<>()));
            long step = Math.max(1, (b.headLsn() - b.baseLsn()) / 60);
            for (long lsn = b.baseLsn(); lsn <= b.headLsn(); lsn += step) {
                points.add(lsn);
            }
            points.add(b.headLsn());
            int n = 0;
            for (long lsn : points) {
                StringBuilder line = new StringBuilder(b.id() + "@" + lsn + ":");
                ReadView view;
                try {
                    view = wal.viewAt(b.id(), lsn);
                } catch (WalException | BranchException e) {
                    out.add(line.append(" refused").toString());
                    continue;
                }
                for (String key : KEYS) {
                    line.append(' ').append(text(wal.get(view, k(key))));
                }
                if (++n % 3 == 0 || lsn == b.headLsn()) {
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
                String images;
                try {
                    images = " pre=" + r.pre() + " post=" + r.post();
                } catch (RuntimeException e) {
                    images = " images unreadable: " + e.getMessage();
                }
                out.add("log " + r.lsn() + " " + r.branchId() + " " + r.op() + images);
            }
        }
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
            out.add(fwd.toString());
        }
        return out;
    }

    private TierReport compact() {
        return wal.compactHistory(new TierRequest(0, System.currentTimeMillis() + 60_000, null, PASS_SEGMENT_BYTES));
    }

    private GcReport gc() {
        return wal.gc(new GcRequest(System.currentTimeMillis(), -1, 0, false, 1000, KeyOwners.NONE, null));
    }

    private TierCatalog catalog() {
        return TierCatalog.read(wal.db());
    }

    private static int segments(TierCatalog c) {
        return c.segments().size() + c.logSegments().size();
    }

    @Test
    void readsAreTheSameBeforeAndAfterEveryMerge() {
        long seed = Long.getLong("argon.tier.seed", 20261202L);
        Random rnd = new Random(seed);
        int rounds = Integer.getInteger("argon.tier.rounds", 16);
        long dropped = 0;
        long merged = 0;
        int mostSegments = 0;
        for (int round = 0; round < rounds; round++) {
            history(rnd, 50, round * 1000);
            compact();
            if (round % 3 == 2) {
                gc();
            }
            mostSegments = Math.max(mostSegments, segments(catalog()));
            if (round % 2 == 1) {
                List<String> before = everyRead();
                TierCatalog was = catalog();
                // Alternately only the small segments (as the background job does) and every segment examined for
                // dead entries (as gc does).
                boolean examine = round % 4 == 3;
                MergeReport m = wal.mergeSegments(MergeRequest.of(MERGED_SEGMENT_BYTES, examine, 1));
                String what = "seed " + seed + " round " + round + " " + m;
                assertTrue(m.retired(), what);
                TierCatalog now = catalog();
                assertEquals(segments(was) - m.segmentsMerged() + m.segmentsWritten(), segments(now), what);
                assertEquals(segments(now), m.totalSegments(), what);
                assertEquals(now.segments().size(), wal.tier().segments().size(), "the read path holds the catalog's segments: " + what);
                assertEquals(was.bytes() - m.bytesBefore() + m.bytesAfter(), now.bytes(), what);
                assertEquals(was.cutoffLsn(), now.cutoffLsn(), what);
                assertEquals(was.logCutoff(), now.logCutoff(), what);
                assertEquals(before, everyRead(), "reads after the merge: " + what);
                dropped += m.entriesDropped();
                merged += m.segmentsMerged();
            }
        }
        assertTrue(merged > 0 && dropped > 0, "seed " + seed + ": merges replaced " + merged + " segments, dropped " + dropped);
        MergeReport all = wal.mergeSegments(MergeRequest.of(MERGED_SEGMENT_BYTES, true, 0));
        assertTrue(segments(catalog()) < mostSegments, "seed " + seed + ": " + segments(catalog()) + " segments after merging, at most "
                + mostSegments + " before; " + all);
        List<String> last = everyRead();
        wal.close();
        FsckReport report = new FsckReport();
        try (WalInspector in = WalInspector.open(dir)) {
            new WalChecker(in, report).run();
        }
        assertEquals(List.of(), report.problems(), "seed " + seed + ": fsck after merges");
        wal = Wal.open(dir);
        assertEquals(last, everyRead(), "seed " + seed + ": reads after reopening");
        MergeReport again = wal.mergeSegments(MergeRequest.of(MERGED_SEGMENT_BYTES, true, 0));
        assertEquals(0, again.segmentsMerged(), "a merge right after a full one finds nothing: " + again);
    }

    @Test
    void aDroppedBranchsColdHistoryLeavesTheTierAfterGcAndMerge() {
        for (int i = 0; i < 20; i++) {
            wal.commit(new CommitRequest(Branch.MAIN_ID, null, null, false, List.of(insert("m" + (i % 4), doc("main" + i)))));
        }
        Branch x = wal.createBranch("x", Branch.MAIN_ID, wal.lastLsn(), "t");
        for (int i = 0; i < 300; i++) {
            wal.commit(new CommitRequest(x.id(), null, null, false, List.of(insert("x" + (i % 10), doc("x" + i)))));
        }
        for (int i = 0; i < 20; i++) {
            wal.commit(new CommitRequest(Branch.MAIN_ID, null, null, false, List.of(insert("m" + (i % 4), doc("main2." + i)))));
        }
        compact();
        assertTrue(coldEntriesOf(x.id()) > 250, "x's old versions and log went to the tier");
        long bytesWithX = catalog().bytes();
        wal.dropBranch(x.id());
        GcReport g = gc();
        assertTrue(g.versions() > 0, g.toString());
        assertTrue(coldEntriesOf(x.id()) > 250, "GC alone leaves the cold versions in their segments");

        MergeReport m = wal.mergeSegments(MergeRequest.of(MERGED_SEGMENT_BYTES, true, 0));
        assertTrue(m.entriesDropped() >= 2 * 290, m.toString());
        assertEquals(0, coldEntriesOf(x.id()), "no segment the catalog names holds a version or log entry of the dropped branch");
        assertTrue(catalog().bytes() < bytesWithX / 2, catalog().bytes() + " tier bytes after, " + bytesWithX + " before: " + m);
        assertEquals(m.bytesAfter(), catalog().bytes() - (bytesWithX - m.bytesBefore()));
        assertEquals(catalog().segments().size() + catalog().logSegments().size(), m.totalSegments());
        for (int i = 0; i < 4; i++) {
            assertEquals("main2." + (16 + i), text(wal.get(wal.headView(Branch.MAIN_ID), k("m" + i))));
            assertEquals("main" + (16 + i), text(wal.get(wal.viewAt(Branch.MAIN_ID, x.baseLsn()), k("m" + i))), "time travel into the tier");
        }
    }

    @Test
    void replacedSegmentsStayOnTheReadPathWhileAnOlderReadIsOpen() throws Exception {
        for (int pass = 0; pass < 4; pass++) {
            for (int i = 0; i < 10; i++) {
                wal.commit(new CommitRequest(Branch.MAIN_ID, null, null, false, List.of(insert("k" + (i % 3), doc(pass + "." + i)))));
            }
            compact();
        }
        long early = 5;
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            before.add(text(wal.get(wal.viewAt(Branch.MAIN_ID, early), k("k" + i))));
        }
        List<TierSegment> oldPath = wal.tier().segments();
        java.util.concurrent.CountDownLatch open = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (ReadGate.Ticket t = wal.readGate().enter()) {
                open.countDown();
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        reader.start();
        open.await();
        MergeReport m = wal.mergeSegments(new MergeRequest(MERGED_SEGMENT_BYTES, MERGED_SEGMENT_BYTES / 4, 0.5, true, 0, 100));
        assertTrue(m.segmentsMerged() >= 4 && !m.retired(), m.toString());
        java.util.Set<String> want = names(oldPath);
        want.addAll(names(catalog().segments()));
        assertEquals(want, names(wal.tier().segments()), "old and new version segments on the read path: " + m);
        assertTrue(!names(catalog().segments()).containsAll(names(oldPath)), "the catalog names new ones: " + m);
        for (int i = 0; i < 3; i++) {
            assertEquals(before.get(i), text(wal.get(wal.viewAt(Branch.MAIN_ID, early), k("k" + i))));
        }
        done.countDown();
        reader.join();
        MergeReport next = wal.mergeSegments(MergeRequest.of(MERGED_SEGMENT_BYTES, true, 0));
        assertTrue(next.retired(), next.toString());
        assertEquals(catalog().segments().size(), wal.tier().segments().size(), "retired by the next pass");
        for (int i = 0; i < 3; i++) {
            assertEquals(before.get(i), text(wal.get(wal.viewAt(Branch.MAIN_ID, early), k("k" + i))));
        }
    }

    private static java.util.Set<String> names(List<TierSegment> segments) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (TierSegment t : segments) {
            out.add(t.name());
        }
        return out;
    }

    @Test
    void withoutATierThereIsNothingToMerge() {
        wal.commit(new CommitRequest(Branch.MAIN_ID, null, null, false, List.of(insert("a", doc("1")))));
        MergeReport m = wal.mergeSegments(MergeRequest.of(MERGED_SEGMENT_BYTES, true, 0));
        assertEquals(0, m.segmentsMerged() + m.segmentsWritten() + m.totalSegments());
        assertEquals(ColdVersions.NONE, wal.tier(), "a merge attaches no tier");
    }

    /** Entries of branch id in the segments the catalog names: versions by their key, log entries by their "b". */
    private long coldEntriesOf(int id) {
        long n = 0;
        TierCatalog c = catalog();
        for (TierSegment s : c.segments()) {
            for (Iterator<byte[][]> it = wal.tier().scan(s, new byte[0]); it.hasNext(); ) {
                if (VersionKeys.branchId(it.next()[0]) == id) {
                    n++;
                }
            }
        }
        for (TierSegment s : c.logSegments()) {
            for (Iterator<byte[][]> it = wal.tier().scan(s, new byte[0]); it.hasNext(); ) {
                if (LogCodec.branchId(Bson.document(it.next()[1])) == id) {
                    n++;
                }
            }
        }
        return n;
    }
}
