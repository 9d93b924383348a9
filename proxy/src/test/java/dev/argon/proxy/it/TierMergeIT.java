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
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.client.model.changestream.FullDocumentBeforeChange;
import dev.argon.engine.gc.GcSettings;
import dev.argon.engine.store.StoreChecker;
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
 * Merging the tier's segments over the wire: many small {@code compactHistory} passes leave many small segments; a
 * dropped branch's history is in them. {@code gc} then reclaims the branch and its segment rewrite pass ({@code merge}
 * in the reply) merges the segments and leaves the dropped branch's cold entries out: fewer segments, fewer tier
 * bytes, and every branch, time-travel point and a change stream resumed from a token below the cutoff read as
 * before. And {@code kill -9} between storing the merged segments and the batch that names them leaves a directory
 * that opens with the old catalog, is clean under fsck and reads alike; a merge after the restart completes.
 */
class TierMergeIT extends ArgonTestBase {

    @Override
    protected GcSettings gcSettings() {
        return new GcSettings(-1, GcSettings.DEFAULTS.reflogWindowMillis(), 0, 5000);
    }

    private static Document admin(MongoClient c, Document command) {
        return c.getDatabase("admin").runCommand(command);
    }

    private static long head(MongoClient c) {
        return ((Number) admin(c, new Document("argonStatus", 1)).get("headLsn")).longValue();
    }

    private static Document tier(MongoClient c) {
        return admin(c, new Document("argonStorage", 1)).get("tier", Document.class);
    }

    private static long num(Document d, String field) {
        return ((Number) d.get(field)).longValue();
    }

    /** main and exp at their heads and at each point, by name. */
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

