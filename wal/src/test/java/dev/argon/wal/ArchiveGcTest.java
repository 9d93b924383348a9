package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.storage.manifest.Manifest;
import dev.argon.storage.manifest.ManifestStore;
import dev.argon.storage.manifest.SegmentRef;
import dev.argon.storage.object.LocalFolderStore;
import dev.argon.storage.object.ObjectInfo;
import dev.argon.storage.object.ObjectStore;
import dev.argon.storage.segment.SegmentReader;
import dev.argon.wal.archive.ArchiveGc;
import dev.argon.wal.archive.ArchiveProgress;
import dev.argon.wal.archive.Backup;
import dev.argon.wal.archive.BackupReport;
import dev.argon.wal.archive.Restore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bson.BsonInt32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GC of an archive in a local folder: the segments a failed backup left behind go only once older than the grace
 * period, nothing a manifest names ever goes, every manifest restores the same afterwards, and a damaged manifest
 * stops the GC before it deletes anything.
 */
class ArchiveGcTest {
    private static final long HOUR = 3_600_000L;

    private Path root;
    private Path dir;
    private Wal wal;

    @BeforeEach
    void open() throws Exception {
        root = Files.createTempDirectory("archive-gc-test-");
        dir = root.resolve("data");
        wal = Wal.open(dir);
    }

    @AfterEach
    void close() {
        if (wal != null) {
            wal.close();
        }
    }

