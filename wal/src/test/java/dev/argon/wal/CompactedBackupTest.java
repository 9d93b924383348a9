package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.storage.manifest.Manifest;
import dev.argon.storage.manifest.ManifestStore;
import dev.argon.storage.manifest.SegmentRef;
import dev.argon.storage.object.MemoryStore;
import dev.argon.storage.object.ObjectInfo;
import dev.argon.storage.object.ObjectStore;
import dev.argon.wal.archive.ArchiveProgress;
import dev.argon.wal.archive.Backup;
import dev.argon.wal.archive.BackupReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A backup of a compacted directory is the backup of the same directory uncompacted, segment for segment (segments
 * are named by the SHA-256 of their bytes, so equal names are equal bytes): full and incremental, after one pass and
 * after a second whose runs merge with the first's stubs, with the log moved too. Its twin is a file copy of the
 * directory taken before the pass, so both hold the same commits at the same times. And it reads the tier in bulk:
 * a handful of ranged reads per segment, not one per stub or per block.
 */
class CompactedBackupTest {
    private static final int KEYS = 60;
    private Path root;
    private final List<Wal> open = new ArrayList<>();
    private final CountingStore tier = new CountingStore(new MemoryStore());

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createTempDirectory("wal-compacted-backup-");
    }

    @AfterEach
    void tearDown() {
        for (Wal w : open) {
            w.close();
        }
    }

    private Wal openTiered(Path dir) {
        Wal w = Wal.open(dir, new TierConfig(tier, 64L << 20));
        open.add(w);
        return w;
    }

    private Wal openPlain(Path dir) {
        Wal w = Wal.open(dir);
        open.add(w);
        return w;
    }

    private void close(Wal w) {
        open.remove(w);
        w.close();
    }

    /** Commits on a few branches rewriting a small key set (so history piles up per key), tombstones and tags. */
    private static void history(Wal wal, Random rnd, int ops) {
        List<String> names = new ArrayList<>();
        for (Branch b : wal.branches()) {
            names.add(b.name());
        }
        for (int op = 0; op < ops; op++) {
            Branch b = wal.branch(names.get(rnd.nextInt(names.size())));
            int r = rnd.nextInt(100);
            if (r < 2) {
                String child = "b" + names.size();
                wal.createBranch(child, b.id(), b.baseLsn() + (long) (rnd.nextDouble() * (b.headLsn() - b.baseLsn())), "t");
                names.add(child);
            } else if (r < 4) {
                wal.createTag("t" + op, b.id(), b.headLsn(), "t");
            } else {
                List<LogEntry> entries = new ArrayList<>();
                for (int i = 0, n = 1 + rnd.nextInt(3); i < n; i++) {
                    byte[] key = WalFixture.k("key" + rnd.nextInt(KEYS));
                    KeyWrite w = rnd.nextInt(10) == 0 ? KeyWrite.tombstone(key)
                            : KeyWrite.put(key, Bson.bytes(new BsonDocument("v", new BsonString("value " + op + "." + i + " "
                                    + "x".repeat(rnd.nextInt(2000))))));
                    entries.add(LogEntry.versioned("db.c", LogEntry.UPDATE, new BsonInt32(i), true, List.of(w)));
                }
                wal.commit(new CommitRequest(b.id(), null, null, false, entries));
            }
        }
    }

    private static TierReport compact(Wal wal) {
        return wal.compactHistory(new TierRequest(0, System.currentTimeMillis() + 60_000, null, 256 << 10));
    }

    private BackupReport backup(Wal wal, ObjectStore to) {
        return Backup.run(wal::snapshot, to, root.resolve("tmp"), Map.of(), ArchiveProgress.NONE);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else if (!p.getFileName().toString().equals("LOCK")) {
                    Files.copy(p, q, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** The latest manifest's segments as kind/name lines, and its refs and LSNs: what a restore reads. */
    private static List<String> archive(ObjectStore store) {
        Manifest m = new ManifestStore(store).latest().orElseThrow();
        List<String> out = new ArrayList<>();
        out.add("covers " + m.coversLsn() + " since " + m.sinceLsn() + " refs " + m.refs());
        for (SegmentRef s : m.segments()) {
            out.add(s.kind() + " " + s.name() + " " + s.entries() + " " + s.minLsn() + ".." + s.maxLsn());
        }
        return out;
    }

    @Test
    void theArchiveOfACompactedDirectoryIsTheUncompactedOnesAndReadsSegmentsInBulk() throws IOException {
        Path dir = root.resolve("data");
        Path twinDir = root.resolve("twin");
        Wal wal = openTiered(dir);
        Random rnd = new Random(20261202L);
        history(wal, rnd, 1500);
        close(wal);
        copyTree(dir, twinDir);

        wal = openTiered(dir);
        TierReport first = compact(wal);
        assertTrue(first.versions() > 500 && first.segments() > 3 && first.logSegments() > 0, "moved " + first);
        long stubs = first.stubs();

        ObjectStore compacted = new MemoryStore();
        ObjectStore uncompacted = new MemoryStore();
        long readsBefore = tier.ranged.get();
        BackupReport full = backup(wal, compacted);
        long backupReads = tier.ranged.get() - readsBefore;
        Wal twin = openPlain(twinDir);
        backup(twin, uncompacted);
        assertEquals(archive(uncompacted), archive(compacted), "a full backup after one pass");
        assertTrue(full.entries() > first.versions(), "the backup holds the compacted versions: " + full);
        // Bulk: a segment's tail, then its blocks in one window (a segment is far below ColdMerge.READAHEAD). Block by
        // block it would be a read per 32 KiB block: about eight per segment of 256 KiB.
        long segments = first.segments() + first.logSegments();
        assertTrue(backupReads <= 2L * segments,
                backupReads + " ranged reads of the tier for " + segments + " segments (" + stubs + " stubs)");

        // More history, then a second pass over the first one's stubs, and an incremental backup on both archives.
        history(wal, rnd, 800);
        close(twin);
        close(wal);
        Path twin2Dir = root.resolve("twin2");
        copyTree(dir, twin2Dir);
        wal = openTiered(dir);
        TierReport second = compact(wal);
        assertTrue(second.versions() > 0 && second.logEntries() > 0, "second pass " + second);
        BackupReport inc = backup(wal, compacted);
        assertTrue(inc.sinceLsn() > 0, "incremental: " + inc);
        twin = openTiered(twin2Dir); // the first pass's stubs: its tier is the same store
        backup(twin, uncompacted);
        assertEquals(archive(uncompacted), archive(compacted), "an incremental backup after a second pass");

        // And a full backup of the twice-compacted directory is the full backup of its twin, one pass behind.
        ObjectStore fresh = new MemoryStore();
        ObjectStore freshTwin = new MemoryStore();
        backup(wal, fresh);
        backup(twin, freshTwin);
        assertEquals(archive(freshTwin), archive(fresh), "a full backup after two passes");
    }

    /** Counts ranged reads, delegating everything. */
    private static final class CountingStore implements ObjectStore {
        private final ObjectStore inner;
        final AtomicLong ranged = new AtomicLong();

        CountingStore(ObjectStore inner) {
            this.inner = inner;
        }

        @Override
        public void put(String key, byte[] data) {
            inner.put(key, data);
        }

        @Override
        public void put(String key, Path file) {
            inner.put(key, file);
        }

        @Override
        public void put(String key, InputStream data, long length) {
            inner.put(key, data, length);
        }

        @Override
        public boolean putIfAbsent(String key, byte[] data) {
            return inner.putIfAbsent(key, data);
        }

        @Override
        public byte[] get(String key) {
            return inner.get(key);
        }

        @Override
        public byte[] getRange(String key, long offset, int length) {
            ranged.incrementAndGet();
            return inner.getRange(key, offset, length);
        }

        @Override
        public Optional<ObjectInfo> head(String key) {
            return inner.head(key);
        }

        @Override
        public List<ObjectInfo> list(String prefix) {
            return inner.list(prefix);
        }

        @Override
        public void delete(String key) {
            inner.delete(key);
        }

        @Override
        public String describe() {
            return "counting " + inner.describe();
        }

        @Override
        public void close() {
            // Closed by the test's end with the memory store it wraps.
        }
    }
}
