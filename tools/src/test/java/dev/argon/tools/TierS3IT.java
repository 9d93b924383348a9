package dev.argon.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.argon.engine.gc.GcSettings;
import dev.argon.engine.gc.TierSettings;
import dev.argon.proxy.ArgonServer;
import dev.argon.storage.object.ObjectInfo;
import dev.argon.storage.object.ObjectStore;
import dev.argon.wal.TierMismatchException;
import dev.argon.wal.archive.ArchiveLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The history tier in a bucket ({@code argon serve --tier s3://bucket/prefix}) on a real S3 API (S3Proxy, in
 * memory, on a loopback port, with signature checks): a compaction pass stores its segments under
 * {@code prefix/tier/segments/} and none in {@code <data>/objects}, the versions family shrinks locally, and every
 * time-travel read answers as before the pass, also after a restart. A restart with another tier is refused with a
 * message naming the recorded one; a directory whose catalog is empty may change its tier.
 */
class TierS3IT {
    private static final String KEY = LocalS3.KEY;
    private static final String SECRET = LocalS3.SECRET;
    private static final GcSettings NO_BACKGROUND_GC = new GcSettings(-1, GcSettings.DEFAULTS.reflogWindowMillis(), 0, 5000);

    private LocalS3 s3;
    private String endpoint;
    private Path root;

    @BeforeEach
    void startS3() throws Exception {
        s3 = new LocalS3();
        endpoint = s3.endpoint();
        root = Files.createTempDirectory("argon-tier-s3-");
    }

    @AfterEach
    void stopS3() throws Exception {
        s3.close();
        BackupCommandIT.deleteTree(root);
    }

    private ArchiveLocation bucket(String url) {
        return new ArchiveLocation(url, endpoint, null, KEY, SECRET, true);
    }

    private static TierSettings tier(ArchiveLocation where) {
        // No background pass: the test runs the pass it measures.
        return new TierSettings(TierSettings.DEFAULTS.hotWindowMillis(), 0, TierSettings.DEFAULTS.cacheBytes(), where);
    }

    private static ArgonServer start(Path data, TierSettings tier) {
        return ArgonServer.start(data, "127.0.0.1", 0, null, false, NO_BACKGROUND_GC, tier);
    }

    private static List<Document> read(MongoClient c, String ref) {
        return c.getDatabase("shop~" + ref).getCollection("items").find().sort(new Document("_id", 1)).into(new ArrayList<>());
    }

    private static Map<String, List<Document>> timeTravel(MongoClient c, List<Long> points) {
        Map<String, List<Document>> out = new LinkedHashMap<>();
        for (String ref : List.of("main", "exp", "v1")) {
            out.put(ref, read(c, ref));
        }
        for (long p : points) {
            out.put("main@" + p, read(c, "main@" + p));
            out.put("exp@" + p, read(c, "exp@" + p));
        }
        return out;
    }

    private static long versionsBytes(ArgonServer server, MongoClient c) {
        server.engine().store().walForTests().flush(true);
        Document s = BackupCommandIT.admin(c, new Document("argonStorage", 1).append("flush", true));
        Document fam = s.get("rocksdb", Document.class).get("families", Document.class).get("versions", Document.class);
        return ((Number) fam.get("sstBytes")).longValue() + ((Number) fam.get("memtableBytes")).longValue();
    }

    private static Document tierFigures(MongoClient c) {
        return BackupCommandIT.admin(c, new Document("argonStorage", 1)).get("tier", Document.class);
    }

    private static long number(Document d, String field) {
        return ((Number) d.get(field)).longValue();
    }

    private static List<ObjectInfo> segmentsIn(ObjectStore store) {
        return store.list("tier/segments/");
    }

    @Test
    void compactedHistoryLivesInTheBucketAndReadsAsBeforeAcrossARestart() {
        Path data = root.resolve("data");
        ArchiveLocation where = bucket("s3://argon-tier/prod");
        List<Long> points = new ArrayList<>();
        Map<String, List<Document>> before;
        try (ArgonServer server = start(data, tier(where));
             MongoClient c = MongoClients.create(BackupCommandIT.uri(server))) {
            MongoCollection<Document> items = c.getDatabase("shop").getCollection("items");
            for (int i = 1; i <= 50; i++) {
                items.insertOne(new Document("_id", i).append("v", 0).append("pad", "x".repeat(200)));
            }
            BackupCommandIT.admin(c, new Document("createBranch", "exp"));
            MongoCollection<Document> exp = c.getDatabase("shop~exp").getCollection("items");
            for (int round = 1; round <= 30; round++) {
                exp.updateMany(Filters.lte("_id", 25), Updates.set("v", "exp-" + round));
                items.updateMany(Filters.gt("_id", 40), Updates.set("v", "main-" + round));
                if (round % 5 == 0) {
                    points.add(BackupCommandIT.lsn(c));
                }
                if (round == 10) {
                    BackupCommandIT.admin(c, new Document("createTag", "v1").append("ref", "exp"));
                }
            }
            before = timeTravel(c, points);
            long bytesBefore = versionsBytes(server, c);
            Document t0 = tierFigures(c);
            assertEquals("s3://argon-tier/prod", t0.getString("location"), t0.toJson());
            assertEquals(0L, number(t0, "segments"), t0.toJson());
            assertEquals(0L, number(t0, "stubs"), t0.toJson());
            assertEquals(0L, number(t0, "storeBytes"), t0.toJson());
            assertEquals(null, t0.get("lastPass"), t0.toJson());

            Document r = BackupCommandIT.admin(c, new Document("compactHistory", 1).append("hotWindowSeconds", 0));
            assertTrue(((Number) r.get("versions")).longValue() > 900, r.toJson());
            long stored = ((Number) r.get("segments")).longValue();
            assertTrue(stored >= 1, r.toJson());
            long bytesAfter = versionsBytes(server, c);
            assertTrue(bytesAfter < bytesBefore, "versions bytes " + bytesBefore + " -> " + bytesAfter);
            Document t1 = tierFigures(c);
            assertEquals(stored, number(t1, "segments"), t1.toJson());
            assertEquals(r.get("stubs", Number.class).longValue(), number(t1, "stubs"), t1.toJson());
            assertTrue(number(t1, "stubs") > 0, t1.toJson());
            assertEquals(r.get("cutoffLsn", Number.class).longValue(), number(t1, "cutoffLsn"), t1.toJson());
            assertEquals(r.get("versions", Number.class).longValue(), number(t1.get("lastPass", Document.class), "versions"));
            long inStore;
            try (ObjectStore s3 = where.open(false)) {
                List<ObjectInfo> segs = segmentsIn(s3);
                assertEquals(stored, segs.size(), "segments in the bucket under prod/tier/segments/");
                inStore = segs.stream().mapToLong(ObjectInfo::size).sum();
            }
            assertEquals(inStore, number(t1, "storeBytes"), t1.toJson());
            assertEquals(inStore, number(t1, "segmentBytes"), t1.toJson());
            Document storage = BackupCommandIT.admin(c, new Document("argonStorage", 1));
            assertEquals(true, storage.get("bucket", Document.class).getBoolean("configured"));
            assertEquals(inStore, number(storage.get("bucket", Document.class), "bytes"));

            // Time travel read the segments through the cache: it now holds some of them, within its limit.
            assertEquals(before, timeTravel(c, points), "reads after compaction");
            Document cache = tierFigures(c).get("cache", Document.class);
            assertEquals(TierSettings.DEFAULTS.cacheBytes(), number(cache, "limit"));
            assertTrue(number(cache, "bytes") > 0 && number(cache, "bytes") <= number(cache, "limit"), cache.toJson());
            assertTrue(number(cache, "misses") > 0 && number(cache, "reads") >= number(cache, "misses"), cache.toJson());

            CliRun status = BackupCommandIT.run("status", "--uri", BackupCommandIT.uri(server));
            assertEquals(0, status.code(), status.err());
            assertTrue(status.out().contains("s3://argon-tier/prod") && status.out().contains("versions moved"), status.out());
            assertTrue(!Files.exists(data.resolve("objects").resolve("tier")), "no segment in <data>/objects");
        }

        try (ArgonServer server = start(data, tier(where));
             MongoClient c = MongoClients.create(BackupCommandIT.uri(server))) {
            assertEquals(before, timeTravel(c, points), "reads after a restart");
        }

        TierMismatchException local = assertThrows(TierMismatchException.class, () -> start(data, tier(null)).close());
        assertTrue(local.getMessage().contains("--tier s3://argon-tier/prod"), local.getMessage());
        TierMismatchException other = assertThrows(TierMismatchException.class,
                () -> start(data, tier(bucket("s3://argon-tier/other"))).close());
        assertTrue(other.getMessage().contains("s3://argon-tier/prod"), other.getMessage());

        // Offline fsck reads the tier it is given, and refuses to check without it.
        CliRun fsck = BackupCommandIT.run("fsck", "--data", data.toString(), "--tier", "s3://argon-tier/prod", "--endpoint", endpoint,
                "--access-key-id", KEY, "--secret-access-key", SECRET);
        assertEquals(0, fsck.code(), fsck.out() + fsck.err());
        assertTrue(fsck.out().contains("clean"), fsck.out());
        CliRun noTier = BackupCommandIT.run("fsck", "--data", data.toString());
        assertEquals(CliException.CANNOT_CHECK, noTier.code(), noTier.out() + noTier.err());
        assertTrue(noTier.err().contains("--tier s3://argon-tier/prod"), noTier.err());

        // The refused starts left the directory as it was: it opens with its own tier and reads the same.
        try (ArgonServer server = start(data, tier(where));
             MongoClient c = MongoClients.create(BackupCommandIT.uri(server))) {
            assertEquals(before, timeTravel(c, points), "reads after the refused starts");
        }
    }

    @Test
    void anEmptyCatalogMayChangeItsTierAndAFolderTierTakesAPlainPath() throws Exception {
        Path data = root.resolve("data");
        try (ArgonServer server = start(data, tier(bucket("s3://argon-tier/first")));
             MongoClient c = MongoClients.create(BackupCommandIT.uri(server))) {
            c.getDatabase("shop").getCollection("items").insertOne(new Document("_id", 1));
        }
        Path folder = root.resolve("tier-folder");
        ArchiveLocation folderTier = ArchiveLocation.of(ArchiveOptions.url(folder.toString()));
        try (ArgonServer server = start(data, tier(folderTier));
             MongoClient c = MongoClients.create(BackupCommandIT.uri(server))) {
            MongoCollection<Document> items = c.getDatabase("shop").getCollection("items");
            for (int round = 1; round <= 20; round++) {
                items.updateOne(Filters.eq("_id", 1), Updates.set("v", round));
            }
            Document r = BackupCommandIT.admin(c, new Document("compactHistory", 1).append("hotWindowSeconds", 0));
            assertTrue(((Number) r.get("segments")).longValue() >= 1, r.toJson());
            try (ObjectStore f = folderTier.open(false)) {
                assertEquals(((Number) r.get("segments")).longValue(), segmentsIn(f).size());
            }
        }
        TierMismatchException e = assertThrows(TierMismatchException.class,
                () -> start(data, tier(bucket("s3://argon-tier/first"))).close());
        assertTrue(e.getMessage().contains(folder.toUri().toString().replaceAll("/$", "")), e.getMessage());
    }
}
