package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.BsonInt32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The structural checks: clean on a directory the WAL wrote, and each kind of damage is named. */
class WalCheckerTest {
    private Path dir;
    private long singleKeyCommit;

    private static byte[] k(String s) {
        return (s + "\0").getBytes(StandardCharsets.UTF_8);
    }

    private static CommitResult put(Wal wal, int branch, String... kv) {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            KeyWrite w = kv[i + 1] == null ? KeyWrite.tombstone(k(kv[i])) : KeyWrite.put(k(kv[i]), kv[i + 1].getBytes(StandardCharsets.UTF_8));
            entries.add(new LogEntry("db.c", kv[i + 1] == null ? LogEntry.DELETE : LogEntry.INSERT, new BsonInt32(i), null, null, List.of(w)));
        }
        return wal.commit(new CommitRequest(branch, "t", null, false, entries));
    }

    /** Commits on main and on branches, a multi-entry commit, a reset with a backup, a tag, a dropped branch. */
    @BeforeEach
    void workload() throws Exception {
        dir = Files.createTempDirectory("wal-fsck-");
        try (Wal wal = Wal.open(dir)) {
            put(wal, Branch.MAIN_ID, "a", "1", "b", "2", "c", "3");
            singleKeyCommit = put(wal, Branch.MAIN_ID, "a", "1b").endLsn();
            Branch exp = wal.createBranch("exp", Branch.MAIN_ID, wal.lastLsn(), "t");
            put(wal, exp.id(), "a", "x", "d", "4");
            put(wal, Branch.MAIN_ID, "b", null);
            long mid = put(wal, exp.id(), "e", "5").endLsn();
            put(wal, exp.id(), "e", "6");
            wal.resetBranch(exp.id(), exp.id(), mid, "exp-backup", "t");
            put(wal, wal.branch("exp").id(), "f", "7");
            wal.createTag("v1", Branch.MAIN_ID, wal.lastLsn(), "t");
            Branch gone = wal.createBranch("gone", Branch.MAIN_ID, wal.lastLsn(), "t");
            put(wal, gone.id(), "g", "8");
            wal.dropBranch(gone.id());
        }
    }

    private FsckReport check() {
        FsckReport report = new FsckReport();
        try (WalInspector in = WalInspector.open(dir)) {
            new WalChecker(in, report).run();
        }
        return report;
    }

    @Test
    void cleanAfterARealWorkload() {
        FsckReport r = check();
        assertTrue(r.clean(), r.problems().toString());
        assertEquals(11L, r.counts().get("logEntries"));
        assertEquals(5L, r.counts().get("branches"), "main, exp (old and new id), exp-backup and gone");
    }

    @Test
    void cleanAfterEverythingIsFlushedToSstFiles() throws Exception {
        try (Damage d = new Damage(dir)) {
            d.flush();
        }
        FsckReport r = check();
        assertTrue(r.clean(), r.problems().toString());
    }

    @Test
    void aDeletedVersionKeyIsReported() throws Exception {
        try (Damage d = new Damage(dir)) {
            assertEquals(1, d.deleteVersionsAt(singleKeyCommit));
        }
        FsckReport r = check();
        assertFalse(r.clean());
        assertTrue(r.has(FsckReport.VERSION_MISSING), r.problems().toString());
    }

    @Test
    void aStaleOrMissingLatestVersionIsReported() throws Exception {
        try (Damage d = new Damage(dir)) {
            assertEquals(1, d.deleteLatestOf(singleKeyCommit));
        }
        FsckReport r = check();
        assertTrue(r.has(FsckReport.LATEST), r.problems().toString());
        assertTrue(r.problems().stream().anyMatch(p -> p.message().contains("no latest-version entry")), r.problems().toString());
    }

    @Test
    void aVersionWithoutALogEntryIsReported() throws Exception {
        try (Damage d = new Damage(dir)) {
            d.putVersion(k("zz"), singleKeyCommit, 7, new byte[] {1});
        }
        FsckReport r = check();
        assertTrue(r.has(FsckReport.VERSION_ORPHAN), r.problems().toString());
    }

    @Test
    void anExtraLogEntryIsReported() throws Exception {
        long last;
        try (WalInspector in = WalInspector.open(dir)) {
            last = in.lastLsn();
        }
        try (Damage d = new Damage(dir)) {
            d.putLogEntry(last + 1, Branch.MAIN_ID);
        }
        FsckReport r = check();
        assertTrue(r.has(FsckReport.LOG_OUTSIDE_COMMIT), r.problems().toString());
        assertTrue(r.has(FsckReport.LAST_LSN), r.problems().toString());
    }

    @Test
    void aHeadMovedPastItsDataIsReported() throws Exception {
        long head;
        try (WalInspector in = WalInspector.open(dir)) {
            head = in.branch(Branch.MAIN_ID).headLsn();
        }
        try (Damage d = new Damage(dir)) {
            d.setHead(Branch.MAIN_ID, head + 50);
        }
        FsckReport r = check();
        assertTrue(r.problems().stream().anyMatch(p -> p.check().equals(FsckReport.BRANCH_HEAD) && p.message().contains("above lastLsn")),
                r.problems().toString());
        assertTrue(r.problems().stream().anyMatch(p -> p.check().equals(FsckReport.BRANCH_HEAD) && p.message().contains("last commit ends at " + head)),
                r.problems().toString());
    }

    @Test
    void aCorruptedByteInAnSstFileIsReported() throws Exception {
        try (Damage d = new Damage(dir)) {
            d.flush();
        }
        Damage.corruptLargestSst(dir);
        FsckReport r = check();
        assertTrue(r.has(FsckReport.CHECKSUM), r.problems().toString());
    }

    @Test
    void aDirectoryAnotherProcessHasOpenIsRefused() throws Exception {
        Path ready = dir.resolveSibling(dir.getFileName() + ".ready");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), HoldOpen.class.getName(),
                dir.toString(), ready.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(ready) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(Files.exists(ready), "the child did not open the directory");
            DataDirInUseException e = assertThrows(DataDirInUseException.class, () -> WalInspector.open(dir));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            Files.deleteIfExists(ready);
        }
        assertTrue(check().clean(), "usable again once the other process is gone");
    }

    @Test
    void aDirectoryThisProcessHasOpenIsRefused() {
        try (Wal wal = Wal.open(dir)) {
            assertThrows(DataDirInUseException.class, () -> WalInspector.open(dir));
        }
    }

    @Test
    void somethingThatIsNotADataDirectoryIsRefused() throws Exception {
        Path empty = Files.createTempDirectory("wal-fsck-empty-");
        assertThrows(IllegalArgumentException.class, () -> WalInspector.open(empty));
        assertFalse(Files.exists(empty.resolve("CURRENT")), "the check creates nothing");
    }
}
