package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.storage.manifest.ManifestStore;
import dev.argon.storage.object.LocalFolderStore;
import dev.argon.storage.object.MemoryStore;
import dev.argon.storage.object.ObjectStore;
import dev.argon.wal.archive.ArchiveProgress;
import dev.argon.wal.archive.Backup;
import dev.argon.wal.archive.BackupReport;
import dev.argon.wal.archive.Restore;
import dev.argon.wal.archive.RestoreReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bson.BsonInt32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksIterator;

/**
 * Backup and restore at the WAL level: every column family of the restored directory is byte-identical to the
 * original (the {@code latest} family rebuilt too), incremental backups ship only what is new, a cut restores
 * what a time-travel read at that LSN saw, a clone holds one branch, and a failed upload leaves the previous
 * manifest usable.
 */
class ArchiveRoundTripTest {
    private Path root;
    private Path dir;
    private Wal wal;

    @BeforeEach
    void open() throws Exception {
        root = Files.createTempDirectory("archive-test-");
        dir = root.resolve("data");
        wal = Wal.open(dir);
    }

    @AfterEach
    void close() {
        wal.close();
    }

    private static byte[] k(String s) {
        return ("D" + s + "\0").getBytes(StandardCharsets.UTF_8);
    }

    private CommitResult put(int branch, String key, String value) {
        KeyWrite w = value == null ? KeyWrite.tombstone(k(key)) : KeyWrite.put(k(key), value.getBytes(StandardCharsets.UTF_8));
        return wal.commit(new CommitRequest(branch, "t", null, false,
                List.of(new LogEntry("db.c", value == null ? LogEntry.DELETE : LogEntry.INSERT, new BsonInt32(1), null, null, List.of(w)))));
    }

    private BackupReport backup(ObjectStore store) {
        return Backup.run(wal::snapshot, store, root.resolve("tmp"), Map.of("source", dir.toString()), ArchiveProgress.NONE);
    }

