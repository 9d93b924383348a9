package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.bson.BsonInt32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader builds the same directory whether each family's entries arrive in key order (SST files, ingested)
 * or not (the rest of the family through write batches, {@code latest} rebuilt in a second pass), and leaves no
 * temporary SST files behind.
 */
class WalLoaderTest {
    @TempDir
    Path root;

    private static void put(Wal wal, int branch, String key, String value) {
        byte[] k = ("D" + key + "\0").getBytes(StandardCharsets.UTF_8);
        wal.commit(new CommitRequest(branch, "t", null, false, List.of(new LogEntry("db.c", LogEntry.INSERT, new BsonInt32(1), null, null,
                List.of(KeyWrite.put(k, (value + "-".repeat(300)).getBytes(StandardCharsets.UTF_8)))))));
    }

    private record Raw(String family, byte[] key, byte[] value) {
    }

    @Test
    void orderedAndShuffledInputGiveTheSameDirectory() throws Exception {
        Path source = root.resolve("source");
        List<String> expected;
        List<Raw> raw = new ArrayList<>();
        try (Wal wal = Wal.open(source)) {
            for (int i = 0; i < 3000; i++) {
                put(wal, Branch.MAIN_ID, "k" + (i % 700), "v" + i);
            }
            Branch b = wal.createBranch("b", Branch.MAIN_ID, wal.lastLsn(), "t");
            for (int i = 0; i < 500; i++) {
                put(wal, b.id(), "k" + (i % 300), "b" + i);
            }
            expected = ArchiveRoundTripTest.dump(wal.db());
            try (WalSnapshot snap = wal.snapshot()) {
                for (String f : WalSnapshot.FAMILIES) {
                    for (Iterator<WalSnapshot.Entry> it = snap.scan(f); it.hasNext(); ) {
                        WalSnapshot.Entry e = it.next();
                        raw.add(new Raw(f, e.key(), e.value()));
                    }
                }
            }
        }
        Path ordered = root.resolve("ordered");
        load(ordered, raw);
        // Within each family a shuffled order, families still in their order.
        List<Raw> shuffled = new ArrayList<>();
        for (String f : WalSnapshot.FAMILIES) {
            List<Raw> part = new ArrayList<>(raw.stream().filter(r -> r.family().equals(f)).toList());
            // the first half stays in order (into SST files), the rest comes shuffled (batches)
            List<Raw> tail = part.subList(part.size() / 2, part.size());
            Collections.shuffle(tail, new java.util.Random(7));
            shuffled.addAll(part);
        }
        Path mixed = root.resolve("mixed");
        load(mixed, shuffled);
        for (Path p : List.of(ordered, mixed)) {
            try (WalDb db = new WalDb(p, true)) {
                assertEquals(expected, ArchiveRoundTripTest.dump(db), p.toString());
            }
            assertFalse(Files.exists(p.resolve(WalLoader.SST_DIR)), "temporary SST files left in " + p);
        }
        try (Wal wal = Wal.open(ordered)) {
            assertTrue(wal.lastLsn() > 3000);
        }
    }

    @Test
    void aLoadThatStopsBeforeItsEndLeavesADirectoryThatNoOpenAccepts() {
        Path source = root.resolve("source");
        List<Raw> raw = new ArrayList<>();
        long lastLsn;
        try (Wal wal = Wal.open(source)) {
            for (int i = 0; i < 200; i++) {
                put(wal, Branch.MAIN_ID, "k" + i, "v" + i);
            }
            try (WalSnapshot snap = wal.snapshot()) {
                for (String f : WalSnapshot.FAMILIES) {
                    snap.scan(f).forEachRemaining(e -> raw.add(new Raw(f, e.key(), e.value())));
                }
            }
            lastLsn = wal.lastLsn();
        }
        Path dir = root.resolve("stopped");
        // Every entry loaded, then the process stops before finish(): closing flushes what RocksDB holds, so the
        // directory has more on disk than a kill would leave, and still must not open as if it were whole.
        try (WalLoader loader = WalLoader.create(dir, Long.MAX_VALUE, -1, null)) {
            for (Raw r : raw) {
                loader.put(r.family(), r.key(), r.value());
            }
        }
        WalException e = org.junit.jupiter.api.Assertions.assertThrows(WalException.class, () -> Wal.open(dir));
        assertTrue(e.getMessage().contains("restore that did not finish"), e.getMessage());
        WalException readOnly = org.junit.jupiter.api.Assertions.assertThrows(WalException.class, () -> new WalDb(dir, true));
        assertTrue(readOnly.getMessage().contains("delete the directory and restore again"), readOnly.getMessage());

        Path whole = root.resolve("whole");
        load(whole, raw);
        try (Wal wal = Wal.open(whole)) {
            assertEquals(lastLsn, wal.lastLsn(), "a load that finishes opens");
        }
    }

    private static void load(Path dir, List<Raw> raw) {
        try (WalLoader loader = WalLoader.create(dir, Long.MAX_VALUE, -1, null)) {
            for (Raw r : raw) {
                loader.put(r.family(), r.key(), r.value());
            }
            loader.finish();
        }
    }
}
