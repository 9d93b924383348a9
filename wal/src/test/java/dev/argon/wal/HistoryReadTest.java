package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rocksdb.RocksIterator;

/**
 * A read's work does not grow with history: counted in RocksDB entries stepped onto (a seek counts one), which is
 * what a read costs, for a document with thousands of versions on the reader's own branch, on a sibling, and
 * under a deep ancestry, and for a scan after overwrite rounds.
 */
class HistoryReadTest extends WalFixture {
    private static final int UPDATES = 3_000;

    private void put(int branch, String key, String value) {
        wal.commit(new CommitRequest(branch, null, null, false, List.of(insert(key, v(value)))));
    }

    /** The raw visible value and the work one point read did. */
    private long work(ReadView view, byte[] key, String expected) {
        try (RocksIterator latest = dbOf().db().newIterator(dbOf().latest()); RocksIterator it = dbOf().db().newIterator(dbOf().versions())) {
            VersionCursor c = new VersionCursor(latest, it);
            byte[] raw = c.read(view, key);
            if (expected == null) {
                assertTrue(raw == null || VersionKeys.isTombstone(raw));
            } else {
                assertArrayEquals(v(expected), VersionKeys.payload(raw));
            }
            return c.keysRead();
        }
    }

    private WalDb dbOf() {
        return wal.db();
    }

    @Test
    void aSiblingHammeringOneDocumentDoesNotSlowMainsRead() {
        put(Branch.MAIN_ID, "doc", "main");
        Branch agent = wal.createBranch("agent", Branch.MAIN_ID, wal.lastLsn(), "t");
        for (int i = 0; i < UPDATES; i++) {
            put(agent.id(), "doc", "agent" + i);
        }
        put(Branch.MAIN_ID, "other", "x");
        ReadView main = wal.headView(Branch.MAIN_ID);
        assertArrayEquals(v("main"), wal.get(main, k("doc")));
        assertArrayEquals(v("agent" + (UPDATES - 1)), wal.get(wal.headView(agent.id()), k("doc")));
        long untouched = work(main, k("other"), "x");
        long hot = work(main, k("doc"), "main");
        // One seek lands on main's own entry in the latest family: the agent's 3,000 versions are never touched.
        assertEquals(1, untouched);
        assertEquals(1, hot, "read of the hot document stepped " + hot + " entries");
    }

    @Test
    void aDocumentUpdatedThousandsOfTimesReadsInOneSeekAtTheHeadAndInTheMiddle() {
        long middle = 0;
        for (int i = 0; i < UPDATES; i++) {
            put(Branch.MAIN_ID, "doc", "v" + i);
            if (i == UPDATES / 2) {
                middle = wal.lastLsn();
            }
        }
        // At the head: the latest entry. In the middle: that entry is too new, so one seek into the history.
        assertEquals(1, work(wal.headView(Branch.MAIN_ID), k("doc"), "v" + (UPDATES - 1)));
        assertEquals(2, work(wal.viewAt(Branch.MAIN_ID, middle), k("doc"), "v" + (UPDATES / 2)));
    }

    @Test
    void aDeepAncestryCostsAtMostASeekPerBranchThatWroteTheKey() {
        put(Branch.MAIN_ID, "doc", "main");
        int parent = Branch.MAIN_ID;
        List<Integer> chain = new ArrayList<>();
        for (int level = 1; level < 20; level++) {
            Branch b = wal.createBranch("level" + level, parent, wal.branch(parent).headLsn(), "t");
            // A sibling at every level hammers the key: its versions sit between the reader's ancestors' groups.
            Branch noise = wal.createBranch("noise" + level, parent, wal.branch(parent).headLsn(), "t");
            for (int i = 0; i < 200; i++) {
                put(noise.id(), "doc", "noise" + i);
            }
            chain.add(b.id());
            parent = b.id();
        }
        ReadView deep = wal.headView(parent);
        assertEquals(20, deep.depth());
        long w = work(deep, k("doc"), "main");
        // One latest entry per branch that wrote the key (19 siblings and main), never one step per version (the
        // siblings wrote 3,800).
        assertTrue(w <= 20 + 1, "a read 20 levels deep stepped " + w + " entries");
    }

    @Test
    void aScanAfterOverwriteRoundsStepsPerKeyNotPerVersion() {
        int keys = 500;
        int rounds = 30;
        for (int r = 0; r < rounds; r++) {
            List<LogEntry> batch = new ArrayList<>();
            for (int i = 0; i < keys; i++) {
                batch.add(insert(String.format("k%05d", i), v("r" + r)));
            }
            wal.commit(new CommitRequest(Branch.MAIN_ID, null, null, false, batch));
        }
        try (VersionScan s = wal.scan(wal.headView(Branch.MAIN_ID), new byte[0], null)) {
            int n = 0;
            while (s.hasNext()) {
                assertArrayEquals(v("r" + (rounds - 1)), s.next().payload());
                n++;
            }
            assertEquals(keys, n);
            assertTrue(s.keysRead() <= keys + 1L,
                    "a scan over " + keys + " keys with " + rounds + " versions each stepped " + s.keysRead() + " entries");
        }
    }

    @Test
    void aTombstoneOnTheBranchHidesTheParentsVersion() {
        put(Branch.MAIN_ID, "doc", "main");
        Branch b = wal.createBranch("b", Branch.MAIN_ID, wal.lastLsn(), "t");
        wal.commit(new CommitRequest(b.id(), null, null, false,
                List.of(new LogEntry("db.c", LogEntry.DELETE, new org.bson.BsonInt32(1), null, null, List.of(KeyWrite.tombstone(k("doc")))))));
        assertNull(wal.get(wal.headView(b.id()), k("doc")));
        assertArrayEquals(v("main"), wal.get(wal.headView(Branch.MAIN_ID), k("doc")));
        try (VersionScan s = wal.scan(wal.headView(b.id()), new byte[0], null)) {
            assertTrue(!s.hasNext());
        }
    }
}