    /** Every entry of every family as hex lines, so that a difference shows in the assertion message. */
    static List<String> dump(WalDb db) {
        List<String> out = new ArrayList<>();
        ColumnFamilyHandle[] hs = {db.meta(), db.log(), db.versions(), db.commits(), db.times(), db.latest()};
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < hs.length; i++) {
            try (RocksIterator it = db.db().newIterator(hs[i])) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    out.add(WalDb.FAMILY_NAMES[i] + " " + hex.formatHex(it.key()) + " " + hex.formatHex(it.value()));
                }
            }
        }
        return out;
    }

    private static FsckReport fsck(Path d) {
        FsckReport report = new FsckReport();
        try (WalInspector in = WalInspector.open(d)) {
            new WalChecker(in, report).run();
        }
        return report;
    }

    private void history() {
        for (int i = 0; i < 50; i++) {
            put(Branch.MAIN_ID, "k" + (i % 17), "v" + i);
        }
        put(Branch.MAIN_ID, "k3", null);
        Branch exp = wal.createBranch("exp", Branch.MAIN_ID, wal.lastLsn(), "t");
        for (int i = 0; i < 10; i++) {
            put(exp.id(), "k" + i, "exp" + i);
        }
        wal.createTag("t1", exp.id(), wal.lastLsn(), "t");
        put(Branch.MAIN_ID, "k1", "after-fork");
    }

    @Test
    void aRestoredDirectoryIsIdenticalInEveryFamilyAndPassesFsck() {
        history();
        MemoryStore store = new MemoryStore();
        BackupReport b = backup(store);
        assertEquals(1, b.sequence());
        assertEquals(wal.lastLsn(), b.coversLsn());
        assertTrue(b.segmentsStored() >= 5, "one segment per kind at least: " + b);
        List<String> before = dump(wal.db());
        wal.close();

        Path restored = root.resolve("restored");
        RestoreReport r = Restore.run(store, restored, null, null, ArchiveProgress.NONE);
        assertEquals(b.coversLsn(), r.restoredLsn());
        assertEquals(2, r.branches());
        try (WalDb db = new WalDb(restored, true)) {
            assertEquals(before, dump(db));
        }
        assertTrue(fsck(restored).clean(), fsck(restored).problems().toString());
        wal = Wal.open(dir);
    }

    @Test
    void aSecondBackupShipsOnlyNewEntriesAndReusesSegments() {
        history();
        MemoryStore store = new MemoryStore();
        BackupReport first = backup(store);
        BackupReport same = backup(store);
        // Nothing new: the append-only kinds ship nothing, the metadata state is the same content, so reused.
        assertEquals(0, same.segmentsStored(), same.toString());
        assertEquals(1, same.segmentsReused(), same.toString());
        // k0 sorts before what the first backup's versions segment holds: the restore meets versions out of order
        // and rebuilds latest in a second pass
        put(Branch.MAIN_ID, "k0", "new");
        BackupReport second = backup(store);
        assertEquals(3, second.sequence());
        assertEquals(first.coversLsn(), second.sinceLsn());
        // the new commit: one segment each of log, versions, commits, times, and a new metadata state (a commit
        // writes no key of the append-only part of the metadata, the meta kind, since commitEnd/ is gone)
        assertEquals(5, second.segmentsStored(), second.toString());
        assertTrue(second.bytesStored() < first.bytesStored(), second + " vs " + first);
        assertTrue(second.entries() < 20, second.toString());
        assertEquals(first.segmentsTotal() + 4, second.segmentsTotal());

        List<String> before = dump(wal.db());
        wal.close();
        Path restored = root.resolve("restored");
        Restore.run(store, restored, null, null, ArchiveProgress.NONE);
        try (WalDb db = new WalDb(restored, true)) {
            assertEquals(before, dump(db));
        }
        wal = Wal.open(dir);
    }

    @Test
    void aCutRestoresWhatATimeTravelReadSawAndLeavesLaterBranchesOut() throws Exception {
        for (int i = 0; i < 20; i++) {
            put(Branch.MAIN_ID, "k" + (i % 7), "v" + i);
        }
        long cut = wal.lastLsn();
        Thread.sleep(5);
        Branch later = wal.createBranch("later", Branch.MAIN_ID, cut, "t");
        put(later.id(), "k1", "on-later");
        put(Branch.MAIN_ID, "k2", "after-cut");
        put(Branch.MAIN_ID, "k100", "after-cut");
        MemoryStore store = new MemoryStore();
        backup(store);
        Map<String, byte[]> expected = new java.util.TreeMap<>();
        for (int i = 0; i <= 100; i++) {
            byte[] v = wal.get(wal.viewAt(Branch.MAIN_ID, cut), k("k" + i));
            if (v != null) {
                expected.put("k" + i, v);
            }
        }
        wal.close();
        Path restored = root.resolve("restored");
        RestoreReport r = Restore.run(store, restored, Long.toString(cut), null, ArchiveProgress.NONE);
        assertEquals(cut, r.restoredLsn());
        assertTrue(fsck(restored).clean(), fsck(restored).problems().toString());
        try (Wal w = Wal.open(restored)) {
            assertNull(w.branch("later"));
            assertEquals(cut, w.branch(Branch.MAIN).headLsn());
            assertEquals(cut, w.lastLsn());
            for (int i = 0; i <= 100; i++) {
                byte[] v = w.get(w.headView(Branch.MAIN_ID), k("k" + i));
                assertArrayEquals(expected.get("k" + i), v, "k" + i);
            }
            // the restored directory takes new commits after the cut
            assertEquals(cut + 1, putOn(w, "k5", "next").startLsn());
        }
        wal = Wal.open(dir);
    }

    @Test
    void aCutAtATagOrATimeRestoresThatPoint() throws Exception {
        history(); // ends with tag t1 on exp's head, then one more commit on main
        long tagLsn = wal.tag("t1").lsn();
        byte[] mainAtTag = wal.get(wal.viewAt(Branch.MAIN_ID, tagLsn), k("k1"));
        Thread.sleep(5);
        CommitResult later = put(Branch.MAIN_ID, "k1", "later");
        Thread.sleep(5);
        put(Branch.MAIN_ID, "k1", "latest");
        MemoryStore store = new MemoryStore();
        backup(store);
        wal.close();
        Path byTag = root.resolve("by-tag");
        assertEquals(tagLsn, Restore.run(store, byTag, "t1", null, ArchiveProgress.NONE).restoredLsn());
        try (Wal w = Wal.open(byTag)) {
            assertArrayEquals(mainAtTag, w.get(w.headView(Branch.MAIN_ID), k("k1")));
            assertEquals(tagLsn, w.branch("exp").headLsn());
            assertNotNull(w.tag("t1"));
        }
        Path byTime = root.resolve("by-time");
        String time = java.time.Instant.ofEpochMilli(later.timeMillis()).toString();
        assertEquals(later.endLsn(), Restore.run(store, byTime, time, null, ArchiveProgress.NONE).restoredLsn());
        try (Wal w = Wal.open(byTime)) {
            assertArrayEquals("later".getBytes(StandardCharsets.UTF_8), w.get(w.headView(Branch.MAIN_ID), k("k1")));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Restore.run(store, root.resolve("bad"), "no-such-tag", null, ArchiveProgress.NONE));
        assertTrue(e.getMessage().contains("none of them"), e.getMessage());
        assertFalse(Files.exists(root.resolve("bad")));
        wal = Wal.open(dir);
    }

    private static CommitResult putOn(Wal w, String key, String value) {
        return w.commit(new CommitRequest(Branch.MAIN_ID, "t", null, false, List.of(new LogEntry("db.c", LogEntry.INSERT,
                new BsonInt32(1), null, null, List.of(KeyWrite.put(k(key), value.getBytes(StandardCharsets.UTF_8)))))));
    }

    @Test
    void aCloneHoldsOneBranchWithItsAncestryUpToTheForkPoint() {
        history();
        Branch exp = wal.branch("exp");
        Map<String, byte[]> expected = new java.util.TreeMap<>();
        for (int i = 0; i < 17; i++) {
            byte[] v = wal.get(wal.headView(exp.id()), k("k" + i));
            if (v != null) {
                expected.put("k" + i, v);
            }
        }
        MemoryStore store = new MemoryStore();
        backup(store);
        wal.close();
        Path cloned = root.resolve("clone");
        RestoreReport r = Restore.run(store, cloned, null, "exp", ArchiveProgress.NONE);
        assertEquals("exp", r.branch());
        FsckReport f = fsck(cloned);
        assertTrue(f.clean(), f.problems().toString());
        try (Wal w = Wal.open(cloned)) {
            Branch c = w.branch("exp");
            assertNotNull(c);
            assertEquals(exp.headLsn(), c.headLsn());
            for (int i = 0; i < 17; i++) {
                assertArrayEquals(expected.get("k" + i), w.get(w.headView(c.id()), k("k" + i)), "k" + i);
            }
            assertNotNull(w.tag("t1"));
        }
        wal = Wal.open(dir);
    }

    @Test
    void aBackupWhileWritersRunRestoresAStateThatExistedAtItsLsn() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread writer = new Thread(() -> {
            int i = 0;
            while (!stop.get()) {
                try {
                    put(Branch.MAIN_ID, "w" + (i % 300), "v" + i++);
                } catch (Throwable t) {
                    errors.add(t);
                    return;
                }
            }
        });
        for (int i = 0; i < 2000; i++) {
            put(Branch.MAIN_ID, "w" + (i % 300), "seed" + i);
        }
        writer.start();
        MemoryStore store = new MemoryStore();
        BackupReport b;
        try {
            b = backup(store);
        } finally {
            stop.set(true);
            writer.join();
        }
        assertTrue(errors.isEmpty(), errors.toString());
        assertTrue(wal.lastLsn() > b.coversLsn(), "writes went on after the snapshot");
        Map<String, byte[]> atLsn = new java.util.TreeMap<>();
        for (int i = 0; i < 300; i++) {
            atLsn.put("w" + i, wal.get(wal.viewAt(Branch.MAIN_ID, b.coversLsn()), k("w" + i)));
        }
        wal.close();
        Path restored = root.resolve("restored");
        Restore.run(store, restored, null, null, ArchiveProgress.NONE);
        try (Wal w = Wal.open(restored)) {
            assertEquals(b.coversLsn(), w.branch(Branch.MAIN).headLsn());
            for (int i = 0; i < 300; i++) {
                assertArrayEquals(atLsn.get("w" + i), w.get(w.headView(Branch.MAIN_ID), k("w" + i)), "w" + i);
            }
        }
        wal = Wal.open(dir);
    }

    @Test
    void anUploadThatDiesMidwayLeavesThePreviousManifestInCharge() {
        history();
        FailingUploadStore store = new FailingUploadStore(new MemoryStore());
        BackupReport first = backup(store);
        List<String> atFirst = dump(wal.db());
        put(Branch.MAIN_ID, "k200", "lost");
        store.failAfterPuts = 2;
        assertThrows(IllegalStateException.class, () -> backup(store));
        assertEquals(first.sequence(), new ManifestStore(store).latest().orElseThrow().sequence());
        wal.close();
        Path restored = root.resolve("restored");
        Restore.run(store, restored, null, null, ArchiveProgress.NONE);
        try (WalDb db = new WalDb(restored, true)) {
            assertEquals(atFirst, dump(db));
        }
        wal = Wal.open(dir);
    }

    @Test
    void aFolderTargetWorksAndANonEmptyDirectoryIsRefusedUntouched() throws Exception {
        history();
        Path folder = root.resolve("archive");
        try (LocalFolderStore store = new LocalFolderStore(folder)) {
            backup(store);
        }
        assertTrue(Files.isRegularFile(folder.resolve("latest")));
        wal.close();
        Path busy = root.resolve("busy");
        Files.createDirectories(busy);
        Files.writeString(busy.resolve("keep.txt"), "mine");
        try (LocalFolderStore store = new LocalFolderStore(folder)) {
            WalException e = assertThrows(WalException.class, () -> Restore.run(store, busy, null, null, ArchiveProgress.NONE));
            assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        }
        assertEquals("mine", Files.readString(busy.resolve("keep.txt")));
        assertFalse(Files.exists(busy.resolve("CURRENT")));
        wal = Wal.open(dir);
    }

    @Test
    void anotherDirectorysArchiveIsRefusedRatherThanMixedIn() throws Exception {
        put(Branch.MAIN_ID, "a", "1");
        MemoryStore store = new MemoryStore();
        backup(store);
        try (Wal other = Wal.open(root.resolve("other"))) {
            for (int i = 0; i < 5; i++) {
                other.commit(new CommitRequest(Branch.MAIN_ID, "t", null, false, List.of(new LogEntry("db.c", LogEntry.INSERT,
                        new BsonInt32(1), null, null, List.of(KeyWrite.put(k("b" + i), new byte[] {1}))))));
            }
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Backup.run(other::snapshot, store, root.resolve("tmp2"), Map.of(), ArchiveProgress.NONE));
            assertTrue(e.getMessage().contains("another data directory"), e.getMessage());
        }
        assertEquals(1, new ManifestStore(store).latest().orElseThrow().sequence());
    }
}
