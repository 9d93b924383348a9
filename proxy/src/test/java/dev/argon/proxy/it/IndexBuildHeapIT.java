package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * An index build over a collection whose keys do not fit in the heap: the server runs as a child JVM with a
 * small heap ({@code argon.indexBuild.javaOpts}, default {@code -Xss4m -Xmx128m}) and builds a unique index over
 * {@code argon.indexBuild.docs} (default 400,000) documents with 300-byte keys: 120 MB of raw key bytes, more with
 * the per-key objects a build that held its writes until the commit would keep, which does not fit. (Checked by
 * hand: with {@code -Dargon.write.chunkWrites=100000000 -Dargon.write.chunkEntries=100000000
 * -Dargon.write.chunkBytes=100000000000} added to the options, the same build thrashes in garbage collection until
 * the client gives up after 5 minutes.) Streamed, the build writes chunks of at most 20,000 keys (or 4 MiB) and
 * publishes them in one commit.
 */
class IndexBuildHeapIT {
    private static final String JAVA_OPTS = System.getProperty("argon.indexBuild.javaOpts", "-Xss4m -Xmx128m");
    private static final int DOCS = Integer.getInteger("argon.indexBuild.docs", 400_000);
    private static final int KEY_BYTES = 300;

    private static String key(int i) {
        // KEY_BYTES bytes, unique, not in _id order (so the index's order differs from the collection's).
        String h = Integer.toHexString(Integer.reverse(i));
        return h + "-" + "k".repeat(KEY_BYTES - 1 - h.length());
    }

    @Test
    void aUniqueIndexOverMoreKeysThanTheHeapHoldsBuildsInChunks() throws Exception {
        Path dir = Files.createTempDirectory("argon-ixheap-");
        Process process = null;
        try {
            Path portFile = dir.resolve("port");
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (String o : JAVA_OPTS.trim().split("\\s+")) {
                if (!o.isEmpty()) {
                    cmd.add(o);
                }
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ChildServer.class.getName(),
                    dir.resolve("data").toString(), portFile.toString()));
            Path log = dir.resolve("child.log");
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(portFile) && process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (!Files.exists(portFile)) {
                fail("the child server did not start: " + Files.readString(log));
            }
            int port = Integer.parseInt(Files.readString(portFile).trim());
            try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + port + "/?directConnection=true"
                    + "&socketTimeoutMS=" + TimeUnit.MINUTES.toMillis(5) + "&retryWrites=false&retryReads=false")) {
                MongoCollection<Document> c = client.getDatabase("ixheap").getCollection("c");
                List<Document> batch = new ArrayList<>();
                for (int i = 0; i < DOCS; i++) {
                    batch.add(new Document("_id", i).append("k", key(i)));
                    if (batch.size() == 5_000) {
                        c.insertMany(batch);
                        batch.clear();
                    }
                }
                if (!batch.isEmpty()) {
                    c.insertMany(batch);
                }
                Document admin = new Document("serverStatus", 1);
                long chunks = chunks(client.getDatabase("admin").runCommand(admin));
                c.createIndex(new Document("k", 1), new com.mongodb.client.model.IndexOptions().unique(true));
                assertTrue(process.isAlive(), Files.readString(log));
                assertTrue(chunks(client.getDatabase("admin").runCommand(admin)) - chunks >= DOCS / 20_000,
                        "the build was written in chunks of at most 20,000 keys");

                int probe = DOCS / 3;
                Document e = c.find(Filters.eq("k", key(probe))).explain(com.mongodb.ExplainVerbosity.EXECUTION_STATS);
                Document stats = e.get("executionStats", Document.class);
                assertEquals(1, stats.getInteger("nReturned"));
                assertEquals(1, stats.getInteger("totalKeysExamined"), "read through the new index: " + e.toJson());
                assertEquals(probe, c.find(Filters.eq("k", key(probe))).first().getInteger("_id"));
                assertEquals(DOCS, c.countDocuments(Filters.gte("k", "")));
                assertEquals(11000, org.junit.jupiter.api.Assertions.assertThrows(com.mongodb.MongoWriteException.class,
                        () -> c.insertOne(new Document("_id", -1).append("k", key(7)))).getError().getCode());
                Document st = client.getDatabase("ixheap").runCommand(new Document("collStats", "c"));
                assertEquals(DOCS, st.get("count", Number.class).longValue());
                assertTrue(st.get("indexSizes", Document.class).get("k_1", Number.class).longValue() >= (long) KEY_BYTES * DOCS, st.toJson());
            }
        } finally {
            if (process != null) {
                process.destroyForcibly();
                process.waitFor(60, TimeUnit.SECONDS);
            }
            ArgonTestBase.deleteTree(dir);
        }
    }

    private static long chunks(Document serverStatus) {
        return serverStatus.get("argon", Document.class).get("staging", Document.class).get("chunks", Number.class).longValue();
    }
}
