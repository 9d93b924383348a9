package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bson.BsonInt32;
import org.junit.jupiter.api.Test;
import org.rocksdb.RocksIterator;

/**
 * GC against an in-memory model. Random operations over several branches (commits of one to three puts and
 * tombstones, branches from heads, old points, tags and reflog points, drops, resets with and without backup,
 * tags) interleaved with GC passes whose clock, reflog window and retention are chosen so that resets fall on
 * both sides of the window and the horizon lands in the middle of history. Around every pass:
 * <ul>
 *   <li>every live branch at every LSN from the horizon to its head, every tag (and {@code tag@p} down to the
 *       horizon) and every reset still inside every window so far reads exactly as the model says, by scan and by
 *       point reads; every other point either reads as the model says or is refused with HISTORY_GONE;</li>
 *   <li>what is stored is what the rules keep: per branch and key, the newest version at or below each point a
 *       root needs below the horizon, plus every version up to the highest point it needs (a missing tombstone is
 *       allowed: GC drops those that hide nothing); log entries and commits of reclaimed ranges are gone, the rest
 *       are there; records of unreachable ids nothing names are gone;</li>
 *   <li>from time to time the directory is closed, checked with fsck (clean) and reopened.</li>
 * </ul>
 * Seed: {@code -Dargon.gc.seed=N}; length: {@code -Dargon.gc.ops=N}.
 */
class ReclaimerModelTest extends WalFixture {
    private static final long SEED = Long.getLong("argon.gc.seed", 20261122L);
    private static final int OPS = Integer.getInteger("argon.gc.ops", 1600);
    private static final int KEYS = 8;
    private static final long OPEN = Long.MAX_VALUE;

    /** A branch id as the model knows it. */
    private static final class MB {
        int id;
        String name;
        int parentId;
        long base;
        long head;
        long createdAt;
        int replacesId;
        long replacedAt;
        /** True once a pass saw the reset that retired this id outside its window. */
        boolean expired;
    }

    private final Random rnd = new Random(SEED);
    private final Map<Integer, MB> mb = new TreeMap<>();
    /** branch id, key: lsn to value (null: tombstone). */
    private final Map<Integer, Map<String, TreeMap<Long, String>>> writes = new HashMap<>();
    /** start, end, time, branch id. */
    private final List<long[]> commits = new ArrayList<>();
    private final TreeMap<Long, long[]> commitByStart = new TreeMap<>();
    private final Map<String, long[]> tags = new TreeMap<>();
    /** Cumulative ceilings: the highest point each id still has (absent: no limit, -1: nothing). */
    private final Map<Integer, Long> tops = new HashMap<>();
    private long horizon;
    private long lastLsn;
    private int names;
    private int passes;

    @Test
    void gcKeepsWhatNamesReachAndReclaimsTheRest() {
        Branch main = wal.branch(Branch.MAIN);
        record(main);
        for (int op = 0; op < OPS; op++) {
            int r = rnd.nextInt(100);
            if (r < 55) {
                put(randomLive());
            } else if (r < 64) {
                // A handful of live branches at a time keeps every check of every point affordable.
                if (live().size() < 7) {
                    createBranch();
                } else {
                    drop(randomLive());
                }
            } else if (r < 70) {
                drop(randomLive());
            } else if (r < 77) {
                reset(randomLive());
            } else if (r < 83) {
                tag();
            } else if (r < 86) {
                dropTag();
            } else if (r < 88 || op == OPS - 1) {
                gc(op % 3 == 0);
            } else {
                put(randomLive());
            }
        }
        assertTrue(passes >= 5, "the run did GC passes: " + passes);
        reopenAndCheck();
        checkReads();
    }

    // ---- operations ----

    private MB randomLive() {
        List<MB> live = live();
        return live.get(rnd.nextInt(live.size()));
    }

    private List<MB> live() {
        List<MB> out = new ArrayList<>();
        for (MB b : mb.values()) {
            if (b.name != null) {
                out.add(b);
            }
        }
        return out;
    }

