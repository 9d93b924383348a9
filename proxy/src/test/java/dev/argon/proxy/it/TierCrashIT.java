package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.argon.engine.store.StoreChecker;
import dev.argon.proxy.ArgonServer;
import dev.argon.storage.object.LocalFolderStore;
import dev.argon.wal.FsckReport;
import dev.argon.wal.archive.ArchiveProgress;
import dev.argon.wal.archive.Restore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} in the middle of a history compaction: a child server stores a segment and is killed before the
 * batch that would make its stubs visible (a test hook holds it there). The directory opens, fsck is clean, every
 * branch and time-travel point reads as before; a second pass then compacts for real, reads still match, fsck
 * is clean, and a backup of the compacted directory restores to the same per-branch {@code dbHash}.
 */
class TierCrashIT {
    /** TierCompactor's test hooks: wait after a history segment (a log segment) is stored, before its batch. */
    private static final String PAUSE_PROPERTY = "argon.wal.tierPauseBeforeBatchMillis";
    private static final String LOG_PAUSE_PROPERTY = "argon.wal.tierPauseBeforeLogBatchMillis";

    @Test
    void killedMidCompactionOpensCleanAndReadsTheSame() throws Exception {
        Path dir = Files.createTempDirectory("argon-tiercrash-");
        Path data = dir.resolve("data");
        try {
            Process child = start(dir, data, 0, "-D" + PAUSE_PROPERTY + "=600000");
            Map<String, Object> before;
            List<Long> points = new ArrayList<>();
            try (MongoClient c = client(port(dir, 0, child))) {
                MongoCollection<Document> items = c.getDatabase("shop").getCollection("items");
                for (int i = 1; i <= 40; i++) {
                    items.insertOne(new Document("_id", i).append("v", 0));
                }
                admin(c, new Document("createBranch", "exp"));
                MongoCollection<Document> exp = c.getDatabase("shop~exp").getCollection("items");
                for (int round = 1; round <= 20; round++) {
                    exp.updateMany(Filters.lte("_id", 20), Updates.set("v", "exp-" + round));
                    items.updateMany(Filters.gt("_id", 30), Updates.set("v", "main-" + round));
                    if (round % 4 == 0) {
                        points.add(((Number) admin(c, new Document("argonStatus", 1)).get("headLsn")).longValue());
                    }
                }
                before = reads(c, points);
                passInBackground(c);
                Path segments = data.resolve("objects").resolve("tier").resolve("segments");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (count(segments) == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(count(segments) > 0, "the pass stored a segment");
            }
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

            FsckReport afterKill = StoreChecker.check(data);
            assertEquals(List.of(), afterKill.problems(), "fsck after the kill");

            Process second = start(dir, data, 1);
            Path archive = dir.resolve("archive");
            Map<String, Document> hashes = new LinkedHashMap<>();
            try (MongoClient c = client(port(dir, 1, second))) {
                assertEquals(before, reads(c, points), "reads after the kill");
                Document r = admin(c, new Document("compactHistory", 1).append("hotWindowSeconds", 0));
                assertTrue(((Number) r.get("versions")).longValue() > 100, r.toJson());
                assertEquals(before, reads(c, points), "reads after a full pass");
                for (String ref : List.of("main", "exp", "main@" + points.get(0), "exp@" + points.get(1))) {
                    hashes.put(ref, hash(c, ref));
                }
                admin(c, new Document("argonBackup", 1).append("to", archive.toUri().toString()));
            } finally {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
            }
            assertEquals(List.of(), StoreChecker.check(data).problems(), "fsck after the full pass");

            Path restored = dir.resolve("restored");
            try (LocalFolderStore store = new LocalFolderStore(archive)) {
                Restore.run(store, restored, null, null, ArchiveProgress.NONE);
            }
            try (ArgonServer s = ArgonServer.start(restored, "127.0.0.1", 0, null);
                 MongoClient c = client(s.port())) {
                for (Map.Entry<String, Document> e : hashes.entrySet()) {
                    assertEquals(e.getValue(), hash(c, e.getKey()), "dbHash of " + e.getKey() + " after backup and restore");
                }
                assertEquals(before, reads(c, points), "reads of the restored directory");
            }
        } finally {
            ArgonTestBase.deleteTree(dir);
        }
    }

    /**
     * {@code kill -9} inside the compactor's log batch: a first pass moves the log up to a cutoff, more writes
     * follow, and a second pass is killed after storing the log segment of the entries above that cutoff and before
     * the batch that deletes them locally and records the segment. The directory opens (fsck clean), change streams
     * resumed from tokens below and above the first cutoff and a diff and branch log over the whole history answer as
     * before, the stored segment is not in the catalog, and the next pass moves those entries, adopting the stored
     * segment (the same content under the same name), after which reads still match.
     */
    @Test
    void killedInsideTheLogBatchOpensAndReadsTheLogAsBefore() throws Exception {
        Path dir = Files.createTempDirectory("argon-tiercrash-log-");
        Path data = dir.resolve("data");
        try {
            BsonDocument belowToken;
            BsonDocument aboveToken;
            long point;
            Process first = start(dir, data, 0);
            try (MongoClient c = client(port(dir, 0, first))) {
                MongoCollection<Document> items = c.getDatabase("shop").getCollection("items");
                belowToken = token(items, "below");
                for (int i = 1; i <= 40; i++) {
                    items.insertOne(new Document("_id", i).append("v", 0));
                }
                admin(c, new Document("createBranch", "exp"));
                rounds(c, 1, 8);
                point = ((Number) admin(c, new Document("argonStatus", 1)).get("headLsn")).longValue();
                Document r = admin(c, new Document("compactHistory", 1).append("hotWindowSeconds", 0));
                assertTrue(((Number) r.get("logEntries")).longValue() > 50, r.toJson());
                aboveToken = token(items, "above");
                rounds(c, 9, 16);
            } finally {
                first.destroy();
                first.waitFor(30, TimeUnit.SECONDS);
            }

            Process second = start(dir, data, 1, "-D" + LOG_PAUSE_PROPERTY + "=600000");
            Map<String, Object> before;
            try (MongoClient c = client(port(dir, 1, second))) {
                before = logReads(c, belowToken, aboveToken, point, null);
                assertTrue(((List<?>) before.get("stream below")).size() > ((List<?>) before.get("stream above")).size(), before.keySet().toString());
                passInBackground(c);
                // The versions pass's batches follow their segments at once; a stored segment that the catalog does
                // not name for a second is the log segment the hook holds.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                long since = -1;
                while (System.nanoTime() < deadline) {
                    boolean held = segmentFiles(data) > catalogSegments(c);
                    if (!held) {
                        since = -1;
                    } else if (since < 0) {
                        since = System.nanoTime();
                    } else if (System.nanoTime() - since > TimeUnit.SECONDS.toNanos(1)) {
                        break;
                    }
                    Thread.sleep(20);
                }
                assertTrue(since > 0 && segmentFiles(data) == catalogSegments(c) + 1, "the log pass holds one stored segment");
            }
            second.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertEquals(List.of(), StoreChecker.check(data).problems(), "fsck after the kill");

            Process third = start(dir, data, 2);
            try (MongoClient c = client(port(dir, 2, third))) {
                assertEquals(before, logReads(c, belowToken, aboveToken, point, before), "log reads after the kill");
                assertEquals(catalogSegments(c) + 1, segmentFiles(data), "the killed pass's log segment is stored, unnamed");
                Document r = admin(c, new Document("compactHistory", 1).append("hotWindowSeconds", 0));
                assertTrue(((Number) r.get("logEntries")).longValue() > 50, "the next pass moves the log: " + r.toJson());
                assertEquals(before, logReads(c, belowToken, aboveToken, point, before), "log reads after the next pass");
                assertEquals(catalogSegments(c), segmentFiles(data), "the next pass stored the same log segment");
            } finally {
                third.destroy();
                third.waitFor(30, TimeUnit.SECONDS);
            }
            assertEquals(List.of(), StoreChecker.check(data).problems(), "fsck after the next pass");
        } finally {
            ArgonTestBase.deleteTree(dir);
        }
    }

    /** Starts a compaction pass (hot window 0) on a thread of its own, which the kill interrupts. */
    private static void passInBackground(MongoClient c) {
        Thread pass = new Thread(() -> {
            try {
                admin(c, new Document("compactHistory", 1).append("hotWindowSeconds", 0));
            } catch (RuntimeException e) {
                // The connection dies with the process.
            }
        });
        pass.setDaemon(true);
        pass.start();
    }

    /** Rounds of updates on exp and main, from..to inclusive. */
    private static void rounds(MongoClient c, int from, int to) {
        MongoCollection<Document> items = c.getDatabase("shop").getCollection("items");
        MongoCollection<Document> exp = c.getDatabase("shop~exp").getCollection("items");
        for (int round = from; round <= to; round++) {
            exp.updateMany(Filters.lte("_id", 20), Updates.set("v", "exp-" + round));
            items.updateMany(Filters.gt("_id", 30), Updates.set("v", "main-" + round));
        }
    }

    /** The resume token of inserting a document with this _id into items. */
    private static BsonDocument token(MongoCollection<Document> items, String id) {
        try (MongoCursor<BsonDocument> c = items.watch().maxAwaitTime(200, TimeUnit.MILLISECONDS)
                .withDocumentClass(BsonDocument.class).cursor()) {
            items.insertOne(new Document("_id", id));
            return c.next().getDocument("_id");
        }
    }

    /**
     * What reads the log: change streams resumed from both tokens, a diff from a time-travel point, branch logs.
     * With {@code like} (an earlier answer), a stream stops at as many events as it had then, not at an idle wait.
     */
    private static Map<String, Object> logReads(MongoClient c, BsonDocument below, BsonDocument above, long point,
                                                Map<String, Object> like) {
        MongoCollection<Document> items = c.getDatabase("shop").getCollection("items");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("stream below", HistoryTierIT.events(items, below, like == null ? 1000 : ((List<?>) like.get("stream below")).size()));
        out.put("stream above", HistoryTierIT.events(items, above, like == null ? 1000 : ((List<?>) like.get("stream above")).size()));
        out.put("diff", CommandCursor.run(c, "admin", new Document("diff", "exp@" + point).append("to", "exp").append("full", true), null).all());
        for (String b : List.of("main", "exp")) {
            List<Document> log = CommandCursor.run(c, "admin", new Document("branchLog", b).append("limit", 0), null).all();
            log.forEach(d -> d.remove("time"));
            out.put("branchLog " + b, log);
        }
        return out;
    }

    private static long segmentFiles(Path data) throws Exception {
        return count(data.resolve("objects").resolve("tier").resolve("segments"));
    }

    private static long catalogSegments(MongoClient c) {
        return ((Number) admin(c, new Document("argonStorage", 1)).get("tier", Document.class).get("segments")).longValue();
    }

    private static Document hash(MongoClient c, String ref) {
        Document h = c.getDatabase("shop~" + ref).runCommand(new Document("dbHash", 1));
        return new Document("collections", h.get("collections")).append("md5", h.get("md5"));
    }

    private static Map<String, Object> reads(MongoClient c, List<Long> points) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> refs = new ArrayList<>(List.of("main", "exp"));
        for (long p : points) {
            refs.add("main@" + p);
            refs.add("exp@" + p);
        }
        for (String ref : refs) {
            out.put(ref, c.getDatabase("shop~" + ref).getCollection("items").find().sort(new Document("_id", 1)).into(new ArrayList<>()));
        }
        return out;
    }

    private static Document admin(MongoClient c, Document command) {
        return c.getDatabase("admin").runCommand(command);
    }

    private static long count(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.count();
        }
    }

    /** @param properties {@code -D} options of the child JVM (the test hooks) */
    private static Process start(Path dir, Path data, int n, String... properties) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        cmd.addAll(List.of(properties));
        cmd.addAll(List.of(ChildServer.class.getName(), data.toString(), dir.resolve("port" + n).toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child" + n + ".log").toFile()).start();
    }

    private static int port(Path dir, int n, Process child) throws Exception {
        Path portFile = dir.resolve("port" + n);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(portFile) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (!Files.exists(portFile)) {
            fail("the server did not start: " + Files.readString(dir.resolve("child" + n + ".log")));
        }
        return Integer.parseInt(Files.readString(portFile).trim());
    }

    private static MongoClient client(int port) {
        return MongoClients.create("mongodb://127.0.0.1:" + port
                + "/?directConnection=true&serverSelectionTimeoutMS=5000&retryWrites=false&retryReads=false&socketTimeoutMS=0");
    }
}
