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
import com.mongodb.client.result.DeleteResult;
import com.mongodb.client.result.UpdateResult;
import dev.argon.engine.store.StoreChecker;
import dev.argon.wal.FsckReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Large writes stream and stay atomic: {@code updateMany} and {@code deleteMany} over a million small documents
 * finish on a server with a 256 MB heap, a {@code kill -9} in the middle of one leaves all or nothing (and the
 * orphaned chunks never show up later), and readers see the old state until the reply. The server runs as a
 * child JVM started with {@code argon.streaming.javaOpts} (default {@code -Xss4m -Xmx256m}, what
 * {@code ARGON_JAVA_OPTS="-Xss4m -Xmx256m" ./argon serve} gives). Sizes: {@code argon.streaming.docs} (default
 * 1,000,000) for the heap test, {@code argon.streaming.killDocs} (default 200,000) for the others.
 */
class StreamingWriteIT {
    private static final String JAVA_OPTS = System.getProperty("argon.streaming.javaOpts", "-Xss4m -Xmx256m");
    private static final int DOCS = Integer.getInteger("argon.streaming.docs", 1_000_000);
    private static final int KILL_DOCS = Integer.getInteger("argon.streaming.killDocs", 200_000);
    /** How long one command may take before the client gives up on its reply (measured here: seconds). */
    private static final int COMMAND_MINUTES = 4;

    /** A server in a child JVM on its own data directory. */
    private static final class Child implements AutoCloseable {
        final Path dir;
        final Path data;
        private Process process;
        private int starts;
        MongoClient client;

        Child() throws Exception {
            dir = Files.createTempDirectory("argon-stream-");
            data = dir.resolve("data");
        }

        void start() throws Exception {
            int n = starts++;
            Path portFile = dir.resolve("port" + n);
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (String o : JAVA_OPTS.trim().split("\\s+")) {
                if (!o.isEmpty()) {
                    cmd.add(o);
                }
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ChildServer.class.getName(), data.toString(), portFile.toString()));
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child" + n + ".log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(portFile) && process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (!Files.exists(portFile)) {
                fail("the child server did not start: " + log(n));
            }
            int port = Integer.parseInt(Files.readString(portFile).trim());
            // A command over a million documents takes a while, and must still get its reply within a few minutes.
            client = MongoClients.create("mongodb://127.0.0.1:" + port + "/?directConnection=true&serverSelectionTimeoutMS=5000"
                    + "&socketTimeoutMS=" + TimeUnit.MINUTES.toMillis(COMMAND_MINUTES) + "&retryWrites=false&retryReads=false");
        }

        String log(int n) {
            try {
                String s = Files.readString(dir.resolve("child" + n + ".log"));
                return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
            } catch (Exception e) {
                return "(no log: " + e + ")";
            }
        }

        String lastLog() {
            return log(starts - 1);
        }

        boolean alive() {
            return process.isAlive();
        }

        void kill9() throws Exception {
            client.close();
            process.destroyForcibly();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        }

        /** SIGTERM: the server closes cleanly, as {@code argon serve} does. */
        void stop() throws Exception {
            client.close();
            process.destroy();
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the child server did not stop");
        }

        MongoCollection<Document> coll() {
            return client.getDatabase("big").getCollection("c");
        }

        Document staging() {
            return client.getDatabase("admin").runCommand(new Document("serverStatus", 1)).get("argon", Document.class).get("staging", Document.class);
        }

        long chunks() {
            return staging().get("chunks", Number.class).longValue();
        }

