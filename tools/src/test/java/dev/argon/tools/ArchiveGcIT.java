package dev.argon.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.argon.proxy.ArgonServer;
import dev.argon.storage.manifest.Manifest;
import dev.argon.storage.manifest.ManifestStore;
import dev.argon.storage.manifest.SegmentRef;
import dev.argon.storage.object.ObjectInfo;
import dev.argon.storage.object.ObjectStore;
import dev.argon.wal.archive.ArchiveLocation;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bson.Document;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.Test;

/**
 * {@code argon gc --archive} as a user runs it, on a folder and on S3 (S3Proxy on a loopback port): a backup that
 * stored its segments and died before its manifest leaves them unreferenced; the GC keeps them while they are
 * younger than the grace period, reports and then removes them after it, never touches what the manifest names,
 * and the archive restores afterwards to branches identical to the original's (per-collection checksums and
 * dbHash).
 */
class ArchiveGcIT {
    private static final String KEY = "argon-gc-access";
    private static final String SECRET = "argon-gc-secret";

    /** How the test makes the leftovers older than the grace period, and which extra flags a GC takes. */
    private interface Age {
        /** Extra CLI arguments for a GC that must treat the leftovers as past their grace period. */
        List<String> afterGrace(Path folder, Set<String> leftovers) throws Exception;
    }

    @Test
    void aFolderArchivesLeftoversGoAfterTheGracePeriod() throws Exception {
        Path root = Files.createTempDirectory("argon-gc-it-");
        Path folder = root.resolve("archive");
        // A folder records file times the test can move back: two hours ago is past the default grace of one hour.
        scenario(root, folder.toString(), ArchiveLocation.of(folder.toUri().toString()), List.of(), (f, leftovers) -> {
            for (String k : leftovers) {
                Files.setLastModifiedTime(f.resolve(k), FileTime.from(Instant.now().minusSeconds(7200)));
            }
            return List.of();
        }, folder);
    }