    /** History on main, exp and a branch tmp (dropped later), compacted by a pass after each round. */
    private static List<Long> history(MongoClient c, int rounds) {
        MongoCollection<Document> items = c.getDatabase("shop").getCollection("items");
        for (int i = 1; i <= 30; i++) {
            items.insertOne(new Document("_id", i).append("v", 0).append("pad", "x".repeat(100)));
        }
        admin(c, new Document("createBranch", "exp"));
        admin(c, new Document("createBranch", "tmp"));
        MongoCollection<Document> exp = c.getDatabase("shop~exp").getCollection("items");
        MongoCollection<Document> tmp = c.getDatabase("shop~tmp").getCollection("items");
        List<Long> points = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            exp.updateMany(Filters.lte("_id", 15), Updates.set("v", "exp-" + round));
            items.updateMany(Filters.gt("_id", 25), Updates.set("v", "main-" + round));
            tmp.updateMany(Filters.exists("_id"), Updates.set("v", "tmp-" + round + "x".repeat(200)));
            if (round % 3 == 0) {
                points.add(head(c));
            }
            admin(c, new Document("compactHistory", 1).append("hotWindowSeconds", 0));
        }
        return points;
    }

    private static List<BsonDocument> events(MongoCollection<Document> items, BsonDocument token, int n) {
        List<BsonDocument> out = new ArrayList<>();
        try (MongoCursor<BsonDocument> c = items.watch().resumeAfter(token).fullDocument(FullDocument.UPDATE_LOOKUP)
                .fullDocumentBeforeChange(FullDocumentBeforeChange.WHEN_AVAILABLE)
                .maxAwaitTime(200, TimeUnit.MILLISECONDS).withDocumentClass(BsonDocument.class).cursor()) {
            int idle = 0;
            while (out.size() < n && idle < 20) {
                BsonDocument e = c.tryNext();
                if (e == null) {
                    idle++;
                } else {
                    out.add(e);
                }
            }
        }
        return out;
    }

    @Test
    void gcMergesSmallSegmentsAndDropsADroppedBranchsColdHistory() throws Exception {
        MongoCollection<Document> items = db("shop").getCollection("items");
        BsonDocument token;
        try (MongoCursor<BsonDocument> c = items.watch().maxAwaitTime(200, TimeUnit.MILLISECONDS)
                .withDocumentClass(BsonDocument.class).cursor()) {
            items.insertOne(new Document("_id", "token").append("v", 0));
            token = c.next().getDocument("_id");
        }
        List<Long> points = history(client, 12);
        Document tierBefore = tier(client);
        assertTrue(num(tierBefore, "segments") >= 20, "many small passes, many segments: " + tierBefore.toJson());
        admin(client, new Document("dropBranch", "tmp"));
        Map<String, Object> before = reads(client, points);
        List<BsonDocument> streamBefore = events(items, token, 100);
        assertEquals(30 + 12 * 5, streamBefore.size(), "main's inserts and updates after the token");

        Document g = admin(client, new Document("gc", 1));
        Document m = g.get("merge", Document.class);
        assertTrue(m != null, "a gc on a tiered directory merges: " + g.toJson());
        assertTrue(num(m, "segmentsMerged") >= 20 && num(m, "segmentsWritten") < num(m, "segmentsMerged"), m.toJson());
        // tmp's versions of 30 documents over 12 rounds and their log entries were in the tier.
        assertTrue(num(m, "entriesDropped") > 2 * 300, m.toJson());
        assertTrue(num(m, "bytesAfter") < num(m, "bytesBefore") / 2, m.toJson());
        Document tierAfter = tier(client);
        assertEquals(num(m, "totalSegments"), num(tierAfter, "segments"), tierAfter.toJson());
        assertTrue(num(tierAfter, "segmentBytes") < num(tierBefore, "segmentBytes") / 2, tierBefore.toJson() + " -> " + tierAfter.toJson());
        assertEquals(before, reads(client, points), "reads after gc and merge");
        assertEquals(streamBefore, events(items, token, 100), "a change stream resumed from a token below the cutoff");

        Document again = admin(client, new Document("compactHistory", 1).append("hotWindowSeconds", 0).append("mergeSegments", true));
        assertEquals(0L, num(again.get("merge", Document.class), "segmentsMerged"), "nothing left to merge: " + again.toJson());
        Document noMerge = admin(client, new Document("gc", 1).append("mergeSegments", false));
        assertTrue(!noMerge.containsKey("merge"), noMerge.toJson());

        restart();
        assertEquals(before, reads(client, points), "reads after a restart");
        server.close();
        assertEquals(List.of(), StoreChecker.check(dataDir).problems(), "fsck after the merge");
        server = null;
        client.close();
        client = null;
    }

    @Test
    void killedBetweenStoringMergedSegmentsAndTheirBatchOpensWithTheOldCatalog() throws Exception {
        Path dir = Files.createTempDirectory("argon-tiermerge-");
        Path data = dir.resolve("data");
        try {
            Process child = start(dir, data, 0, true);
            Map<String, Object> before;
            List<Long> points;
            long segmentsBefore;
            Path objects = data.resolve("objects").resolve("tier").resolve("segments");
            try (MongoClient c = client(port(dir, 0, child))) {
                points = history(c, 8);
                before = reads(c, points);
                segmentsBefore = num(tier(c), "segments");
                long stored = count(objects);
                Thread pass = new Thread(() -> {
                    try {
                        admin(c, new Document("compactHistory", 1).append("hotWindowSeconds", 0).append("mergeSegments", true));
                    } catch (RuntimeException e) {
                        // The connection dies with the process.
                    }
                });
                pass.setDaemon(true);
                pass.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (count(objects) <= stored && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(count(objects) > stored, "the merge stored a segment");
                // Both kinds are written before the batch; give the second kind's segment time to be stored.
                Thread.sleep(500);
            }
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertEquals(List.of(), StoreChecker.check(data).problems(), "fsck after the kill");

            Process second = start(dir, data, 1, false);
            try (MongoClient c = client(port(dir, 1, second))) {
                assertEquals(segmentsBefore, num(tier(c), "segments"), "the catalog names the old segments");
                assertEquals(before, reads(c, points), "reads after the kill");
                Document r = admin(c, new Document("compactHistory", 1).append("hotWindowSeconds", 0).append("mergeSegments", true));
                Document m = r.get("merge", Document.class);
                assertTrue(num(m, "segmentsMerged") > 2 && num(m, "totalSegments") < segmentsBefore, r.toJson());
                assertEquals(before, reads(c, points), "reads after the merge");
            } finally {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
            }
            assertEquals(List.of(), StoreChecker.check(data).problems(), "fsck after the merge");
        } finally {
            ArgonTestBase.deleteTree(dir);
        }
    }

    @Test
    void theBackgroundJobMergesOnceSmallSegmentsPileUp() throws Exception {
        Path dir = Files.createTempDirectory("argon-tiermerge-bg-");
        dev.argon.engine.gc.TierSettings every200ms = new dev.argon.engine.gc.TierSettings(0, 200,
                dev.argon.wal.tier.SegmentCache.DEFAULT_BYTES);
        int rounds = 16;
        try (dev.argon.proxy.ArgonServer s = dev.argon.proxy.ArgonServer.start(dir, "127.0.0.1", 0, null, false, gcSettings(), every200ms);
             MongoClient c = client(s.port())) {
            MongoCollection<Document> items = c.getDatabase("shop").getCollection("items");
            for (int i = 1; i <= 10; i++) {
                items.insertOne(new Document("_id", i).append("v", 0));
            }
            List<Long> points = new ArrayList<>();
            List<List<Document>> seen = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                items.updateMany(Filters.exists("_id"), Updates.set("v", round));
                points.add(head(c));
                seen.add(items.find().sort(new Document("_id", 1)).into(new ArrayList<>()));
                long wrote = System.currentTimeMillis();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                // Until a background pass has started after this round's write (the merge follows it in the same job).
                while (lastPassAt(c) <= wrote && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(lastPassAt(c) > wrote, "a background pass ran after round " + round);
            }
            Thread.sleep(500);
            long segments = num(tier(c), "segments");
            // Each pass leaves a small versions segment and a small log segment: without merging there would be 2 per round.
            assertTrue(segments < 2 * rounds - 8, segments + " segments after " + rounds + " background passes: " + tier(c).toJson());
            for (int i = 0; i < points.size(); i++) {
                assertEquals(seen.get(i), c.getDatabase("shop~main@" + points.get(i)).getCollection("items").find()
                        .sort(new Document("_id", 1)).into(new ArrayList<>()), "main@" + points.get(i));
            }
        } finally {
            ArgonTestBase.deleteTree(dir);
        }
    }

    private static long lastPassAt(MongoClient c) {
        Object p = tier(c).get("lastPass");
        return p instanceof Document d ? d.getDate("at").getTime() : 0;
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
            cmd.add("-Dargon.wal.mergePauseBeforeBatchMillis=600000");
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