        @Override
        public void close() {
            if (client != null) {
                client.close();
            }
            if (process != null) {
                process.destroyForcibly();
            }
            ArgonTestBase.deleteTree(dir);
        }
    }

    private static Document seed(int i) {
        return new Document("_id", i).append("n", 0).append("g", i % 10).append("s", "d" + i);
    }

    private static void load(MongoCollection<Document> c, int n) {
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(seed(i));
            if (batch.size() == 10_000) {
                c.insertMany(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            c.insertMany(batch);
        }
    }

    private static long seconds(long t0) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
    }

    private static void assertClean(Path data) {
        FsckReport report = StoreChecker.check(data);
        assertTrue(report.clean(), report.problemCount() + " problems, e.g. "
                + report.problems().subList(0, Math.min(10, report.problems().size())));
    }

    @Test
    void updateManyAndDeleteManyOverAMillionDocumentsOnA256MbHeap() throws Exception {
        try (Child child = new Child()) {
            child.start();
            MongoCollection<Document> c = child.coll();
            long t0 = System.nanoTime();
            load(c, DOCS);
            System.out.println("loaded " + DOCS + " documents in " + seconds(t0) + " s");
            assertEquals(DOCS, c.countDocuments());

            long chunksBefore = child.chunks();
            long t1 = System.nanoTime();
            UpdateResult u = c.updateMany(new Document(), Updates.inc("n", 1));
            System.out.println("updateMany over " + DOCS + " documents: " + seconds(t1) + " s");
            assertEquals(DOCS, u.getMatchedCount());
            assertEquals(DOCS, u.getModifiedCount());
            assertTrue(child.chunks() - chunksBefore >= DOCS / 5_000, "the update was written in chunks: " + child.staging().toJson());
            assertEquals(DOCS, c.countDocuments(Filters.eq("n", 1)));
            assertEquals(0, c.countDocuments(Filters.ne("n", 1)));
            assertEquals(DOCS / 10, c.countDocuments(Filters.eq("g", 7)));
            for (int id : new int[] {0, DOCS / 2, DOCS - 1}) {
                assertEquals(seed(id).append("n", 1), c.find(Filters.eq("_id", id)).first());
            }

            long t2 = System.nanoTime();
            DeleteResult d = c.deleteMany(new Document());
            System.out.println("deleteMany over " + DOCS + " documents: " + seconds(t2) + " s");
            assertEquals(DOCS, d.getDeletedCount());
            assertEquals(0, c.countDocuments());
            assertTrue(child.alive(), child.lastLog());
            assertEquals(0, child.staging().get("aborted", Number.class).longValue());
            System.out.println("whole test: " + seconds(t0) + " s; staging " + child.staging().toJson());
        }
    }

    @Test
    void killedDuringDeleteManyRestartsWithAllOrNothing() throws Exception {
        killMidway(c -> c.deleteMany(new Document()), c -> {
            long left = c.countDocuments();
            assertTrue(left == KILL_DOCS || left == 0, "deleteMany was torn: " + left + " of " + KILL_DOCS + " documents left");
            return left == KILL_DOCS;
        });
    }

    @Test
    void killedDuringUpdateManyRestartsWithAllOrNothing() throws Exception {
        killMidway(c -> c.updateMany(new Document(), Updates.inc("n", 1)), c -> {
            long updated = c.countDocuments(Filters.eq("n", 1));
            assertTrue(updated == KILL_DOCS || updated == 0, "updateMany was torn: " + updated + " of " + KILL_DOCS + " documents updated");
            assertEquals(KILL_DOCS, c.countDocuments());
            return updated == 0;
        });
    }

    /**
     * Loads, starts the write, waits until it has staged at least one chunk, kills the server with SIGKILL,
     * checks the stopped directory, restarts, and checks all or nothing (nothing is expected: the reply never
     * came). Then writes to the same branch and checks that the orphaned chunks stay invisible.
     */
    private void killMidway(Consumer<MongoCollection<Document>> write, java.util.function.Predicate<MongoCollection<Document>> untouched)
            throws Exception {
        try (Child child = new Child()) {
            child.start();
            load(child.coll(), KILL_DOCS);
            long before = child.chunks();
            CompletableFuture<Void> running = CompletableFuture.runAsync(() -> write.accept(child.coll()));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (child.chunks() == before && !running.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(child.chunks() > before, "no chunk was staged: " + child.staging().toJson());
            child.kill9();
            assertTrue(running.isCompletedExceptionally() || !waitDone(running),
                    "the write finished before the kill; raise argon.streaming.killDocs so that the kill lands in the middle");

            // A stopped directory with an unpublished streamed write is consistent as it is.
            assertClean(child.data);
            child.start();
            MongoCollection<Document> c = child.coll();
            assertTrue(untouched.test(c), "the unacknowledged write was published");
            assertEquals(1, child.staging().get("recovered", Number.class).longValue(), child.staging().toJson());

            // The branch moves on, far past the orphaned chunks' LSNs: they must never show up.
            c.insertOne(seed(KILL_DOCS));
            c.updateMany(Filters.lt("_id", 10), Updates.set("s", "after"));
            c.deleteOne(Filters.eq("_id", 10));
            assertEquals(KILL_DOCS, c.countDocuments());
            assertEquals(0, c.countDocuments(Filters.eq("n", 1)));
            assertEquals(10, c.countDocuments(Filters.eq("s", "after")));
            assertEquals(seed(KILL_DOCS / 2), c.find(Filters.eq("_id", KILL_DOCS / 2)).first());
            child.stop();
            assertClean(child.data);
        }
    }

    private static boolean waitDone(CompletableFuture<Void> f) {
        try {
            f.get(30, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void readersSeeTheOldStateUntilTheReply() throws Exception {
        try (Child child = new Child()) {
            child.start();
            load(child.coll(), KILL_DOCS);
            MongoCollection<Document> c = child.coll();
            MongoCursor<Document> before = c.find().batchSize(100).iterator();
            assertEquals(seed(0), before.next());

            long chunks = child.chunks();
            CompletableFuture<UpdateResult> running = CompletableFuture.supplyAsync(() -> child.coll().updateMany(new Document(), Updates.inc("n", 1)));
            while (child.chunks() == chunks && !running.isDone()) {
                Thread.sleep(5);
            }
            int zeros = 0;
            while (!running.isDone()) {
                long seen = c.countDocuments(Filters.eq("n", 1));
                if (!running.isDone()) {
                    assertEquals(0, seen, "a reader saw part of an updateMany that had not replied yet");
                    zeros++;
                } else {
                    assertTrue(seen == 0 || seen == KILL_DOCS, "a reader saw part of an updateMany: " + seen);
                }
            }
            assertEquals(KILL_DOCS, running.get().getModifiedCount());
            assertTrue(zeros > 0, "no read landed while the update streamed; raise argon.streaming.killDocs");
            assertEquals(KILL_DOCS, c.countDocuments(Filters.eq("n", 1)));

            // The cursor opened before keeps the state it started on, to its end.
            long rest = 1;
            while (before.hasNext()) {
                Document d = before.next();
                assertEquals(0, d.getInteger("n"), "the cursor opened before the update saw " + d.toJson());
                rest++;
            }
            assertEquals(KILL_DOCS, rest);
            System.out.println("reads while the update streamed: " + zeros);
        }
    }

    @Test
    void largeMergesRevertsAndIndexBuildsStreamToo() throws Exception {
        try (Child child = new Child()) {
            child.start();
            MongoCollection<Document> c = child.coll();
            load(c, KILL_DOCS);
            com.mongodb.client.MongoDatabase admin = child.client.getDatabase("admin");
            admin.runCommand(new Document("createBranch", "exp").append("from", "main"));
            MongoCollection<Document> exp = child.client.getDatabase("big~exp").getCollection("c");
            exp.updateMany(new Document(), Updates.inc("n", 1));
            assertEquals(0, c.countDocuments(Filters.eq("n", 1)));

            long chunks = child.chunks();
            Document merged = admin.runCommand(new Document("mergeBranch", "exp").append("into", "main"));
            assertTrue(child.chunks() > chunks, "the merge was written in chunks");
            assertEquals(KILL_DOCS, c.countDocuments(Filters.eq("n", 1)));
            long mergeLsn = merged.get("headLsn", Number.class).longValue();

            chunks = child.chunks();
            Document reverted = admin.runCommand(new Document("revert", "main").append("lsn", mergeLsn));
            assertEquals(KILL_DOCS, reverted.getInteger("reverted"));
            assertTrue(child.chunks() > chunks, "the revert was written in chunks");
            assertEquals(KILL_DOCS, c.countDocuments(Filters.eq("n", 0)));

            chunks = child.chunks();
            c.createIndex(new Document("s", 1), new com.mongodb.client.model.IndexOptions().unique(true));
            assertTrue(child.chunks() > chunks, "the index build was written in chunks");
            assertEquals(11000, org.junit.jupiter.api.Assertions.assertThrows(com.mongodb.MongoWriteException.class,
                    () -> c.insertOne(new Document("_id", -1).append("s", "d5"))).getError().getCode());

            // A unique build that fails late has staged chunks by then; nothing of it may remain visible.
            MongoCollection<Document> u = child.client.getDatabase("big").getCollection("u");
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 30_000; i++) {
                docs.add(new Document("_id", i).append("v", i));
            }
            docs.add(new Document("_id", 30_000).append("v", 0));
            u.insertMany(docs);
            chunks = child.chunks();
            com.mongodb.MongoServerException dup = org.junit.jupiter.api.Assertions.assertThrows(com.mongodb.MongoServerException.class,
                    () -> u.createIndex(new Document("v", 1), new com.mongodb.client.model.IndexOptions().unique(true)));
            assertEquals(11000, dup.getCode());
            assertTrue(child.chunks() > chunks, "the failed build had staged a chunk");
            assertEquals(List.of("_id_"), u.listIndexes().map(i -> i.getString("name")).into(new ArrayList<>()));
            assertEquals(1, child.staging().get("aborted", Number.class).longValue(), child.staging().toJson());
            u.insertOne(new Document("_id", -1).append("v", 0));
            assertEquals(30_002, u.countDocuments());
            assertEquals(3, u.countDocuments(Filters.eq("v", 0)));
            assertEquals(KILL_DOCS, c.countDocuments());
            child.stop();
            assertClean(child.data);
        }
    }
}
