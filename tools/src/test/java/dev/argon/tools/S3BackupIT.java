package dev.argon.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.argon.proxy.ArgonServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The issue's user journey against a real S3 API (S3Proxy, in memory, on a loopback port, with signature checks),
 * through the CLI wherever a user uses it: load data, branch, write; {@code argon backup --to s3://...} (the CLI
 * passes the endpoint and credentials it was given to the server, which creates the missing bucket and uploads);
 * delete the data directory; {@code argon restore} and compare every branch and tag; {@code argon restore --at} an
 * earlier time and compare with a time-travel read of the original at that time; {@code argon serve --from s3://...
 * --read-only} (a child JVM) and read a tag from it, with writes refused. Wrong credentials give a clear error; a
 * missing bucket with {@code --no-create-bucket} too.
 */
class S3BackupIT {
    private static final List<String> REFS = List.of("main", "exp", "v1");

    @Test
    void backupToS3ThenRestoreFromItGivesIdenticalBranches() throws Exception {
        Path root = Files.createTempDirectory("argon-s3-it-");
        try (LocalS3 s3 = new LocalS3()) {
            String bucket = "s3://argon-backups/prod";
            Map<String, Map<String, String>> expected = new TreeMap<>();
            Map<String, Map<String, String>> atTime = new TreeMap<>();
            Instant time;
            try (ArgonServer server = ArgonServer.start(root.resolve("data"), "127.0.0.1", 0, null);
                 MongoClient c = MongoClients.create(BackupCommandIT.uri(server))) {
                BackupCommandIT.load(c);
                String uri = BackupCommandIT.uri(server);
                // A whole second between the load and what follows: database names cannot hold a fraction's '.'.
                time = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
                Thread.sleep(Math.max(0, time.toEpochMilli() + 100 - System.currentTimeMillis()));
                c.getDatabase("shop").getCollection("orders").insertOne(new Document("_id", 5000).append("name", "after the time"));
                c.getDatabase("shop~exp").getCollection("items").deleteMany(new Document("qty", 300));
                for (String ref : List.of("main", "exp")) {
                    atTime.put(ref, BackupCommandIT.checksums(c, ref + "@" + time));
                }

                CliRun missing = backup(s3, "s3://other-bucket/x", uri, "--no-create-bucket");
                assertEquals(CliException.SERVER, missing.code(), missing.out());
                assertTrue(missing.err().contains("other-bucket"), missing.err());

                List<String> wrong = List.of("backup", "--to", bucket, "--endpoint", s3.endpoint(),
                        "--access-key-id", LocalS3.KEY, "--secret-access-key", "wrong", "--uri", uri);
                CliRun denied = CliRun.of(wrong.toArray(String[]::new));
                assertEquals(CliException.SERVER, denied.code(), denied.out());
                assertTrue(denied.err().contains("credentials"), denied.err());

                CliRun b = backup(s3, bucket, uri, "--json");
                assertEquals(0, b.code(), b.err() + b.out());
                // The server runs in this JVM, so its log (a retried S3 call's WARN) can share the CLI's stdout.
                Document d = Document.parse(b.out().substring(b.out().indexOf("{\n")));
                assertEquals(bucket, d.getString("to"));
                assertTrue(((Number) d.get("segmentsStored")).intValue() >= 5, b.out());
                for (String ref : REFS) {
                    expected.put(ref, BackupCommandIT.checksums(c, ref));
                }
            }
            assertNotEquals(expected.get("main"), atTime.get("main"), "main changed after the time");
            BackupCommandIT.deleteTree(root.resolve("data"));

            Path restored = root.resolve("restored");
            CliRun r = restore(s3, bucket, restored);
            assertEquals(0, r.code(), r.err() + r.out());
            assertEquals(0, BackupCommandIT.run("fsck", "--data", restored.toString()).code());
            try (ArgonServer server = ArgonServer.start(restored, "127.0.0.1", 0, null);
                 MongoClient c = MongoClients.create(BackupCommandIT.uri(server))) {
                for (String ref : REFS) {
                    assertEquals(expected.get(ref), BackupCommandIT.checksums(c, ref), ref);
                }
            }

            Path earlier = root.resolve("earlier");
            CliRun at = restore(s3, bucket, earlier, "--at", time.toString());
            assertEquals(0, at.code(), at.err() + at.out());
            try (ArgonServer server = ArgonServer.start(earlier, "127.0.0.1", 0, null);
                 MongoClient c = MongoClients.create(BackupCommandIT.uri(server))) {
                for (String ref : List.of("main", "exp")) {
                    assertEquals(atTime.get(ref), BackupCommandIT.checksums(c, ref), ref + " restored --at " + time);
                }
            }

            // A read-only node from the bucket, as a user starts it: the tag reads as on the primary, writes are refused.
            List<String> serve = new ArrayList<>(List.of("--from", bucket, "--read-only", "--data", root.resolve("cache").toString(),
                    "--refresh-interval", "0"));
            serve.addAll(s3.flags());
            try (ServeProcess node = ServeProcess.start(root, "read-only", List.of(), serve.toArray(String[]::new));
                 MongoClient c = MongoClients.create(node.uri() + "/?directConnection=true")) {
                assertEquals(expected.get("v1"), BackupCommandIT.checksums(c, "v1"));
                assertEquals(10107, assertThrows(MongoException.class,
                        () -> c.getDatabase("shop").getCollection("items").insertOne(new Document("_id", -1))).getCode());
            }
        } finally {
            BackupCommandIT.deleteTree(root);
        }
    }

    private static CliRun backup(LocalS3 s3, String bucket, String uri, String... more) {
        List<String> args = new ArrayList<>(List.of("backup", "--to", bucket, "--uri", uri));
        args.addAll(s3.flags());
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static CliRun restore(LocalS3 s3, String bucket, Path dir, String... more) {
        List<String> args = new ArrayList<>(List.of("restore", "--from", bucket, "--data", dir.toString()));
        args.addAll(s3.flags());
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }
}