    @Test
    void anS3ArchivesLeftoversGoAfterTheGracePeriod() throws Exception {
        Properties props = new Properties();
        props.setProperty("jclouds.identity", KEY);
        props.setProperty("jclouds.credential", SECRET);
        BlobStore blobs = BlobStores.create("transient", props);
        S3Proxy proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, KEY, SECRET).stopTimeout(0).build();
        proxy.start();
        while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
            Thread.sleep(10);
        }
        String endpoint = "http://127.0.0.1:" + proxy.getPort();
        try {
            List<String> s3 = List.of("--endpoint", endpoint, "--access-key-id", KEY, "--secret-access-key", SECRET);
            // A bucket's times cannot be moved back, so the grace period is shortened instead (0: anything written before now).
            scenario(Files.createTempDirectory("argon-gc-s3-it-"), "s3://argon-gc/prod",
                    new ArchiveLocation("s3://argon-gc/prod", endpoint, null, KEY, SECRET, true), s3,
                    (f, leftovers) -> {
                        Thread.sleep(1100); // S3 keeps whole seconds: the leftovers' time must be before this second
                        return List.of("--grace", "0s");
                    }, null);
        } finally {
            proxy.stop();
            blobs.close();
        }
    }

    @Test
    void compactionThenRetentionLeavesOneManifestOfLargerSegmentsThatRestoresTheSame() throws Exception {
        Path root = Files.createTempDirectory("argon-compact-it-");
        Path folder = root.resolve("archive");
        Map<String, Map<String, String>> expected = new TreeMap<>();
        try (ArgonServer server = ArgonServer.start(root.resolve("data"), "127.0.0.1", 0, null);
             MongoClient c = MongoClients.create(BackupCommandIT.uri(server))) {
            BackupCommandIT.load(c);
            String uri = BackupCommandIT.uri(server);
            for (int b = 0; b < 3; b++) {
                c.getDatabase("shop").getCollection("orders").insertOne(new Document("_id", 4000 + b).append("name", "backup " + b));
                c.getDatabase("shop~exp").getCollection("items").deleteOne(new Document("_id", b));
                CliRun r = BackupCommandIT.run("backup", "--to", folder.toString(), "--uri", uri);
                assertEquals(0, r.code(), r.err() + r.out());
            }
            for (String ref : List.of("main", "exp", "v1")) {
                expected.put(ref, BackupCommandIT.checksums(c, ref));
            }
        }
        BackupCommandIT.deleteTree(root.resolve("data"));
        int before;
        try (ObjectStore store = ArchiveLocation.of(folder.toUri().toString()).open(false)) {
            before = new ManifestStore(store).latest().orElseThrow().segments().size();
        }

        CliRun noArchive = BackupCommandIT.run("gc", "--compact");
        assertEquals(CliException.USAGE, noArchive.code(), noArchive.out());
        assertTrue(noArchive.err().contains("--archive"), noArchive.err());
        CliRun dryCompact = BackupCommandIT.run("gc", "--archive", folder.toString(), "--compact", "--dry-run");
        assertEquals(CliException.USAGE, dryCompact.code(), dryCompact.out());

        CliRun compact = BackupCommandIT.run("gc", "--archive", folder.toString(), "--compact", "--keep-manifests", "1", "--json");
        assertEquals(0, compact.code(), compact.err() + compact.out());
        Document d = json(compact);
        Document comp = d.get("compaction", Document.class);
        assertEquals(4L, ((Number) comp.get("sequence")).longValue(), compact.out());
        assertTrue(((Number) comp.get("segmentsMerged")).intValue() >= 10, compact.out());
        assertEquals(List.of(), d.getList("retiredManifests", Long.class), "superseded just now: kept for the grace period");
        assertEquals(List.of(), d.getList("removed", Document.class));
        try (ObjectStore store = ArchiveLocation.of(folder.toUri().toString()).open(false)) {
            assertTrue(new ManifestStore(store).latest().orElseThrow().segments().size() < before);
        }

        // An hour and more later (file times moved back), the older manifests and the segments only they named go.
        try (var walk = Files.walk(folder)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(p, FileTime.from(Instant.now().minusSeconds(7200)));
            }
        }
        CliRun gc = BackupCommandIT.run("gc", "--archive", folder.toString(), "--keep-manifests", "1", "--json");
        assertEquals(0, gc.code(), gc.err() + gc.out());
        Document g = json(gc);
        assertEquals(List.of(1, 2, 3), g.getList("retiredManifests", Number.class).stream().map(Number::intValue).toList(), gc.out());
        assertFalse(g.getList("removed", Document.class).isEmpty(), gc.out());
        try (ObjectStore store = ArchiveLocation.of(folder.toUri().toString()).open(false)) {
            ManifestStore ms = new ManifestStore(store);
            assertEquals(List.of(4L), ms.sequences());
            assertEquals(keys(ms.read(4).segments()), segments(store));
        }

        Path restored = root.resolve("restored");
        CliRun r = BackupCommandIT.run("restore", "--from", folder.toString(), "--data", restored.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertEquals(0, BackupCommandIT.run("fsck", "--data", restored.toString()).code());
        try (ArgonServer server = ArgonServer.start(restored, "127.0.0.1", 0, null);
             MongoClient c = MongoClients.create(BackupCommandIT.uri(server))) {
            for (String ref : List.of("main", "exp", "v1")) {
                assertEquals(expected.get(ref), BackupCommandIT.checksums(c, ref), ref);
            }
        }
    }

    private static void scenario(Path root, String url, ArchiveLocation location, List<String> s3, Age age, Path folder) throws Exception {
        Map<String, Map<String, String>> expected = new TreeMap<>();
        Set<String> leftovers;
        Set<String> named;
        try (ArgonServer server = ArgonServer.start(root.resolve("data"), "127.0.0.1", 0, null);
             MongoClient c = MongoClients.create(BackupCommandIT.uri(server))) {
            BackupCommandIT.load(c);
            String uri = BackupCommandIT.uri(server);
            CliRun b1 = BackupCommandIT.run(args(List.of("backup", "--to", url, "--uri", uri), s3));
            assertEquals(0, b1.code(), b1.err() + b1.out());
            for (String ref : List.of("main", "exp", "v1")) {
                expected.put(ref, BackupCommandIT.checksums(c, ref));
            }
            c.getDatabase("shop").getCollection("orders").insertOne(new Document("_id", 3000).append("name", "after the backup"));
            CliRun b2 = BackupCommandIT.run(args(List.of("backup", "--to", url, "--uri", uri), s3));
            assertEquals(0, b2.code(), b2.err() + b2.out());
        }
        // The second backup as if it had died before publishing: its new segments stored, its manifest not.
        try (ObjectStore store = location.open(false)) {
            ManifestStore ms = new ManifestStore(store);
            Manifest first = ms.read(1);
            Manifest second = ms.read(2);
            named = keys(first.segments());
            leftovers = keys(second.segments());
            leftovers.removeAll(named);
            store.delete(ManifestStore.key(2));
            store.put(ManifestStore.LATEST, "1\n".getBytes(StandardCharsets.UTF_8));
            assertFalse(leftovers.isEmpty());
            assertEquals(union(named, leftovers), segments(store));
        }
        BackupCommandIT.deleteTree(root.resolve("data"));

        // Before the grace period: reported as kept, nothing removed.
        CliRun early = BackupCommandIT.run(args(List.of("gc", "--archive", url, "--json"), s3));
        assertEquals(0, early.code(), early.err() + early.out());
        Document e = json(early);
        assertEquals(List.of(), e.getList("removed", Document.class));
        assertEquals(leftovers, keysOf(e.getList("keptYoung", Document.class)));
        assertEquals(1, ((Number) e.get("manifests")).intValue());
        CliRun human = BackupCommandIT.run(args(List.of("gc", "--archive", url), s3));
        assertEquals(0, human.code(), human.err());
        assertTrue(human.out().contains("removed 0 unreferenced segment(s)") && human.out().contains("kept " + leftovers.size()),
                human.out());

        List<String> late = age.afterGrace(folder, leftovers);
        CliRun dry = BackupCommandIT.run(args(List.of("gc", "--archive", url, "--dry-run", "--json"), late, s3));
        assertEquals(0, dry.code(), dry.err() + dry.out());
        assertEquals(leftovers, keysOf(json(dry).getList("wouldRemove", Document.class)));
        try (ObjectStore store = location.open(false)) {
            assertEquals(union(named, leftovers), segments(store), "a dry run deletes nothing");
        }
        CliRun gc = BackupCommandIT.run(args(List.of("gc", "--archive", url, "--json"), late, s3));
        assertEquals(0, gc.code(), gc.err() + gc.out());
        Document g = json(gc);
        assertEquals(leftovers, keysOf(g.getList("removed", Document.class)));
        assertTrue(((Number) g.get("removedBytes")).longValue() > 0, gc.out());
        try (ObjectStore store = location.open(false)) {
            assertEquals(named, segments(store), "what the manifest names stays, and only that");
        }

        // The archive still restores, to branches identical to the original's at the first backup.
        Path restored = root.resolve("restored");
        CliRun r = BackupCommandIT.run(args(List.of("restore", "--from", url, "--data", restored.toString()), s3));
        assertEquals(0, r.code(), r.err() + r.out());
        assertEquals(0, BackupCommandIT.run("fsck", "--data", restored.toString()).code());
        try (ArgonServer server = ArgonServer.start(restored, "127.0.0.1", 0, null);
             MongoClient c = MongoClients.create(BackupCommandIT.uri(server))) {
            for (String ref : List.of("main", "exp", "v1")) {
                assertEquals(expected.get(ref), BackupCommandIT.checksums(c, ref), ref);
            }
        }
    }

    @SafeVarargs
    private static String[] args(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) {
            all.addAll(p);
        }
        return all.toArray(new String[0]);
    }

    /** The CLI's JSON, past any log line of the in-process server sharing stdout. */
    private static Document json(CliRun run) {
        return Document.parse(run.out().substring(run.out().indexOf("{\n")));
    }

    private static Set<String> keys(List<SegmentRef> refs) {
        Set<String> out = new TreeSet<>();
        for (SegmentRef s : refs) {
            out.add(s.objectKey());
        }
        return out;
    }

    private static Set<String> keysOf(List<Document> items) {
        Set<String> out = new TreeSet<>();
        for (Document d : items) {
            out.add(d.getString("key"));
        }
        return out;
    }

    private static Set<String> segments(ObjectStore store) {
        Set<String> out = new TreeSet<>();
        for (ObjectInfo o : store.list(SegmentRef.PREFIX)) {
            out.add(o.key());
        }
        return out;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
    }
}
