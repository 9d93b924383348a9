package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.argon.engine.store.StoreChecker;
import dev.argon.proxy.ArgonServer;
import dev.argon.wal.FsckReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * GC of the tier's objects as a user sees it through the {@code gc} command: a compaction pass killed ({@code kill -9})
 * after storing its segment and before its manifest and batch leaves an orphan that {@code gc} keeps while it is
 * younger than the grace period and removes once older (a dry run only counts it); every later pass publishes
 * manifests, {@code gc} retires those beyond the newest three and removes no live segment, and every branch and
 * time-travel point reads the same before and after; fsck names a segment the tier names that is missing.
 */
class TierGcIT {

    @Test
    void anOrphanOfAKilledPassGoesAfterTheGraceAndLiveHistoryStays() throws Exception {
        Path dir = Files.createTempDirectory("argon-tiergc-");
        Path data = dir.resolve("data");
        Path tier = data.resolve("objects").resolve("tier");
        Path segments = tier.resolve("segments");
        try {
            Process child = start(dir, data);
            Map<String, Object> before;
            List<Long> points = new ArrayList<>();
            try (MongoClient c = client(port(dir, child))) {
                history(c, points, 1);
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
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (files(segments).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(1, files(segments).size(), "the pass stored its segment");
            }
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            Path orphan = segments.resolve(files(segments).first());
            long orphanBytes = Files.size(orphan);
            assertEquals(Set.of(), files(tier.resolve("manifests")), "killed before its manifest");
            assertEquals(List.of(), StoreChecker.check(data).problems(), "fsck after the kill");

            try (ArgonServer s = ArgonServer.start(data, "127.0.0.1", 0, null);
                 MongoClient c = client(s.port())) {
                assertEquals(before, reads(c, points), "reads after the kill");
                Document young = admin(c, new Document("gc", 1));
                assertEquals(0L, number(young, "tierObjectsRemoved"), young.toJson());
                assertEquals(1L, number(young, "tierObjectsKeptYoung"), young.toJson());
                assertEquals(3600L, number(young, "tierGraceSeconds"), "the default grace: " + young.toJson());
                assertTrue(Files.exists(orphan), "younger than the grace period, the orphan stays");

                Files.setLastModifiedTime(orphan, FileTime.fromMillis(System.currentTimeMillis() - 2 * 3_600_000L));
                Document dry = admin(c, new Document("gc", 1).append("dryRun", true));
                assertEquals(1L, number(dry, "tierObjectsRemoved"), dry.toJson());
                assertTrue(Files.exists(orphan), "a dry run deletes nothing");
                Document gone = admin(c, new Document("gc", 1));
                assertEquals(1L, number(gone, "tierObjectsRemoved"), gone.toJson());
                assertEquals(orphanBytes, number(gone, "tierBytesRemoved"), gone.toJson());
                assertFalse(Files.exists(orphan), "older than the grace period, the orphan is removed");

                // Real passes: each of their chunks publishes a manifest.
                long published = 0;
                for (int round = 2; round <= 5; round++) {
                    if (round > 2) {
                        history(c, points, round);
                    }
                    Document r = admin(c, new Document("compactHistory", 1).append("hotWindowSeconds", 0));
                    published += number(r, "segments");
                    assertEquals(published, files(tier.resolve("manifests")).size(), "manifests after pass " + round + ": " + r.toJson());
                }
                assertTrue(published > 3, "more manifests than GC keeps: " + published);
                Map<String, Object> compacted = reads(c, points);
                Set<String> live = files(segments);
                // Without the segment rewrite pass gc runs after deleting history (TierMergeIT covers that): GC of objects alone.
                Document retire = admin(c, new Document("gc", 1).append("tierGraceSeconds", 0).append("mergeSegments", false));
                assertEquals(published - 3, number(retire, "tierManifestsRetired"), retire.toJson());
                assertEquals(0L, number(retire, "tierObjectsRemoved"), "no live segment goes: " + retire.toJson());
                assertEquals(3, files(tier.resolve("manifests")).size());
                assertEquals(live, files(segments));
                assertEquals(compacted, reads(c, points), "reads at every point after the GC");
                assertEquals(subset(before, before), subset(compacted, before), "the points read before the kill still read the same");
                com.mongodb.MongoCommandException negative = org.junit.jupiter.api.Assertions.assertThrows(com.mongodb.MongoCommandException.class,
                        () -> admin(c, new Document("gc", 1).append("tierGraceSeconds", -1)));
                assertEquals(2, negative.getErrorCode(), "a negative grace is BadValue: " + negative.getMessage());
                com.mongodb.MongoCommandException text = org.junit.jupiter.api.Assertions.assertThrows(com.mongodb.MongoCommandException.class,
                        () -> admin(c, new Document("gc", 1).append("tierGraceSeconds", "1h")));
                assertEquals(14, text.getErrorCode(), "a grace that is not a number is TypeMismatch: " + text.getMessage());
            }
            assertEquals(List.of(), StoreChecker.check(data).problems(), "fsck after the GC");
            String missing = files(segments).first();
            Files.delete(segments.resolve(missing));
            FsckReport broken = StoreChecker.check(data);
            assertTrue(broken.problems().stream().anyMatch(p -> p.check().equals(FsckReport.TIER) && p.message().contains(missing)
                    && p.message().contains("missing")), broken.problems().toString());
        } finally {
            ArgonTestBase.deleteTree(dir);
        }
    }

    private static void history(MongoClient c, List<Long> points, int round) {
        MongoCollection<Document> items = c.getDatabase("shop").getCollection("items");
        if (round == 1) {
            for (int i = 1; i <= 40; i++) {
                items.insertOne(new Document("_id", i).append("v", 0));
            }
            admin(c, new Document("createBranch", "exp"));
        }
        MongoCollection<Document> exp = c.getDatabase("shop~exp").getCollection("items");
        for (int n = 1; n <= 12; n++) {
            exp.updateMany(Filters.lte("_id", 20), Updates.set("v", "exp-" + round + "." + n));
            items.updateMany(Filters.gt("_id", 30), Updates.set("v", "main-" + round + "." + n));
            if (n % 4 == 0) {
                points.add(((Number) admin(c, new Document("argonStatus", 1)).get("headLsn")).longValue());
            }
        }
    }

    /** The time-travel points of {@code keys} (the heads moved since), as {@code all} reads them. */
    private static Map<String, Object> subset(Map<String, Object> all, Map<String, Object> keys) {
        Map<String, Object> out = new LinkedHashMap<>();
        keys.keySet().stream().filter(k -> k.contains("@")).forEach(k -> out.put(k, all.get(k)));
        return out;
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

    private static long number(Document d, String field) {
        Object v = d.get(field);
        assertTrue(v instanceof Number, field + " in " + d.toJson());
        return ((Number) v).longValue();
    }

    private static Document admin(MongoClient c, Document command) {
        return c.getDatabase("admin").runCommand(command);
    }

    private static TreeSet<String> files(Path folder) throws Exception {
        TreeSet<String> out = new TreeSet<>();
        if (Files.isDirectory(folder)) {
            try (Stream<Path> s = Files.list(folder)) {
                s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).forEach(out::add);
            }
        }
        return out;
    }

    private static Process start(Path dir, Path data) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-cp", System.getProperty("java.class.path"), "-Dargon.wal.tierPauseBeforeBatchMillis=600000",
                ChildServer.class.getName(), data.toString(), dir.resolve("port").toString());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    }

    private static int port(Path dir, Process child) throws Exception {
        Path portFile = dir.resolve("port");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(portFile) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (!Files.exists(portFile)) {
            fail("the server did not start: " + Files.readString(dir.resolve("child.log")));
        }
        return Integer.parseInt(Files.readString(portFile).trim());
    }

    private static MongoClient client(int port) {
        return MongoClients.create("mongodb://127.0.0.1:" + port
                + "/?directConnection=true&serverSelectionTimeoutMS=5000&retryWrites=false&retryReads=false&socketTimeoutMS=0");
    }
}
