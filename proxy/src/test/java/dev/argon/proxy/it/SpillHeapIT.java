package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.FindOneAndDeleteOptions;
import com.mongodb.client.model.Sorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * A sort and a $group over more documents than the server's heap can hold succeed by spilling: the server runs in
 * a child JVM with {@code -Xmx64m} (property {@code argon.spill.javaOpts}), the collection holds 25,000 documents of
 * 4 KB (100 MB as BSON), and the limits are set to 4 MiB with {@code setParameter}. A sort with a large limit (a
 * top-k heap past the limit) spills as well, and a sorted findAndModify holds one candidate; a {@code $lookup} into
 * the collection without an index on its field reads it once per input document instead of holding it
 * ({@code -Dargon.spill.lookupLimitBytes=1073741824}: it holds the collection and the server runs out of memory). With
 * {@code -Dargon.spill.limitBytes=1073741824} (nothing spills) the same queries run the server out of memory.
 */
class SpillHeapIT {
    private static final String JAVA_OPTS = System.getProperty("argon.spill.javaOpts", "-Xmx64m");
    private static final int DOCS = Integer.getInteger("argon.spill.docs", 25_000);
    /** The limits set for the run; a large value (1 GiB) shows the same queries failing when they cannot spill. */
    private static final long LIMIT = Long.getLong("argon.spill.limitBytes", 4L << 20);
    /** The $lookup table's limit; a large value (1 GiB) shows the lookups failing when the table holds everything. */
    private static final long LOOKUP_LIMIT = Long.getLong("argon.spill.lookupLimitBytes", LIMIT);

    @Test
    void sortAndGroupSpillOnASmallHeap() throws Exception {
        Path dir = Files.createTempDirectory("argon-spill-");
        Path data = dir.resolve("data");
        Path portFile = dir.resolve("port");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String o : JAVA_OPTS.trim().split("\\s+")) {
            if (!o.isEmpty()) {
                cmd.add(o);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ChildServer.class.getName(), data.toString(), portFile.toString()));
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(portFile) && process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (!Files.exists(portFile)) {
                fail("the child server did not start: " + Files.readString(dir.resolve("child.log")));
            }
            int port = Integer.parseInt(Files.readString(portFile).trim());
            try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + port
                    + "/?directConnection=true&socketTimeoutMS=300000&retryWrites=false")) {
                MongoCollection<Document> c = client.getDatabase("big").getCollection("c");
                Random rnd = new Random(7);
                List<Document> batch = new ArrayList<>();
                int[] ks = new int[DOCS];
                for (int i = 0; i < DOCS; i++) {
                    ks[i] = rnd.nextInt(1_000_000);
                    batch.add(new Document("_id", i).append("k", ks[i]).append("pad", "p".repeat(4000)));
                    if (batch.size() == 1_000) {
                        c.insertMany(batch);
                        batch.clear();
                    }
                }
                client.getDatabase("admin").runCommand(new Document("setParameter", 1)
                        .append("internalQueryMaxBlockingSortMemoryUsageBytes", LIMIT)
                        .append("internalDocumentSourceGroupMaxMemoryBytes", LIMIT)
                        .append("internalQuerySBELookupApproxMemoryUseInBytesBeforeSpill", LOOKUP_LIMIT));
                long n = 0;
                int last = Integer.MIN_VALUE;
                try (MongoCursor<Document> it = c.find().sort(Sorts.ascending("k")).batchSize(500).iterator()) {
                    while (it.hasNext()) {
                        int k = it.next().getInteger("k");
                        assertTrue(k >= last, "out of order at " + n);
                        last = k;
                        n++;
                    }
                }
                assertEquals(DOCS, n);
                // A top-k of 20,000 documents (80 MB as BSON) passes the limit too: it spills instead of holding them.
                int k = Math.min(20_000, DOCS);
                n = 0;
                last = Integer.MIN_VALUE;
                try (MongoCursor<Document> it = c.find().sort(Sorts.ascending("k")).limit(k).batchSize(500).iterator()) {
                    while (it.hasNext()) {
                        int key = it.next().getInteger("k");
                        assertTrue(key >= last, "top-k out of order at " + n);
                        last = key;
                        n++;
                    }
                }
                assertEquals(k, n);
                // A sorted findAndModify keeps only its best candidate: the largest k, then the document is gone.
                Document top = c.find().sort(Sorts.descending("k")).limit(1).first();
                Document removed = c.findOneAndDelete(new Document(), new FindOneAndDeleteOptions().sort(Sorts.descending("k")));
                assertEquals(top, removed);
                assertEquals(DOCS - 1, c.countDocuments());
                // One group per document, each holding a whole document: the group table passes the limit many times.
                long groups = 0;
                try (MongoCursor<Document> it = c.aggregate(List.of(new Document("$group",
                        new Document("_id", "$_id").append("d", new Document("$push", "$$ROOT"))))).batchSize(500).iterator()) {
                    while (it.hasNext()) {
                        assertEquals(1, it.next().getList("d", Document.class).size());
                        groups++;
                    }
                }
                assertEquals(DOCS - 1, groups);
                // A $lookup into c without an index on k: c (100 MB) passes the table limit, so each of the few local
                // documents reads it afresh instead of the server holding it; equality and pipeline forms.
                MongoCollection<Document> local = client.getDatabase("big").getCollection("local");
                List<Integer> picks = new ArrayList<>();
                for (int j = 0; j < 5; j++) {
                    int i = (int) ((long) j * DOCS / 5) + 1;
                    picks.add(i);
                    local.insertOne(new Document("_id", j).append("k", ks[i]));
                }
                int removedId = removed.getInteger("_id");
                for (List<Document> pipeline : List.of(
                        List.of(new Document("$lookup", new Document("from", "c").append("localField", "k").append("foreignField", "k")
                                .append("as", "m"))),
                        List.of(new Document("$lookup", new Document("from", "c").append("let", new Document("v", "$k"))
                                .append("pipeline", List.of(new Document("$match", new Document("$expr",
                                        new Document("$eq", List.of("$k", "$$v"))))))
                                .append("as", "m"))))) {
                    List<Document> joined = local.aggregate(pipeline).into(new ArrayList<>());
                    assertEquals(picks.size(), joined.size());
                    for (Document d : joined) {
                        int want = d.getInteger("k");
                        List<Integer> expected = new ArrayList<>();
                        for (int i = 0; i < DOCS; i++) {
                            if (ks[i] == want && i != removedId) {
                                expected.add(i);
                            }
                        }
                        List<Integer> got = new ArrayList<>();
                        d.getList("m", Document.class).forEach(m -> got.add(m.getInteger("_id")));
                        assertEquals(expected, got, "matches of local document " + d.get("_id"));
                    }
                }
                try (Stream<Path> files = Files.list(data.resolve("_tmp"))) {
                    assertEquals(0, files.count(), "run files left in the temporary folder");
                }
            }
            assertTrue(process.isAlive(), "the server died: " + Files.readString(dir.resolve("child.log")));
        } catch (Exception | AssertionError e) {
            System.out.println("child log: " + Files.readString(dir.resolve("child.log")));
            throw e;
        } finally {
            process.destroyForcibly();
            process.waitFor(60, TimeUnit.SECONDS);
            ArgonTestBase.deleteTree(dir);
        }
    }
}
