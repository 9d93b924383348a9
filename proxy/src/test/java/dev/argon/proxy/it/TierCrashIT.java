package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
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
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} in the middle of a history compaction: a child server stores a segment and is killed before the
 * batch that would make its stubs visible (a test hook holds it there). The directory opens, fsck is clean, every
 * branch and time-travel point reads as before; a second pass then compacts for real, reads still match, fsck
 * is clean, and a backup of the compacted directory restores to the same per-branch {@code dbHash}.
 */
class TierCrashIT {

    @Test
    void killedMidCompactionOpensCleanAndReadsTheSame() throws Exception {
        Path dir = Files.createTempDirectory("argon-tiercrash-");
        Path data = dir.resolve("data");
        try {
            Process child = start(dir, data, 0, true);
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
                Thread pass = new Thread(() -> {
                    try {
                        admin(c, new Document("compactHistory", 1).append("hotWindowSeconds", 0));
                    } catch (RuntimeException e) {
                        // The connection dies with the process.
                    }
                });
                pass.setDaemon(true);
                pass.start();
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

            Process second = start(dir, data, 1, false);
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

    private static Process start(Path dir, Path data, int n, boolean pause) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        if (pause) {
            cmd.add("-Dargon.wal.tierPauseBeforeBatchMillis=600000");
        }
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
