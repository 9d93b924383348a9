package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonInt32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WalTest {
    private Path dir;
    private Wal wal;

    @BeforeEach
    void open() throws Exception {
        dir = Files.createTempDirectory("wal-test-");
        wal = Wal.open(dir);
    }

    @AfterEach
    void close() {
        wal.close();
    }

    private static byte[] k(String s) {
        return (s + "\0").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] v(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private CommitResult put(String key, String value) {
        KeyWrite w = value == null ? KeyWrite.tombstone(k(key)) : KeyWrite.put(k(key), v(value));
        return wal.commit(new CommitRequest(Branch.MAIN_ID, "t", null, false,
                List.of(new LogEntry("db.c", value == null ? LogEntry.DELETE : LogEntry.INSERT, new BsonInt32(1), null, null, List.of(w)))));
    }

    @Test
    void mainExistsAndLsnsAreContiguous() {
        assertEquals(Branch.MAIN, wal.branch(Branch.MAIN_ID).name());
        CommitResult a = put("a", "1");
        CommitResult b = put("b", "2");
        assertEquals(1, a.startLsn());
        assertEquals(2, b.startLsn());
        assertEquals(2, wal.lastLsn());
        assertEquals(2, wal.branch(Branch.MAIN_ID).headLsn());
    }

    @Test
    void readsSeeTheNewestVersionAtOrBelowTheReadPoint() {
        put("a", "1");
        put("a", "2");
        put("a", null);
        put("a", "4");
        assertArrayEquals(v("4"), wal.get(wal.headView(Branch.MAIN_ID), k("a")));
        assertNull(wal.get(wal.viewAt(Branch.MAIN_ID, 3), k("a")));
        assertArrayEquals(v("2"), wal.get(wal.viewAt(Branch.MAIN_ID, 2), k("a")));
        assertArrayEquals(v("1"), wal.get(wal.viewAt(Branch.MAIN_ID, 1), k("a")));
        assertNull(wal.get(wal.viewAt(Branch.MAIN_ID, 0), k("a")));
    }

    @Test
    void scanReturnsOneVisibleVersionPerKeyInOrderAndSkipsTombstones() {
        put("b", "b1");
        put("a", "a1");
        put("c", "c1");
        put("b", "b2");
        put("c", null);
        List<String> seen = new ArrayList<>();
        try (VersionScan s = wal.scan(wal.headView(Branch.MAIN_ID), new byte[0], null)) {
            while (s.hasNext()) {
                VersionScan.Entry e = s.next();
                seen.add(new String(e.payload(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(List.of("a1", "b2"), seen);
        List<String> old = new ArrayList<>();
        try (VersionScan s = wal.scan(wal.viewAt(Branch.MAIN_ID, 3), new byte[0], null)) {
            s.forEachRemaining(e -> old.add(new String(e.payload(), StandardCharsets.UTF_8)));
        }
        assertEquals(List.of("a1", "b1", "c1"), old);
    }

    @Test
    void everythingSurvivesReopen() {
        put("a", "1");
        put("b", "2");
        long id = wal.allocateId();
        wal.close();
        wal = Wal.open(dir);
        assertEquals(2, wal.lastLsn());
        assertEquals(2, wal.branch(Branch.MAIN_ID).headLsn());
        assertArrayEquals(v("2"), wal.get(wal.headView(Branch.MAIN_ID), k("b")));
        assertTrue(wal.allocateId() > id, "ids are never reused across restarts");
    }

    @Test
    void timeIndexFindsTheLastCommitAtOrBeforeATime() throws Exception {
        CommitResult a = put("a", "1");
        Thread.sleep(5);
        CommitResult b = put("a", "2");
        assertEquals(a.endLsn(), wal.lsnAtTime(a.timeMillis()));
        assertEquals(b.endLsn(), wal.lsnAtTime(b.timeMillis() + 1000));
        assertEquals(0, wal.lsnAtTime(a.timeMillis() - 1000));
    }
}
