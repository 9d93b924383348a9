package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.argon.proxy.ArgonServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** Data survives a clean restart, and every acknowledged write survives {@code kill -9}. */
class DurabilityIT extends ArgonTestBase {

    @Test
    void dataSurvivesRestart() {
        MongoCollection<Document> c = db("dur").getCollection("r");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            docs.add(new Document("_id", i).append("v", "x" + i));
        }
        c.insertMany(docs);
        c.createIndex(new Document("v", 1), new com.mongodb.client.model.IndexOptions().unique(true));
        c.deleteOne(Filters.eq("_id", 0));
        restart();
        MongoCollection<Document> after = db("dur").getCollection("r");
        assertEquals(4999, after.countDocuments());
        assertEquals("x4321", after.find(Filters.eq("_id", 4321)).first().getString("v"));
        assertEquals(2, after.listIndexes().into(new ArrayList<>()).size());
        assertEquals(11000, org.junit.jupiter.api.Assertions.assertThrows(com.mongodb.MongoWriteException.class,
                () -> after.insertOne(new Document("v", "x5"))).getError().getCode());
    }

    @Test
    void journaledWritersOfOneBranchShareFsyncs() throws Exception {
        Document before = db("admin").runCommand(new Document("serverStatus", 1));
        long syncsBefore = before.get("argon", Document.class).get("walSyncs", Number.class).longValue();
        MongoCollection<Document> c = db("dur").getCollection("j").withWriteConcern(com.mongodb.WriteConcern.ACKNOWLEDGED.withJournal(true));
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int base = t * 1000;
            Thread th = new Thread(() -> {
                for (int i = 0; i < 50; i++) {
                    c.insertOne(new Document("_id", base + i));
                }
            });
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(800, c.countDocuments());
        long syncs = db("admin").runCommand(new Document("serverStatus", 1)).get("argon", Document.class).get("walSyncs", Number.class).longValue()
                - syncsBefore;
        assertTrue(syncs < 800, "800 journaled inserts from 16 clients took " + syncs + " fsyncs");
        Document groupsBefore = before.get("argon", Document.class).get("groupCommit", Document.class);
        Document groups = db("admin").runCommand(new Document("serverStatus", 1)).get("argon", Document.class).get("groupCommit", Document.class);
        long commits = groups.get("commits", Number.class).longValue() - groupsBefore.get("commits", Number.class).longValue();
        long writes = groups.get("groups", Number.class).longValue() - groupsBefore.get("groups", Number.class).longValue();
        Document breaks = groups.get("batchBreaks", Document.class);
        assertTrue(commits >= 800, "serverStatus counts every commit: " + groups.toJson());
        assertTrue(writes >= 1 && writes <= commits, "groups written: " + groups.toJson());
        assertTrue(breaks.get("full", Number.class).longValue() + breaks.get("idle", Number.class).longValue() >= writes, groups.toJson());
    }

    @Test
    void acknowledgedWritesSurviveKill9() throws Exception {
        Path dir = Files.createTempDirectory("argon-kill-");
        Path portFile = dir.resolve("port");
        Path data = dir.resolve("data");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ChildServer.class.getName(),
                data.toString(), portFile.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(portFile) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(portFile), "child server did not start");
            int port = Integer.parseInt(Files.readString(portFile).trim());
            Set<Integer> acked = ConcurrentHashMap.newKeySet();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            MongoClient load = MongoClients.create("mongodb://127.0.0.1:" + port + "/?directConnection=true&serverSelectionTimeoutMS=2000&retryWrites=false");
            for (int t = 0; t < 4; t++) {
                int base = t * 1_000_000;
                Thread w = new Thread(() -> {
                    MongoCollection<Document> c = load.getDatabase("kill").getCollection("c");
                    for (int i = 0; !stop.get() && i < 200_000; i++) {
                        try {
                            c.insertOne(new Document("_id", base + i).append("pad", "x".repeat(100)));
                            acked.add(base + i);
                        } catch (RuntimeException e) {
                            return;
                        }
                    }
                });
                w.start();
                writers.add(w);
            }
            while (acked.size() < 2000) {
                Thread.sleep(10);
            }
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
            stop.set(true);
            for (Thread w : writers) {
                w.join(30_000);
            }
            load.close();
            try (ArgonServer again = ArgonServer.start(data, "127.0.0.1", 0, null);
                 MongoClient check = MongoClients.create("mongodb://127.0.0.1:" + again.port() + "/")) {
                MongoCollection<Document> c = check.getDatabase("kill").getCollection("c");
                Set<Integer> present = ConcurrentHashMap.newKeySet();
                for (Document d : c.find().projection(new Document("_id", 1))) {
                    present.add(d.getInteger("_id"));
                }
                List<Integer> lost = new ArrayList<>();
                for (Integer id : acked) {
                    if (!present.contains(id)) {
                        lost.add(id);
                    }
                }
                assertTrue(lost.isEmpty(), lost.size() + " acknowledged writes lost, e.g. " + lost.subList(0, Math.min(5, lost.size())));
                assertTrue(present.size() >= acked.size());
            }
        } finally {
            child.destroyForcibly();
            deleteTree(dir);
        }
    }
    @Test
    void afterAFailedFsyncWritesAreRefusedAndReadsWork() throws Exception {
        Path dir = Files.createTempDirectory("argon-fsync-");
        try (ArgonServer own = ArgonServer.start(dir, "127.0.0.1", 0, null);
             MongoClient c = MongoClients.create("mongodb://127.0.0.1:" + own.port() + "/?retryWrites=false")) {
            MongoCollection<Document> coll = c.getDatabase("f").getCollection("c");
            coll.insertOne(new Document("_id", 1));
            own.engine().store().walForTests().faults(new dev.argon.wal.WalFaults() {
                @Override
                public void beforeSync() throws java.io.IOException {
                    throw new java.io.IOException("Input/output error");
                }
            });
            MongoCollection<Document> journaled = coll.withWriteConcern(com.mongodb.WriteConcern.ACKNOWLEDGED.withJournal(true));
            com.mongodb.MongoException first = org.junit.jupiter.api.Assertions.assertThrows(com.mongodb.MongoException.class,
                    () -> journaled.insertOne(new Document("_id", 2)));
            assertEquals(1, first.getCode(), first.getMessage());
            assertTrue(first.getMessage().contains("fsync failed"), first.getMessage());
            own.engine().store().walForTests().faults(null);
            // The store stays refused: a later fsync could succeed without the pages the failed one lost.
            com.mongodb.MongoException later = org.junit.jupiter.api.Assertions.assertThrows(com.mongodb.MongoException.class,
                    () -> journaled.insertOne(new Document("_id", 3)));
            assertEquals(1, later.getCode(), later.getMessage());
            assertEquals(1, coll.find(Filters.eq("_id", 1)).into(new ArrayList<>()).size());
            Document status = c.getDatabase("admin").runCommand(new Document("argonStatus", 1));
            assertEquals("failed", status.get("storage", Document.class).getString("state"));
        } finally {
            deleteTree(dir);
        }
    }

    @Test
    void noWriteLandsOnABranchAfterProtectBranchReturns() throws Exception {
        db("admin").runCommand(new Document("createBranch", "guarded"));
        MongoCollection<Document> c = client.getDatabase("race~guarded").getCollection("c");
        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        List<Integer> codes = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int base = t * 1_000_000;
            Thread w = new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    try {
                        c.insertOne(new Document("_id", base + i));
                        acked.add(base + i);
                    } catch (com.mongodb.MongoException e) {
                        codes.add(e.getCode());
                        return;
                    }
                }
            });
            w.start();
            writers.add(w);
        }
        while (acked.size() < 200) {
            Thread.sleep(5);
        }
        db("admin").runCommand(new Document("protectBranch", "guarded").append("protect", true));
        long atProtect = c.countDocuments();
        for (Thread w : writers) {
            w.join(60_000);
        }
        assertEquals(atProtect, c.countDocuments(), "writes landed after protectBranch returned");
        assertEquals(atProtect, acked.size());
        assertEquals(List.of(13, 13, 13, 13), codes);
    }
}
