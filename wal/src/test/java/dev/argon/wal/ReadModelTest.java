package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Point reads and scans against a model, over random histories: branches forked at heads and at old points,
 * resets (new ids over old ones), hot keys rewritten many times, tombstones, multi-entry commits. The model is
 * the definition of visibility: among the versions the view's ancestry may see (branch in the ancestry, LSN at
 * or below that member's bound), the one with the highest LSN. Seed: {@code -Dargon.readmodel.seed}.
 */
class ReadModelTest extends WalFixture {
    private record Version(int branch, long lsn, String key, String value) {}

    private final List<Version> versions = new ArrayList<>();
    private static final String[] KEYS = {"a", "b", "c", "hot", "d", "e", "f", "g"};

    private String modelGet(ReadView view, String key) {
        Version best = null;
        for (Version x : versions) {
            if (x.key.equals(key) && view.visible(x.branch, x.lsn) && (best == null || x.lsn > best.lsn)) {
                best = x;
            }
        }
        return best == null ? null : best.value;
    }

    @Test
    void readsMatchTheModel() {
        long seed = Long.getLong("argon.readmodel.seed", 20261201L);
        Random rnd = new Random(seed);
        List<String> names = new ArrayList<>(List.of(Branch.MAIN));
        int branchNo = 0;
        for (int op = 0; op < 1_500; op++) {
            String name = names.get(rnd.nextInt(names.size()));
            Branch b = wal.branch(name);
            int r = rnd.nextInt(100);
            if (r < 8) {
                long at = rnd.nextBoolean() ? b.headLsn() : b.baseLsn() + (long) (rnd.nextDouble() * (b.headLsn() - b.baseLsn()));
                String child = "b" + (++branchNo);
                wal.createBranch(child, b.id(), at, "t");
                names.add(child);
            } else if (r < 11 && !name.equals(Branch.MAIN) || r < 9) {
                Branch other = wal.branch(names.get(rnd.nextInt(names.size())));
                long point = other.baseLsn() + (long) (rnd.nextDouble() * (other.headLsn() - other.baseLsn()));
                wal.resetBranch(b.id(), other.id(), point, null, "t");
            } else {
                int n = 1 + (rnd.nextInt(10) == 0 ? rnd.nextInt(5) : 0);
                List<LogEntry> entries = new ArrayList<>();
                List<String[]> written = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String key = rnd.nextInt(3) == 0 ? "hot" : KEYS[rnd.nextInt(KEYS.length)];
                    String value = rnd.nextInt(8) == 0 ? null : "v" + op + "." + i;
                    entries.add(new LogEntry("db.c", value == null ? LogEntry.DELETE : LogEntry.UPDATE, new org.bson.BsonInt32(i), null, null,
                            List.of(value == null ? KeyWrite.tombstone(k(key)) : KeyWrite.put(k(key), v(value)))));
                    written.add(new String[] {key, value});
                }
                CommitResult c = wal.commit(new CommitRequest(b.id(), null, null, false, entries));
                for (int i = 0; i < n; i++) {
                    versions.add(new Version(b.id(), c.startLsn() + i, written.get(i)[0], written.get(i)[1]));
                }
            }
        }
        long checks = 0;
        for (String name : names) {
            Branch b = wal.branch(name);
            List<ReadView> views = new ArrayList<>(List.of(wal.headView(b.id())));
            for (int i = 0; i < 5; i++) {
                views.add(wal.viewAt(b.id(), b.baseLsn() + (long) (rnd.nextDouble() * (b.headLsn() - b.baseLsn()))));
            }
            for (ReadView view : views) {
                TreeMap<String, String> expected = new TreeMap<>();
                for (String key : KEYS) {
                    String want = modelGet(view, key);
                    byte[] got = wal.get(view, k(key));
                    assertEquals(want, got == null ? null : new String(got, java.nio.charset.StandardCharsets.UTF_8),
                            "seed " + seed + ": " + key + " in " + view);
                    if (want != null) {
                        expected.put(key, want);
                    }
                    checks++;
                }
                List<String> scanned = new ArrayList<>();
                try (VersionScan s = wal.scan(view, new byte[0], null)) {
                    while (s.hasNext()) {
                        VersionScan.Entry e = s.next();
                        String key = new String(e.userKey(), 0, e.userKey().length - 1, java.nio.charset.StandardCharsets.UTF_8);
                        assertArrayEquals(v(expected.get(key)), e.payload(), "seed " + seed + ": scan " + key + " in " + view);
                        scanned.add(key);
                    }
                }
                assertEquals(new ArrayList<>(expected.keySet()), scanned, "seed " + seed + ": scan keys in " + view + " " + Arrays.toString(KEYS));
                checkBackward(view, expected, seed, null, new byte[0]);
                checkBackward(view, expected, seed, null, v("h"));
                for (String before : List.of("a", "d", "hot\0", "zz", "e", "e\0")) {
                    checkBackward(view, expected, seed, v(before), new byte[0]);
                }
                checkBackward(view, expected, seed, v("hp"), v("h"));
            }
        }
        assertEquals(true, checks > 1_000, "the history gave enough reads to check: " + checks);
    }

    /**
     * The backward scan yields exactly the forward scan's keys and payloads under prefix, reversed, stopping
     * below before (exclusive) when given: the model's visible keys, filtered and in descending order.
     */
    private void checkBackward(ReadView view, TreeMap<String, String> expected, long seed, byte[] before, byte[] prefix) {
        List<String> want = new ArrayList<>();
        for (String key : expected.descendingKeySet()) {
            byte[] uk = k(key);
            boolean under = uk.length >= prefix.length && Arrays.equals(uk, 0, prefix.length, prefix, 0, prefix.length);
            if (under && (before == null || Arrays.compareUnsigned(uk, before) < 0)) {
                want.add(key);
            }
        }
        List<String> got = new ArrayList<>();
        try (VersionScan s = wal.scanBackward(view, prefix, before)) {
            while (s.hasNext()) {
                VersionScan.Entry e = s.next();
                String key = new String(e.userKey(), 0, e.userKey().length - 1, java.nio.charset.StandardCharsets.UTF_8);
                assertArrayEquals(v(expected.get(key)), e.payload(), "seed " + seed + ": backward scan " + key + " in " + view);
                got.add(key);
            }
        }
        String where = before == null ? "" : " before " + new String(before, java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(want, got, "seed " + seed + ": backward scan keys in " + view + where);
    }
}