    private void put(String key, String value) {
        KeyWrite w = KeyWrite.put(("D" + key + "\0").getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        wal.commit(new CommitRequest(Branch.MAIN_ID, "t", null, false,
                List.of(new LogEntry("db.c", LogEntry.INSERT, new BsonInt32(1), null, null, List.of(w)))));
    }

    private BackupReport backup(ObjectStore store) {
        return Backup.run(wal::snapshot, store, root.resolve("tmp"), Map.of(), ArchiveProgress.NONE);
    }

    private static Set<String> referenced(ObjectStore store) {
        ManifestStore ms = new ManifestStore(store);
        Set<String> out = new TreeSet<>();
        for (long seq : ms.sequences()) {
            for (SegmentRef s : ms.read(seq).segments()) {
                out.add(s.objectKey());
            }
        }
        return out;
    }

    private static Set<String> stored(ObjectStore store) {
        Set<String> out = new TreeSet<>();
        for (ObjectInfo o : store.list(SegmentRef.PREFIX)) {
            out.add(o.key());
        }
        return out;
    }

    /** Restores the newest manifest, cut at {@code at} (null: all of it), and dumps every family. */
    private List<String> restore(ObjectStore store, String at, String name) {
        Path d = root.resolve(name);
        Restore.run(store, d, at, null, ArchiveProgress.NONE);
        try (WalDb db = new WalDb(d, true)) {
            return ArchiveRoundTripTest.dump(db);
        }
    }

    /** Every segment every manifest names is there, whole: its entries read back, as many as the manifest says. */
    private static void everyManifestIsWhole(ObjectStore store) {
        ManifestStore ms = new ManifestStore(store);
        for (long seq : ms.sequences()) {
            Manifest m = ms.read(seq);
            for (SegmentRef s : m.segments()) {
                long n = 0;
                for (Iterator<?> it = SegmentReader.open(store, s.objectKey(), s.size()).scan(null, null); it.hasNext(); it.next()) {
                    n++;
                }
                assertEquals(s.entries(), n, "manifest " + seq + ", " + s);
            }
        }
    }

    @Test
    void aFailedBackupsLeftoversGoAfterTheGracePeriodNotBeforeAndEveryManifestStillRestores() throws Exception {
        Path folder = root.resolve("archive");
        try (FailingUploadStore store = new FailingUploadStore(new LocalFolderStore(folder))) {
            for (int i = 0; i < 40; i++) {
                put("k" + (i % 13), "v" + i);
            }
            BackupReport first = backup(store);
            for (int i = 0; i < 20; i++) {
                put("k" + i, "w" + i);
            }
            backup(store);
            put("k100", "never archived");
            store.failAfterPuts = 2;
            assertThrows(IllegalStateException.class, () -> backup(store));
            store.failAfterPuts = Integer.MAX_VALUE;

            Set<String> kept = referenced(store);
            Set<String> leftovers = new TreeSet<>(stored(store));
            leftovers.removeAll(kept);
            assertEquals(2, leftovers.size(), "the failed backup stored two segments and no manifest: " + leftovers);
            List<String> newestBefore = restore(store, null, "before");
            List<String> firstBefore = restore(store, Long.toString(first.coversLsn()), "before-first");

            long now = System.currentTimeMillis();
            ArchiveGc.Report early = ArchiveGc.run(store, HOUR, now, false);
            assertEquals(List.of(), early.removed(), "younger than the grace period: kept");
            assertEquals(leftovers, keys(early.young()));
            assertEquals(2, early.manifests());
            assertEquals(kept.size(), early.referenced());
            assertTrue(stored(store).containsAll(leftovers));

            ArchiveGc.Report dry = ArchiveGc.run(store, HOUR, now + 2 * HOUR, true);
            assertEquals(leftovers, keys(dry.removed()));
            assertTrue(dry.dryRun());
            assertTrue(dry.removedBytes() > 0);
            assertTrue(stored(store).containsAll(leftovers), "a dry run deletes nothing");

            ArchiveGc.Report late = ArchiveGc.run(store, HOUR, now + 2 * HOUR, false);
            assertEquals(leftovers, keys(late.removed()));
            assertEquals(kept, stored(store), "exactly what the manifests name is left");
            assertEquals(List.of(), ArchiveGc.run(store, 0, now + 2 * HOUR, false).removed(), "a second pass finds nothing");

            everyManifestIsWhole(store);
            assertEquals(newestBefore, restore(store, null, "after"));
            assertEquals(firstBefore, restore(store, Long.toString(first.coversLsn()), "after-first"));
        }
    }

    @Test
    void aRetriedBackupReusesTheLeftoversSoTheyAreKept() {
        try (FailingUploadStore store = new FailingUploadStore(new LocalFolderStore(root.resolve("archive")))) {
            for (int i = 0; i < 30; i++) {
                put("k" + i, "v" + i);
            }
            backup(store);
            put("k1", "again");
            store.failAfterPuts = 2;
            assertThrows(IllegalStateException.class, () -> backup(store));
            store.failAfterPuts = Integer.MAX_VALUE;
            Set<String> leftovers = new TreeSet<>(stored(store));
            leftovers.removeAll(referenced(store));
            assertFalse(leftovers.isEmpty());
            // The retry makes the same segments (content-addressed), finds them stored, and its manifest names them.
            backup(store);
            assertTrue(referenced(store).containsAll(leftovers));
            ArchiveGc.Report r = ArchiveGc.run(store, 0, System.currentTimeMillis() + 2 * HOUR, false);
            assertEquals(List.of(), r.removed());
            everyManifestIsWhole(store);
        }
    }

    @Test
    void aDamagedManifestStopsTheGcBeforeItDeletesAnything() {
        try (LocalFolderStore store = new LocalFolderStore(root.resolve("archive"))) {
            put("a", "1");
            backup(store);
            put("b", "2");
            backup(store);
            store.put(SegmentRef.PREFIX + "0".repeat(64), new byte[] {1, 2, 3}); // an unreferenced object
            byte[] m = store.get(ManifestStore.key(1));
            m[m.length / 2] ^= 1;
            store.put(ManifestStore.key(1), m);
            Set<String> before = stored(store);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ArchiveGc.run(store, 0, System.currentTimeMillis() + 2 * HOUR, false));
            assertTrue(e.getMessage().contains("manifest 1") && e.getMessage().contains("deletes nothing"), e.getMessage());
            assertEquals(before, stored(store));
        }
    }

