package dev.argon.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.argon.engine.store.StoreChecker;
import dev.argon.proxy.ArgonServer;
import dev.argon.storage.manifest.Manifest;
import dev.argon.storage.manifest.ManifestStore;
import dev.argon.storage.manifest.SegmentRef;
import dev.argon.storage.object.ObjectStore;
import dev.argon.wal.archive.ArchiveLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of a server in the middle of {@code argon backup}, to a folder and to a real S3 API (S3Proxy on
 * loopback, in the test's JVM, so it outlives the server): the server runs as {@code argon serve} in a child JVM
 * and is killed once a test hook holds the upload after a number of stored segments, or at a random moment. Then
 * the data directory passes fsck and opens with every branch's checksums as before; the target restores to the
 * last completed backup (or says clearly it holds none); the killed server's temporary segments and its copy of
 * RocksDB's native library are gone after the restart; a new backup completes, incremental on the last completed one and reusing what the killed one stored,
 * and restores identical per-collection checksums on every branch.
 */
class BackupCrashIT {
    /** SegmentSink's test hook: the upload thread that stored this many segments waits (ten minutes). */
    private static final String PAUSE_AFTER = "argon.wal.backupPauseAfterSegments";
    private static final List<String> REFS = List.of("main", "exp", "v1", "dev");

    @Test
    void killedMidUploadToAFolderRestoresThePreviousBackup() throws Exception {
        Path work = Files.createTempDirectory("argon-backup-crash-");
        try {
            Path folder = work.resolve("archive");
            scenario(work, folder.toString(), List.of(), ArchiveLocation.of(folder.toUri().toString()), true, 3, null);
        } finally {
            BackupCommandIT.deleteTree(work);
        }
    }

    @Test
    void killedMidFirstUploadToS3SaysThereIsNoBackupYet() throws Exception {
        Path work = Files.createTempDirectory("argon-backup-crash-s3-");
        try (LocalS3 s3 = new LocalS3()) {
            String url = "s3://argon-crash/prod";
            scenario(work, url, s3.flags(), s3.location(url), false, 2, null);
        } finally {
            BackupCommandIT.deleteTree(work);
        }
    }

    @Test
    void killedAtARandomMomentOfAnS3Upload() throws Exception {
        long seed = Long.getLong("argon.crash.seed", System.nanoTime());
        System.out.println("backup crash: seed " + seed + " (replay with -Dargon.crash.seed=" + seed + ")");
        Path work = Files.createTempDirectory("argon-backup-crash-rnd-");
        try (LocalS3 s3 = new LocalS3()) {
            String url = "s3://argon-crash/random";
            scenario(work, url, s3.flags(), s3.location(url), true, 0, new Random(seed));
        } finally {
            BackupCommandIT.deleteTree(work);
        }
    }

    /**
     * @param completedFirst whether a backup completes before the one that is killed
     * @param pauseAfter     kill once the killed backup stored this many segments (the hook holds it there); or 0
     * @param random         with pauseAfter 0: kill after a random delay from the backup's first stored segment
     */
    private static void scenario(Path work, String target, List<String> flags, ArchiveLocation where, boolean completedFirst,
                                 int pauseAfter, Random random) throws Exception {
        Path data = work.resolve("data");
        Map<String, Map<String, String>> atFirst = null;
        long firstLsn = -1;
        int segmentsBefore = 0;
        Map<String, Map<String, String>> before;
        // Loading and the first backup run without the hook, which counts the segments of any backup of the process.
        try (ServeProcess loader = serve(work, "serve-0", List.of(), data);
             MongoClient c = MongoClients.create(loader.uri())) {
            BackupCommandIT.load(c);
            BackupCommandIT.admin(c, new Document("createBranch", "dev").append("from", "main"));
            c.getDatabase("crm~dev").getCollection("people").insertOne(new Document("_id", "cy").append("age", 33));
            if (completedFirst) {
                Document first = backup(target, flags, loader);
                firstLsn = ((Number) first.get("coversLsn")).longValue();
                atFirst = checksums(c);
                segmentsBefore = segmentObjects(where);
            }
            bulk(c);
            before = checksums(c);
        }
        List<String> props = pauseAfter > 0 ? List.of("-D" + PAUSE_AFTER + "=" + pauseAfter) : List.of();
        ServeProcess server = serve(work, "serve-1", props, data);
        // The backup that is killed, run as the user runs it; it fails when the server dies.
        CompletableFuture<CliRun> killed = CompletableFuture.supplyAsync(() -> run(target, flags, server, "--json"));
        if (pauseAfter > 0) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (segmentObjects(where) < segmentsBefore + pauseAfter && System.nanoTime() < deadline && !killed.isDone()) {
                Thread.sleep(20);
            }
            assertTrue(segmentObjects(where) >= segmentsBefore + pauseAfter, "the backup stored " + pauseAfter
                    + " segments before the kill: " + (killed.isDone() ? killed.get().err() : server.log()));
        } else {
            // A random moment once the upload is under way (its first new segment stored), or after it finished.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (segmentObjects(where) <= segmentsBefore && System.nanoTime() < deadline && !killed.isDone()) {
                Thread.sleep(5);
            }
            Thread.sleep(random.nextInt(1500));
        }
        server.kill();
        CliRun failed = killed.get(60, TimeUnit.SECONDS);
        Optional<Manifest> newest = manifest(where);
        long finishedSequence = newest.map(Manifest::sequence).orElse(0L);
        System.out.println("killed backup: exit " + failed.code() + ", newest manifest " + finishedSequence + ", "
                + segmentObjects(where) + " segment objects");
        if (pauseAfter > 0) {
            assertTrue(failed.code() != 0, "the killed backup reports a failure: " + failed.out());
            assertEquals(completedFirst ? 1L : 0L, finishedSequence, "no manifest is published by the killed backup");
        }

        assertEquals(List.of(), StoreChecker.check(data).problems(), "fsck after the kill");

        // The target: the last completed backup restores as it was, or the restore says there is none.
        Path r1 = work.resolve("restored-before");
        CliRun restore = restore(target, flags, r1);
        if (finishedSequence == 0) {
            assertEquals(CliException.USAGE, restore.code(), restore.out() + restore.err());
            assertTrue(restore.err().contains("no manifest"), restore.err());
            assertTrue(!Files.exists(r1) || isEmpty(r1), "a refused restore leaves no directory");
        } else {
            assertEquals(0, restore.code(), restore.err());
            Map<String, Map<String, String>> expected = finishedSequence == 1 && completedFirst ? atFirst : before;
            if (finishedSequence == 1 && completedFirst) {
                assertEquals(firstLsn, ((Number) Document.parse(restore.out()).get("restoredLsn")).longValue());
            }
            assertEquals(expected, served(r1), "the last completed backup restores as it was");
        }

        ServeProcess again = serve(work, "serve-2", List.of(), data);
        try (MongoClient c = MongoClients.create(again.uri())) {
            assertEquals(before, checksums(c), "every branch after the restart");
            assertEquals(List.of(), leftovers(work, data, again), "temporary segments of the killed backup after the restart");
            Document next = backup(target, flags, again);
            assertEquals(finishedSequence + 1, ((Number) next.get("sequence")).longValue(), next.toJson());
            assertEquals(finishedSequence, ((Number) next.get("parent")).longValue(), next.toJson());
            if (pauseAfter > 0) {
                assertTrue(((Number) next.get("segmentsReused")).intValue() >= 1,
                        "the new backup reuses segments the killed one stored: " + next.toJson());
            }
        } finally {
            again.close();
        }
        Path r2 = work.resolve("restored-after");
        CliRun last = restore(target, flags, r2);
        assertEquals(0, last.code(), last.err());
        assertEquals(0, CliRun.of("fsck", "--data", r2.toString()).code());
        assertEquals(before, served(r2), "the new backup restores every branch");
    }

    private static ServeProcess serve(Path work, String name, List<String> props, Path data) throws Exception {
        return ServeProcess.start(work, name, props, "--data", data.toString(), "--gc-interval", "0", "--compact-interval", "0");
    }

    /** 6,000 documents of 600 bytes that do not compress much, in shop.bulk on main, and changes on dev. */
    private static void bulk(MongoClient c) {
        Random rnd = new Random(7);
        byte[] pad = new byte[300];
        for (int batch = 0; batch < 6; batch++) {
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                rnd.nextBytes(pad);
                docs.add(new Document("_id", batch * 1000 + i).append("pad", HexFormat.of().formatHex(pad)));
            }
            c.getDatabase("shop").getCollection("bulk").insertMany(docs);
        }
        c.getDatabase("shop~dev").getCollection("bulk").updateMany(new Document("_id", new Document("$lt", 3000)),
                new Document("$set", new Document("dev", true)));
    }

    private static Map<String, Map<String, String>> checksums(MongoClient c) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (String ref : REFS) {
            out.put(ref, BackupCommandIT.checksums(c, ref));
        }
        return out;
    }

    /** Serves a restored directory in this JVM and reads every branch's checksums. */
    private static Map<String, Map<String, String>> served(Path dir) {
        try (ArgonServer s = ArgonServer.start(dir, "127.0.0.1", 0, null);
             MongoClient c = MongoClients.create(BackupCommandIT.uri(s))) {
            return checksums(c);
        }
    }

    private static CliRun run(String target, List<String> flags, ServeProcess server, String... more) {
        List<String> args = new ArrayList<>(List.of("backup", "--to", target, "--uri", server.uri()));
        args.addAll(flags);
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static Document backup(String target, List<String> flags, ServeProcess server) {
        CliRun b = run(target, flags, server, "--json");
        assertEquals(0, b.code(), b.err() + b.out());
        return Document.parse(b.out());
    }

    private static CliRun restore(String target, List<String> flags, Path dir) {
        List<String> args = new ArrayList<>(List.of("restore", "--from", target, "--data", dir.toString(), "--json"));
        args.addAll(flags);
        return CliRun.of(args.toArray(String[]::new));
    }

    private static int segmentObjects(ArchiveLocation where) {
        try (ObjectStore store = where.open(false)) {
            return store.list(SegmentRef.PREFIX).size();
        } catch (dev.argon.storage.object.ObjectStoreException e) {
            return 0; // the bucket is not made yet
        }
    }

    private static Optional<Manifest> manifest(ArchiveLocation where) {
        try (ObjectStore store = where.open(false)) {
            return new ManifestStore(store).latest();
        }
    }

    /**
     * What killed servers left in the servers' temporary folder (their backup's segments, their copy of RocksDB's
     * native library) and in the data directory's {@code _tmp}: everything but the running server's own library.
     */
    private static List<String> leftovers(Path work, Path data, ServeProcess running) throws Exception {
        Path own = ServeProcess.tmpDir(work).resolve("argon-native").resolve(Long.toString(running.pid()));
        List<String> out = new ArrayList<>();
        for (Path dir : List.of(ServeProcess.tmpDir(work), data.resolve("_tmp"))) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.walk(dir)) {
                    s.filter(Files::isRegularFile).filter(p -> !p.startsWith(own)).forEach(p -> out.add(work.relativize(p).toString()));
                }
            }
        }
        return out;
    }

    private static boolean isEmpty(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
