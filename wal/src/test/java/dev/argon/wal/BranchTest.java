package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonInt32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BranchTest {
    private Path dir;
    private Wal wal;

    @BeforeEach
    void open() throws Exception {
        dir = Files.createTempDirectory("wal-branch-");
        wal = Wal.open(dir);
    }

    @AfterEach
    void close() {
        wal.close();
    }

    private static byte[] k(String s) {
        return (s + "\0").getBytes(StandardCharsets.UTF_8);
    }

    private CommitResult put(int branch, String key, String value, String... more) {
        List<LogEntry> entries = new ArrayList<>();
        entries.add(entry(key, value));
        for (int i = 0; i < more.length; i += 2) {
            entries.add(entry(more[i], more[i + 1]));
        }
        return wal.commit(new CommitRequest(branch, null, null, false, entries));
    }

    private static LogEntry entry(String key, String value) {
        KeyWrite w = value == null ? KeyWrite.tombstone(k(key)) : KeyWrite.put(k(key), value.getBytes(StandardCharsets.UTF_8));
        return new LogEntry("db.c", LogEntry.INSERT, new BsonInt32(0), null, null, List.of(w));
    }

    private String get(ReadView v, String key) {
        byte[] p = wal.get(v, k(key));
        return p == null ? null : new String(p, StandardCharsets.UTF_8);
    }

    /*
     * main:  a=1 ─┬─ a=2, b=1
     *             └─ exp: a=X, (delete) c          grandchild gc from exp: a=G
     */
    @Test
    void childSeesParentAtForkPlusOwnWritesAndNothingLeaksBack() {
        put(Branch.MAIN_ID, "a", "1", "c", "1");
        Branch exp = wal.createBranch("exp", Branch.MAIN_ID, wal.lastLsn(), "t");
        put(Branch.MAIN_ID, "a", "2", "b", "1");
        put(exp.id(), "a", "X");
        put(exp.id(), "c", null);
        Branch gc = wal.createBranch("gc", exp.id(), wal.branch(exp.id()).headLsn(), "t");
        put(gc.id(), "a", "G");

        ReadView main = wal.headView(Branch.MAIN_ID);
        ReadView e = wal.headView(exp.id());
        ReadView g = wal.headView(gc.id());
        assertEquals("2", get(main, "a"));
        assertEquals("1", get(main, "b"));
        assertEquals("1", get(main, "c"));
        assertEquals("X", get(e, "a"));
        assertNull(get(e, "b"), "main's later write is not visible on the child");
        assertNull(get(e, "c"), "a delete on the child hides the parent's document");
        assertEquals("G", get(g, "a"));
        assertNull(get(g, "c"));
        assertEquals(3, g.depth());
    }

    @Test
    void branchFromAPointInsideACommitRoundsDown() {
        put(Branch.MAIN_ID, "a", "1");
        CommitResult multi = put(Branch.MAIN_ID, "a", "2", "b", "2", "c", "2");
        Branch mid = wal.createBranch("mid", Branch.MAIN_ID, multi.startLsn() + 1, "t");
        assertEquals(multi.startLsn() - 1, mid.baseLsn());
        assertEquals("1", get(wal.headView(mid.id()), "a"));
        assertNull(get(wal.headView(mid.id()), "b"));
    }

    @Test
    void namesAreValidatedAndUnique() {
        for (String bad : List.of("", "a.b", "a b", "a$b", "a\"b", "a\\b", "a/b", "a~b", "a@b", "a\0b", "-x", "x".repeat(65), "..", "a\uff0fb", "caf\u0065\u0301")) {
            BranchException e = assertThrows(BranchException.class, () -> wal.createBranch(bad, Branch.MAIN_ID, 0, "t"), bad);
            assertEquals(BranchException.Kind.INVALID_NAME, e.kind());
        }
        wal.createBranch("ok-name_1", Branch.MAIN_ID, 0, "t");
        assertEquals(BranchException.Kind.EXISTS,
                assertThrows(BranchException.class, () -> wal.createBranch("ok-name_1", Branch.MAIN_ID, 0, "t")).kind());
        assertEquals(BranchException.Kind.EXISTS,
                assertThrows(BranchException.class, () -> wal.createBranch("main", Branch.MAIN_ID, 0, "t")).kind());
    }

    @Test
    void dropRefusesMainAndParentsAndRenameMovesTheName() {
        Branch a = wal.createBranch("a", Branch.MAIN_ID, 0, "t");
        Branch b = wal.createBranch("b", a.id(), 0, "t");
        assertEquals(BranchException.Kind.PROTECTED, assertThrows(BranchException.class, () -> wal.dropBranch(Branch.MAIN_ID)).kind());
        assertEquals(BranchException.Kind.HAS_CHILDREN, assertThrows(BranchException.class, () -> wal.dropBranch(a.id())).kind());
        wal.dropBranch(b.id());
        assertNull(wal.branch("b"));
        wal.renameBranch(a.id(), "a2");
        assertNull(wal.branch("a"));
        assertEquals(a.id(), wal.branch("a2").id());
        Branch again = wal.createBranch("b", Branch.MAIN_ID, 0, "t");
        assertEquals(b.id() + 1, again.id(), "a deleted branch's id is never reused");
    }

    @Test
    void mainCannotBeDroppedAfterAReset() {
        put(Branch.MAIN_ID, "a", "1");
        Branch reset = wal.resetBranch(Branch.MAIN_ID, Branch.MAIN_ID, 0, null, "t");
        assertNotEquals(Branch.MAIN_ID, reset.id(), "a reset gives the name a new id");
        assertEquals(BranchException.Kind.PROTECTED, assertThrows(BranchException.class, () -> wal.dropBranch(reset.id())).kind());
        assertEquals(reset.id(), wal.branch("main").id());
    }

    @Test
    void branchesSurviveReopen() {
        put(Branch.MAIN_ID, "a", "1");
        Branch exp = wal.createBranch("exp", Branch.MAIN_ID, wal.lastLsn(), "t");
        put(exp.id(), "a", "2");
        wal.close();
        wal = Wal.open(dir);
        Branch back = wal.branch("exp");
        assertEquals(exp.id(), back.id());
        assertEquals(wal.lastLsn(), back.headLsn());
        assertArrayEquals("2".getBytes(StandardCharsets.UTF_8), wal.get(wal.headView(back.id()), k("a")));
        assertEquals("1", get(wal.headView(Branch.MAIN_ID), "a"));
    }

    @Test
    void creatingABranchWritesNothingProportionalToData() {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            entries.add(entry("k" + i, "v"));
        }
        wal.commit(new CommitRequest(Branch.MAIN_ID, null, null, false, entries));
        long lsnBefore = wal.lastLsn();
        Branch b = wal.createBranch("big", Branch.MAIN_ID, lsnBefore, "t");
        assertEquals(lsnBefore, wal.lastLsn(), "branch creation appends nothing to the log");
        long keys;
        try (VersionScan s = wal.scan(wal.headView(b.id()), new byte[0], null)) {
            int n = 0;
            while (s.hasNext()) {
                s.next();
                n++;
            }
            assertEquals(10_000, n);
            keys = s.keysRead();
        }
        assertEquals(10_000, keys, "the branch reads exactly the parent's keys: nothing was copied");
    }
}
