package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** Storage figures: who owns a version, what only one name reaches, raw against stored bytes, the object folder. */
class StorageCensusTest {
    private static final int VALUE = 100;
    private Path dir;
    private Wal wal;

    @BeforeEach
    void open() throws Exception {
        dir = Files.createTempDirectory("wal-census-");
        wal = Wal.open(dir);
    }

    @AfterEach
    void close() {
        wal.close();
    }

    private static byte[] k(int i) {
        return String.format("k%05d\0", i).getBytes(StandardCharsets.UTF_8);
    }

    /** Raw bytes of one stored version of key i: key, 12-byte suffix, flag and value. */
    private static long versionBytes() {
        return k(0).length + VersionKeys.SUFFIX + 1 + VALUE;
    }

    private void put(int branch, int from, int to, char fill) {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = from; i < to; i++) {
            byte[] v = String.valueOf(fill).repeat(VALUE).getBytes(StandardCharsets.UTF_8);
            entries.add(new LogEntry("db.c", LogEntry.INSERT, new BsonInt32(i), null, null, List.of(KeyWrite.put(k(i), v))));
        }
        wal.commit(new CommitRequest(branch, null, null, false, entries));
    }

    /*
     * main: k0..k99 = a, k0..k4 = b ─┬─ k0..k2 = c (after the fork)
     *                                └─ exp: k10..k19 = x
     */
    @Test
    void aBranchRewritingTenPercentOwnsThatShareAndSharesTheRest() {
        put(Branch.MAIN_ID, 0, 100, 'a');
        put(Branch.MAIN_ID, 0, 5, 'b');
        Branch exp = wal.createBranch("exp", Branch.MAIN_ID, wal.lastLsn(), "t");
        put(exp.id(), 10, 20, 'x');
        put(Branch.MAIN_ID, 0, 3, 'c');

        StorageUsage u = wal.storageUsage(false);
        assertEquals(118, u.versionCount());
        assertEquals(118 * versionBytes(), u.rawVersionBytes());
        StorageUsage.BranchBytes main = u.branches().get("main");
        StorageUsage.BranchBytes e = u.branches().get("exp");
        assertEquals(108, main.versions());
        // exp reads main at its fork: the 100 newest versions there are shared; the 5 'a's overwritten before
        // the fork and the 3 'c's written after it are main's alone.
        assertEquals(8, main.uniqueVersions());
        assertEquals(8 * versionBytes(), main.uniqueBytes());
        assertEquals(new StorageUsage.BranchBytes(10, 10 * versionBytes(), 10, 10 * versionBytes()), e);
        assertEquals(0, u.unownedBytes());
    }

    @Test
    void aResetKeepsTheOldIdsVersionsWithTheNameAndATagHoldsADroppedBranch() {
        put(Branch.MAIN_ID, 0, 10, 'a');
        long base = wal.lastLsn();
        Branch exp = wal.createBranch("exp", Branch.MAIN_ID, base, "t");
        put(exp.id(), 0, 4, 'x');
        Branch reset = wal.resetBranch(exp.id(), Branch.MAIN_ID, base, null, "t");
        put(reset.id(), 0, 2, 'y');
        Branch gone = wal.createBranch("gone", Branch.MAIN_ID, base, "t");
        put(gone.id(), 5, 8, 'z');
        wal.createTag("keep", gone.id(), wal.branch(gone.id()).headLsn(), "t");
        wal.dropBranch(gone.id());

        StorageUsage u = wal.storageUsage(false);
        assertEquals(new StorageUsage.BranchBytes(6, 6 * versionBytes(), 6, 6 * versionBytes()), u.branches().get("exp"),
                "the versions of exp before the reset are still exp's history");
        assertEquals(10, u.branches().get("main").versions());
        assertEquals(0, u.branches().get("main").uniqueVersions(), "exp and the tag read all of main at the fork");
        assertEquals(3 * versionBytes(), u.unownedBytes(), "the dropped branch's versions, held by the tag");
        assertEquals(2, u.branches().size());
    }

    @Test
    void compressibleDataStoresSmallerThanItsRawBytesOnceFlushed() {
        for (int b = 0; b < 20; b++) {
            put(Branch.MAIN_ID, b * 500, (b + 1) * 500, (char) ('a' + b % 3));
        }
        StorageUsage before = wal.storageUsage(false);
        assertTrue(before.families().get("versions").memtableBytes() > 0, before.toString());
        StorageUsage u = wal.storageUsage(true);
        // An empty memtable still takes its first arena block (a few KB).
        assertTrue(u.families().get("versions").memtableBytes() < Math.min(before.families().get("versions").memtableBytes(), 64 << 10),
                "flushed: " + u.families().get("versions"));
        assertTrue(u.families().get("versions").sstBytes() > 0);
        assertTrue(u.compressionRatio() > 2, "repeated characters compress: " + u.compressionRatio());
        assertTrue(u.rocksdbFileBytes() >= u.rocksdbBytes(), u.toString());
    }

    @Test
    void theObjectFolderIsCountedApartFromRocksDb() throws Exception {
        assertEquals(0, wal.storageUsage(false).objectFolderBytes());
        Path objects = Files.createDirectories(dir.resolve(StorageUsage.OBJECT_FOLDER).resolve("segments"));
        Files.write(objects.resolve("a"), new byte[1000]);
        Files.write(objects.resolve("b"), new byte[234]);
        long withoutObjects = wal.storageUsage(false).rocksdbFileBytes();
        StorageUsage u = wal.storageUsage(false);
        assertEquals(1234, u.objectFolderBytes());
        assertEquals(2, u.objectFolderFiles());
        assertTrue(Math.abs(u.rocksdbFileBytes() - withoutObjects) < 1000, "objects are not RocksDB's bytes");
    }
}