    private void put(MB b) {
        int n = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 3 : 1);
        List<LogEntry> entries = new ArrayList<>();
        List<String[]> kv = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = "k" + rnd.nextInt(KEYS);
            String value = rnd.nextInt(5) == 0 ? null : key + "=" + rnd.nextInt(1000);
            KeyWrite w = value == null ? KeyWrite.tombstone(k(key)) : KeyWrite.put(k(key), v(value));
            entries.add(new LogEntry("db.c", value == null ? LogEntry.DELETE : LogEntry.UPDATE, new BsonInt32(i), null, null, List.of(w)));
            kv.add(new String[] {key, value});
        }
        CommitResult c = wal.commit(new CommitRequest(b.id, "t", null, false, entries));
        for (int i = 0; i < n; i++) {
            writes.computeIfAbsent(b.id, x -> new HashMap<>()).computeIfAbsent(kv.get(i)[0], x -> new TreeMap<>()).put(c.startLsn() + i, kv.get(i)[1]);
        }
        long[] rec = {c.startLsn(), c.endLsn(), c.timeMillis(), b.id};
        commits.add(rec);
        commitByStart.put(c.startLsn(), rec);
        b.head = c.endLsn();
        lastLsn = c.endLsn();
    }

    /** From a head, an old point, a tag or a reflog point. */
    private void createBranch() {
        int parent;
        long at;
        int how = rnd.nextInt(4);
        if (how == 1 && !tags.isEmpty()) {
            long[] t = randomTag();
            parent = (int) t[0];
            at = t[1];
        } else if (how == 2) {
            long[] r = reflogPoint();
            parent = (int) r[0];
            at = r[1];
        } else {
            MB l = randomLive();
            parent = l.id;
            at = how == 0 ? l.head : rnd.nextLong(l.head + 1);
        }
        MB p = mb.get(parent);
        long base = Math.min(round(parent, at), p.head);
        String name = "b" + names++;
        try {
            Branch b = wal.createBranch(name, parent, at, "t");
            assertEquals(base, b.baseLsn(), "fork point of " + name);
            record(b);
        } catch (BranchException e) {
            assertEquals(BranchException.Kind.HISTORY_GONE, e.kind(), e.getMessage());
            assertTrue(!mustRead(p, base), "createBranch refused at a point that must stay readable: " + parent + "@" + base + ": " + e.getMessage());
        }
    }

    private void drop(MB b) {
        if (b.id == Branch.MAIN_ID || Branch.MAIN.equals(b.name)) {
            return;
        }
        boolean children = mb.values().stream().anyMatch(c -> c.parentId == b.id && c.name != null);
        try {
            wal.dropBranch(b.id);
            assertTrue(!children, "dropped a branch with children");
            b.name = null;
        } catch (BranchException e) {
            assertTrue(children, e.getMessage());
        }
    }

    /** Onto its own history, onto its parent below the fork point, or onto another branch's head. */
    private void reset(MB b) {
        int pointBranch;
        long point;
        int how = rnd.nextInt(3);
        if (how == 0 && b.head > b.base) {
            pointBranch = b.id;
            point = b.base + rnd.nextLong(b.head - b.base + 1);
        } else if (how == 1 && b.parentId != 0) {
            pointBranch = b.parentId;
            point = rnd.nextLong(b.base + 1);
        } else {
            MB other = randomLive();
            pointBranch = other.id;
            point = other.head;
        }
        MB pb = mb.get(pointBranch);
        long effective = Math.min(round(pointBranch, point), pb.head);
        String backup = rnd.nextInt(3) == 0 ? "b" + names++ : null;
        try {
            Branch fresh = wal.resetBranch(b.id, pointBranch, effective, backup, "t");
            assertEquals(effective, fresh.baseLsn());
            if (backup != null) {
                record(wal.branch(backup));
            }
            b.name = null;
            record(fresh);
        } catch (BranchException e) {
            assertEquals(BranchException.Kind.HISTORY_GONE, e.kind(), e.getMessage());
            assertTrue(!mustRead(pb, effective), "reset refused at a point that must stay readable: " + e.getMessage());
        }
    }

    /** A random live name at a random point, as {id the name showed then, that point capped at its head}. */
    private long[] reflogPoint() {
        MB l = randomLive();
        long p = rnd.nextLong(lastLsn + 1);
        MB asOf = asOf(l, p);
        return new long[] {asOf.id, Math.min(asOf.head, p)};
    }

    private void tag() {
        int id;
        long at;
        if (rnd.nextInt(4) == 0) {
            long[] r = reflogPoint();
            id = (int) r[0];
            at = r[1];
        } else {
            MB l = randomLive();
            id = l.id;
            at = rnd.nextBoolean() ? l.head : rnd.nextLong(l.head + 1);
        }
        String name = "t" + names++;
        try {
            Tag t = wal.createTag(name, id, at, "t");
            assertEquals(Math.min(round(id, at), mb.get(id).head), t.lsn());
            tags.put(name, new long[] {id, t.lsn()});
        } catch (BranchException e) {
            assertEquals(BranchException.Kind.HISTORY_GONE, e.kind(), e.getMessage());
            assertTrue(!mustRead(mb.get(id), round(id, at)), "createTag refused at a point that must stay readable: " + e.getMessage());
        }
    }

    private void dropTag() {
        if (tags.isEmpty()) {
            return;
        }
        String name = new ArrayList<>(tags.keySet()).get(rnd.nextInt(tags.size()));
        wal.dropTag(name);
        tags.remove(name);
    }

    private long[] randomTag() {
        List<long[]> all = new ArrayList<>(tags.values());
        return all.get(rnd.nextInt(all.size()));
    }

    private void record(Branch b) {
        MB m = new MB();
        m.id = b.id();
        m.name = b.name();
        m.parentId = b.parentId();
        m.base = b.baseLsn();
        m.head = b.headLsn();
        m.createdAt = b.createdAt();
        m.replacesId = b.replacesId();
        m.replacedAt = b.replacedAtLsn();
        mb.put(m.id, m);
    }

    // ---- GC ----

    private void gc(boolean reopen) {
        passes++;
        checkReads();
        long now = System.currentTimeMillis();
        long window = switch (rnd.nextInt(3)) {
            case 0 -> GcRequest.DEFAULT_REFLOG_WINDOW_MILLIS;
            case 1 -> 0;
            default -> {
                List<MB> resets = new ArrayList<>();
                for (MB b : mb.values()) {
                    if (b.replacesId != 0) {
                        resets.add(b);
                    }
                }
                yield resets.isEmpty() ? 0 : now - resets.get(rnd.nextInt(resets.size())).createdAt;
            }
        };
        long retention = -1;
        if (rnd.nextInt(3) > 0 && !commits.isEmpty()) {
            long[] c = commits.get(rnd.nextInt(commits.size()));
            retention = now - c[2];
        }
        for (MB b : mb.values()) {
            if (b.replacesId != 0 && now - b.createdAt >= window) {
                mb.get(b.replacesId).expired = true;
            }
        }
        if (retention >= 0) {
            long h = 0;
            for (long[] c : commits) {
                if (c[2] <= now - retention) {
                    h = Math.max(h, c[1]);
                }
            }
            horizon = Math.max(horizon, h);
        }
        Map<Integer, Long> beta = roots(now, window);

        GcRequest dry = new GcRequest(now, retention, window, true, 1000, KeyOwners.NONE, null);
        long before = storedVersions().size();
        GcReport preview = wal.gc(dry);
        assertEquals(before, storedVersions().size(), "a dry run deletes nothing");
        GcReport report = wal.gc(new GcRequest(now, retention, window, false, 1000, KeyOwners.NONE, null));
        assertTrue(!report.deferred(), "nothing holds the read gate");
        assertEquals(horizon, report.horizon(), "the horizon is the last commit at or before now - retention");
        assertEquals(horizon, wal.horizonLsn());
        assertEquals(preview.versions(), report.versions(), "the dry run counted what the pass deleted");
        assertEquals(preview.commits(), report.commits());
        assertEquals(before - report.versions(), storedVersions().size(), "the report counts the versions deleted");
        for (Map.Entry<Integer, Long> e : beta.entrySet()) {
            tops.merge(e.getKey(), e.getValue(), Math::min);
        }
        checkStored(beta);
        if (reopen) {
            reopenAndCheck();
        }
        checkReads();
    }

    /**
     * The highest point each branch id is needed at (OPEN for live ones), from the roots: live branches, resets
     * inside this pass's window, tags; each root needs its parent up to the fork point. Ids absent are needed by
     * nothing. Capped by earlier passes' ceilings.
     */
    private Map<Integer, Long> roots(long now, long window) {
        Map<Integer, Long> beta = new HashMap<>();
        Map<Integer, Set<Long>> lows = new HashMap<>();
        List<long[]> rootList = new ArrayList<>();
        for (MB b : mb.values()) {
            if (b.name == null) {
                continue;
            }
            rootList.add(new long[] {b.id, OPEN});
            MB cur = b;
            while (cur.replacesId != 0) {
                MB old = mb.get(cur.replacesId);
                if (now - cur.createdAt < window) {
                    rootList.add(new long[] {old.id, old.head});
                }
                cur = old;
            }
        }
        for (long[] t : tags.values()) {
            rootList.add(new long[] {t[0], t[1]});
        }
        for (long[] r : rootList) {
            MB b = mb.get((int) r[0]);
            long hi = r[1];
            while (b != null) {
                // Each level's bound rounded to a commit boundary of its own id, as reads (and GcPlan) do.
                hi = hi == OPEN ? OPEN : round(b.id, hi);
                long top = Math.min(hi, tops.getOrDefault(b.id, OPEN));
                if (Math.min(horizon, hi) > top) {
                    break;
                }
                beta.merge(b.id, top, Math::max);
                lows.computeIfAbsent(b.id, x -> new TreeSet<>()).add(Math.min(horizon, top));
                hi = Math.min(top, b.base);
                b = b.parentId == 0 ? null : mb.get(b.parentId);
            }
        }
        this.lows = lows;
        for (MB b : mb.values()) {
            beta.putIfAbsent(b.id, -1L);
        }
        return beta;
    }

    /** Per id, the lowest point of each range it keeps (min(horizon, what a root needs)). */
    private Map<Integer, Set<Long>> lows = new HashMap<>();

    /** What is stored equals what the rules keep (tombstones may be missing). */
    private void checkStored(Map<Integer, Long> beta) {
        Set<String> stored = new HashSet<>();
        for (String s : storedVersions()) {
            stored.add(s);
        }
        Set<String> expected = new HashSet<>();
        Set<String> tombstones = new HashSet<>();
        for (Map.Entry<Integer, Map<String, TreeMap<Long, String>>> e : writes.entrySet()) {
            int id = e.getKey();
            long top = beta.getOrDefault(id, -1L);
            for (Map.Entry<String, TreeMap<Long, String>> kv : e.getValue().entrySet()) {
                TreeMap<Long, String> vs = kv.getValue();
                Set<Long> keep = new HashSet<>();
                for (long lo : lows.getOrDefault(id, Set.of())) {
                    Map.Entry<Long, String> f = vs.floorEntry(lo);
                    if (f != null) {
                        keep.add(f.getKey());
                    }
                }
                if (top >= 0) {
                    long lo = Math.min(horizon, top);
                    keep.addAll(vs.subMap(lo, false, top, true).keySet());
                }
                for (long l : keep) {
                    String s = kv.getKey() + "|" + id + "|" + l;
                    expected.add(s);
                    if (vs.get(l) == null) {
                        tombstones.add(s);
                    }
                }
            }
        }
        for (String s : stored) {
            assertTrue(expected.contains(s), "GC kept a version no rule keeps: " + s);
        }
        for (String s : expected) {
            assertTrue(stored.contains(s) || tombstones.contains(s), "GC deleted a version a rule keeps: " + s);
        }
        Map<Integer, Set<Long>> storedCommits = new HashMap<>();
        for (Branch b : wal.registry().all()) {
            for (var c : wal.commits(b.id(), 0, Long.MAX_VALUE)) {
                storedCommits.computeIfAbsent(b.id(), x -> new HashSet<>()).add(c.getInt64("lsn").getValue());
            }
        }
        Set<Long> logLsns = new HashSet<>();
        for (LogRecord r : wal.logRange(1, lastLsn)) {
            logLsns.add(r.lsn());
        }
        for (long[] c : commits) {
            int id = (int) c[3];
            boolean kept = c[1] <= tops.getOrDefault(id, OPEN);
            assertEquals(kept, storedCommits.getOrDefault(id, Set.of()).contains(c[1]), "commit " + c[1] + " of id " + id);
            for (long l = c[0]; l <= c[1]; l++) {
                assertEquals(kept, logLsns.contains(l), "log entry " + l + " of id " + id);
            }
        }
        // Records: unreachable ids go once no remaining record or tag names them.
        Set<Integer> gone = new HashSet<>();
        for (MB b : mb.values()) {
            if (beta.get(b.id) == -1L && b.id != Branch.MAIN_ID) {
                gone.add(b.id);
            }
        }
        for (long[] t : tags.values()) {
            gone.remove((int) t[0]);
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (MB b : mb.values()) {
                if (!gone.contains(b.id)) {
                    changed |= gone.remove(b.parentId) | gone.remove(b.replacesId);
                }
            }
        }
        for (MB b : new ArrayList<>(mb.values())) {
            if (gone.contains(b.id)) {
                assertNull(wal.branch(b.id), "the record of unreachable id " + b.id + " is deleted");
                mb.remove(b.id);
                writes.remove(b.id);
            } else {
                assertNotNull(wal.branch(b.id), "the record of id " + b.id + " stays");
            }
        }
    }

    private List<String> storedVersions() {
        List<String> out = new ArrayList<>();
        try (RocksIterator it = wal.db().db().newIterator(wal.db().versions())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                byte[] u = VersionKeys.userKey(key);
                out.add(new String(u, 0, u.length - 1, StandardCharsets.UTF_8) + "|" + VersionKeys.branchId(key, it.value()) + "|" + VersionKeys.lsn(key));
            }
        }
        return out;
    }

    private void reopenAndCheck() {
        wal.close();
        FsckReport report = new FsckReport();
        try (WalInspector in = WalInspector.open(dir)) {
            new WalChecker(in, report).run();
        }
        assertTrue(report.clean(), "fsck after GC: " + report.problems());
        wal = Wal.open(dir);
        assertEquals(horizon, wal.horizonLsn(), "the horizon survives a restart");
    }

    // ---- reads ----

    /** True if the model says a point must be readable: a live branch at or above the horizon or at its head. */
    private boolean mustRead(MB b, long q) {
        long p = Math.min(q, b.head);
        if (b.name != null) {
            return p >= horizon || p == b.head;
        }
        for (long[] t : tags.values()) {
            if (t[0] == b.id && (p == t[1] || (p >= horizon && p <= t[1]))) {
                return true;
            }
        }
        return !b.expired && reflogReachable(b) && p >= horizon;
    }

    /** True if a live name reaches b through its resets. */
    private boolean reflogReachable(MB b) {
        for (MB l : mb.values()) {
            if (l.name == null) {
                continue;
            }
            MB cur = l;
            while (cur.replacesId != 0) {
                MB old = mb.get(cur.replacesId);
                if (old == null) {
                    break;
                }
                if (old.id == b.id) {
                    return true;
                }
                cur = old;
            }
        }
        return false;
    }

    private void checkReads() {
        for (MB b : new ArrayList<>(mb.values())) {
            boolean named = b.name != null;
            boolean reachable = named || reflogReachable(b) || tags.values().stream().anyMatch(t -> t[0] == b.id);
            for (long p = 0; p <= b.head; p++) {
                // Points nothing must keep are sampled: they may only be refused or right.
                if (!reachable && p != b.head && rnd.nextInt(20) != 0) {
                    continue;
                }
                checkView(b, p, mustRead(b, round(b.id, p)));
            }
        }
        for (long[] t : tags.values()) {
            checkView(mb.get((int) t[0]), t[1], true);
        }
    }

    /** One view: the same state as the model, or (only where allowed) refused with HISTORY_GONE. */
    private void checkView(MB b, long p, boolean must) {
        ReadView view;
        try {
            view = wal.viewAt(b.id, p);
        } catch (BranchException e) {
            assertEquals(BranchException.Kind.HISTORY_GONE, e.kind(), e.getMessage());
            if (must) {
                fail("id " + b.id + " (" + b.name + ") at " + p + " must be readable (horizon " + horizon + "): " + e.getMessage());
            }
            return;
        }
        long q = Math.min(round(b.id, p), b.head);
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i < KEYS; i++) {
            String v = read(b.id, q, "k" + i);
            if (v != null) {
                expected.put("k" + i, v);
            }
        }
        Map<String, String> actual = new TreeMap<>();
        try (VersionScan s = wal.scan(view, new byte[0], null)) {
            while (s.hasNext()) {
                VersionScan.Entry e = s.next();
                actual.put(new String(e.userKey(), 0, e.userKey().length - 1, StandardCharsets.UTF_8), new String(e.payload(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(expected, actual, "scan of id " + b.id + " (" + b.name + ") at " + q + ", horizon " + horizon + ", seed " + SEED);
        if (p % 3 == 0 || p == b.head) {
            for (int i = 0; i < KEYS; i++) {
                byte[] got = wal.get(view, k("k" + i));
                assertEquals(expected.get("k" + i), got == null ? null : new String(got, StandardCharsets.UTF_8),
                        "get k" + i + " of id " + b.id + " at " + q + ", seed " + SEED);
            }
        }
    }

    /** The model's answer: the branch's own newest version at or below the bound, else its parent's at the fork point. */
    private String read(int id, long bound, String key) {
        MB b = mb.get(id);
        while (b != null) {
            // Each ancestry level rounds its bound to a commit boundary of its own id, as the WAL does.
            bound = round(b.id, bound);
            TreeMap<Long, String> vs = writes.getOrDefault(b.id, Map.of()).get(key);
            // Nothing above a reclaimed id's ceiling is stored any more (an ancestor level's bound can be above it
            // once the commit it fell inside is gone and no longer rounds).
            Map.Entry<Long, String> f = vs == null ? null : vs.floorEntry(Math.min(bound, tops.getOrDefault(b.id, OPEN)));
            if (f != null) {
                return f.getValue();
            }
            bound = Math.min(bound, b.base);
            b = b.parentId == 0 ? null : mb.get(b.parentId);
        }
        return null;
    }

    /** The id a name showed at a point (the model's reflog). */
    private MB asOf(MB l, long p) {
        MB b = l;
        while (b.replacesId != 0 && p <= b.replacedAt && mb.containsKey(b.replacesId)) {
            b = mb.get(b.replacesId);
        }
        return b;
    }

    /** A point inside a multi-entry commit of that branch id rounds down to the end of the previous state. */
    private long round(int branchId, long p) {
        long x = Math.min(p, lastLsn);
        Map.Entry<Long, long[]> e = commitByStart.floorEntry(x);
        long[] c = e == null || (int) e.getValue()[3] != branchId ? null : e.getValue();
        // GC deletes a reclaimed commit's record, the commit-boundary index, so points inside it no longer round.
        if (c != null && x < c[1] && c[1] <= tops.getOrDefault((int) c[3], OPEN)) {
            return c[0] - 1;
        }
        return Math.max(x, 0);
    }
}