    @Test
    void compactionMergesAChainsSmallSegmentsAndTheOldOnesGoWithTheRetiredManifests() {
        try (LocalFolderStore store = new LocalFolderStore(root.resolve("archive"))) {
            long secondLsn = 0;
            for (int b = 0; b < 5; b++) {
                for (int i = 0; i < 12; i++) {
                    put("k" + ((i * 7 + b) % 19), "b" + b + "-" + i);
                }
                BackupReport r = backup(store);
                secondLsn = b == 1 ? r.coversLsn() : secondLsn;
            }
            Manifest before = new ManifestStore(store).latest().orElseThrow();
            List<String> newest = restore(store, null, "newest-before");
            List<String> atSecond = restore(store, Long.toString(secondLsn), "second-before");

            ArchiveGc.Report noop = ArchiveGc.run(store, HOUR, System.currentTimeMillis(), false, 1);
            assertEquals(List.of(), noop.retired(), "nothing to retire before compaction's manifest, and none superseded an hour ago");

            dev.argon.wal.archive.ArchiveCompact.Report c = dev.argon.wal.archive.ArchiveCompact.run(store, root.resolve("tmp"),
                    dev.argon.wal.archive.ArchiveCompact.SMALL_BYTES, ArchiveProgress.NONE);
            assertEquals(6, c.sequence());
            // (no meta segments: commits write no append-only metadata key since commitEnd/ is gone)
            assertEquals(5 * 4, c.segmentsMerged(), "five backups' log, versions, commits and times segments: " + c);
            assertEquals(4, c.segmentsStored(), "one merged segment per kind: " + c);
            Manifest after = new ManifestStore(store).latest().orElseThrow();
            assertEquals(before.coversLsn(), after.coversLsn());
            assertEquals(before.refs(), after.refs());
            assertEquals(5, after.segments().size(), "four merged kinds and the metadata state");
            everyManifestIsWhole(store);
            assertEquals(newest, restore(store, null, "newest-after"));
            assertEquals(atSecond, restore(store, Long.toString(secondLsn), "second-after"));

            // Within the grace period the old manifests stay, and so do their segments.
            long now = System.currentTimeMillis();
            ArchiveGc.Report early = ArchiveGc.run(store, HOUR, now, false, 1);
            assertEquals(List.of(), early.retired());
            assertEquals(List.of(), early.removed());
            ArchiveGc.Report late = ArchiveGc.run(store, HOUR, now + 2 * HOUR, false, 1);
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), late.retired());
            assertEquals(List.of(6L), new ManifestStore(store).sequences());
            assertEquals(referenced(store), stored(store), "only the compacted manifest's segments are left");
            assertTrue(late.removed().size() >= 20, late.removed().toString());
            assertEquals(newest, restore(store, null, "newest-gc"));
            assertEquals(atSecond, restore(store, Long.toString(secondLsn), "second-gc"));

            // The next backup extends the compacted manifest as usual.
            put("k1", "after compaction");
            BackupReport next = backup(store);
            assertEquals(7, next.sequence());
            List<String> original = ArchiveRoundTripTest.dump(wal.db());
            wal.close();
            wal = null;
            assertEquals(original, restore(store, null, "after-next"));
        }
    }

    @Test
    void aDamagedNewestManifestKeepsTheOlderOnesFromRetirement() {
        try (LocalFolderStore store = new LocalFolderStore(root.resolve("archive"))) {
            put("a", "1");
            backup(store);
            put("b", "2");
            backup(store);
            byte[] m = store.get(ManifestStore.key(2));
            m[m.length / 2] ^= 1;
            store.put(ManifestStore.key(2), m);
            assertThrows(IllegalStateException.class, () -> ArchiveGc.run(store, 0, System.currentTimeMillis() + 2 * HOUR, false, 1));
            assertEquals(List.of(1L, 2L), new ManifestStore(store).sequences(), "manifest 1 is what a restore still reads");
            assertEquals(1, new ManifestStore(store).latest().orElseThrow().sequence());
        }
    }

    @Test
    void compactionWithNothingSmallToMergePublishesNothing() {
        try (LocalFolderStore store = new LocalFolderStore(root.resolve("archive"))) {
            put("a", "1");
            backup(store);
            dev.argon.wal.archive.ArchiveCompact.Report c = dev.argon.wal.archive.ArchiveCompact.run(store, root.resolve("tmp"),
                    dev.argon.wal.archive.ArchiveCompact.SMALL_BYTES, ArchiveProgress.NONE);
            assertEquals(0, c.sequence(), "one backup: one segment per kind, nothing to merge");
            assertEquals(List.of(1L), new ManifestStore(store).sequences());
        }
    }

    private static Set<String> keys(List<ArchiveGc.Item> items) {
        Set<String> out = new HashSet<>();
        for (ArchiveGc.Item i : items) {
            out.add(i.key());
        }
        return new TreeSet<>(out);
    }
}
