package dev.argon.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.argon.wal.archive.ArchiveLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GC of the tier's objects in a bucket ({@code argon serve --tier s3://...}, S3Proxy on a loopback port): passes
 * publish their manifests into the bucket; {@code argon gc --json} keeps a segment no manifest names while it is
 * younger than the grace period and removes it with {@code --tier-grace} below its age, retires manifests beyond the
 * newest three, keeps every live segment, and every point reads the same; offline fsck with the tier is clean.
 */
class TierGcS3IT {
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
        root = Files.createTempDirectory("argon-tiergc-s3-");
    }

    @AfterEach
    void stopS3() throws Exception {
        s3.close();
        BackupCommandIT.deleteTree(root);
    }

    private static Map<String, List<Document>> reads(MongoClient c, List<Long> points) {
        Map<String, List<Document>> out = new LinkedHashMap<>();
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

    private static Set<String> keys(ObjectStore s3, String prefix) {
        Set<String> out = new TreeSet<>();
        for (ObjectInfo o : s3.list(prefix)) {
            out.add(o.key());
        }
        return out;
    }

    private static Document gc(ArgonServer server, String... extra) {
        List<String> args = new ArrayList<>(List.of("gc", "--json", "--no-merge", "--uri", BackupCommandIT.uri(server)));
        args.addAll(List.of(extra));
        CliRun run = BackupCommandIT.run(args.toArray(String[]::new));
        assertEquals(0, run.code(), run.out() + run.err());
        return Document.parse(run.out());
    }

    private static long number(Document d, String field) {
        assertTrue(d.get(field) instanceof Number, field + " in " + d.toJson());
        return ((Number) d.get(field)).longValue();
    }

    @Test
    void orphansInTheBucketGoAfterTheGraceAndLiveSegmentsStay() throws Exception {
        Path data = root.resolve("data");
        ArchiveLocation where = new ArchiveLocation("s3://argon-tier/gc", endpoint, null, KEY, SECRET, true);
        TierSettings tier = new TierSettings(TierSettings.DEFAULTS.hotWindowMillis(), 0, TierSettings.DEFAULTS.cacheBytes(), where);
        List<Long> points = new ArrayList<>();
        try (ArgonServer server = ArgonServer.start(data, "127.0.0.1", 0, null, false, NO_BACKGROUND_GC, tier);
             MongoClient c = MongoClients.create(BackupCommandIT.uri(server));
             ObjectStore s3 = where.open(false)) {
            MongoCollection<Document> items = c.getDatabase("shop").getCollection("items");
            for (int i = 1; i <= 40; i++) {
                items.insertOne(new Document("_id", i).append("v", 0).append("pad", "x".repeat(100)));
            }
            BackupCommandIT.admin(c, new Document("createBranch", "exp"));
            MongoCollection<Document> exp = c.getDatabase("shop~exp").getCollection("items");
            long published = 0;
            for (int pass = 1; pass <= 5; pass++) {
                for (int round = 1; round <= 6; round++) {
                    exp.updateMany(Filters.lte("_id", 20), Updates.set("v", "exp-" + pass + "." + round));
                    items.updateMany(Filters.gt("_id", 30), Updates.set("v", "main-" + pass + "." + round));
                    if (round % 3 == 0) {
                        points.add(BackupCommandIT.lsn(c));
                    }
                }
                Document r = BackupCommandIT.admin(c, new Document("compactHistory", 1).append("hotWindowSeconds", 0));
                published += number(r, "segments");
                assertEquals(published, keys(s3, "tier/manifests/").size(), "a manifest per stored chunk in the bucket: " + r.toJson());
            }
            assertEquals(published + "\n", new String(s3.get("tier/latest"), java.nio.charset.StandardCharsets.UTF_8));
            Map<String, List<Document>> before = reads(c, points);
            Set<String> live = keys(s3, "tier/segments/");
            String orphan = "tier/segments/" + "e".repeat(64);
            s3.put(orphan, new byte[100]);

            Document young = gc(server);
            assertEquals(0L, number(young, "tierObjectsRemoved"), young.toJson());
            assertEquals(1L, number(young, "tierObjectsKeptYoung"), young.toJson());
            assertEquals(0L, number(young, "tierManifestsRetired"), "successors younger than an hour: " + young.toJson());
            assertTrue(keys(s3, "tier/segments/").contains(orphan));

            Thread.sleep(2_100); // S3 records whole seconds: the orphan and the manifests are now older than a second
            Document done = gc(server, "--tier-grace", "1s");
            assertEquals(1L, number(done, "tierObjectsRemoved"), done.toJson());
            assertEquals(100L, number(done, "tierBytesRemoved"), done.toJson());
            assertEquals(published - 3, number(done, "tierManifestsRetired"), done.toJson());
            assertEquals(live, keys(s3, "tier/segments/"), "every live segment stays, the orphan went");
            assertEquals(3, keys(s3, "tier/manifests/").size());
            assertEquals(before, reads(c, points), "reads at every point after the GC");

            CliRun table = BackupCommandIT.run("gc", "--dry-run", "--uri", BackupCommandIT.uri(server));
            assertEquals(0, table.code(), table.err());
            assertTrue(table.out().contains("TIER") && table.out().contains("would remove"), table.out());
        }
        CliRun fsck = BackupCommandIT.run("fsck", "--data", data.toString(), "--tier", "s3://argon-tier/gc", "--endpoint", endpoint,
                "--access-key-id", KEY, "--secret-access-key", SECRET);
        assertEquals(0, fsck.code(), fsck.out() + fsck.err());
    }
}
