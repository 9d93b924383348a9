package dev.argon.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.argon.proxy.ArgonServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.bson.Document;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.Test;

/**
 * Backup to and restore from a real S3 API (S3Proxy, in memory, on a loopback port, with signature checks): the
 * CLI passes the endpoint and credentials it was given to the server, which creates the missing bucket and
 * uploads; the restore reads the bucket itself, and so does a read-only node serving it. Wrong credentials give a clear error; a missing bucket with
 * {@code --no-create-bucket} too.
 */
class S3BackupIT {
    private static final String KEY = "argon-it-access";
    private static final String SECRET = "argon-it-secret";

    @Test
    void backupToS3ThenRestoreFromItGivesIdenticalBranches() throws Exception {
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
            Path root = Files.createTempDirectory("argon-s3-it-");
            Map<String, Map<String, String>> expected = new TreeMap<>();
            try (ArgonServer server = ArgonServer.start(root.resolve("data"), "127.0.0.1", 0, null);
                 MongoClient c = MongoClients.create(BackupCommandIT.uri(server))) {
                BackupCommandIT.load(c);
                String uri = BackupCommandIT.uri(server);
                CliRun missing = BackupCommandIT.run("backup", "--to", "s3://other-bucket/x", "--endpoint", endpoint,
                        "--access-key-id", KEY, "--secret-access-key", SECRET, "--no-create-bucket", "--uri", uri);
                assertEquals(CliException.SERVER, missing.code(), missing.out());
                assertTrue(missing.err().contains("other-bucket"), missing.err());

                CliRun denied = BackupCommandIT.run("backup", "--to", "s3://argon-backups/prod", "--endpoint", endpoint,
                        "--access-key-id", KEY, "--secret-access-key", "wrong", "--uri", uri);
                assertEquals(CliException.SERVER, denied.code(), denied.out());
                assertTrue(denied.err().contains("credentials"), denied.err());

                CliRun b = BackupCommandIT.run("backup", "--to", "s3://argon-backups/prod", "--endpoint", endpoint,
                        "--access-key-id", KEY, "--secret-access-key", SECRET, "--uri", uri, "--json");
                assertEquals(0, b.code(), b.err() + b.out());
                // The server runs in this JVM, so its log (a retried S3 call's WARN) can share the CLI's stdout.
                Document d = Document.parse(b.out().substring(b.out().indexOf("{\n")));
                assertEquals("s3://argon-backups/prod", d.getString("to"));
                assertTrue(((Number) d.get("segmentsStored")).intValue() >= 5, b.out());
                for (String ref : List.of("main", "exp", "v1")) {
                    expected.put(ref, BackupCommandIT.checksums(c, ref));
                }
            }
            BackupCommandIT.deleteTree(root.resolve("data"));
            Path restored = root.resolve("restored");
            CliRun r = BackupCommandIT.run("restore", "--from", "s3://argon-backups/prod", "--endpoint", endpoint,
                    "--access-key-id", KEY, "--secret-access-key", SECRET, "--data", restored.toString());
            assertEquals(0, r.code(), r.err() + r.out());
            assertEquals(0, BackupCommandIT.run("fsck", "--data", restored.toString()).code());
            try (ArgonServer server = ArgonServer.start(restored, "127.0.0.1", 0, null);
                 MongoClient c = MongoClients.create(BackupCommandIT.uri(server))) {
                for (String ref : List.of("main", "exp", "v1")) {
                    assertEquals(expected.get(ref), BackupCommandIT.checksums(c, ref), ref);
                }
            }
            // A read-only node from the bucket: the tag reads as it did on the primary, writes are refused.
            dev.argon.wal.archive.ArchiveLocation bucket = new dev.argon.wal.archive.ArchiveLocation("s3://argon-backups/prod",
                    endpoint, null, KEY, SECRET, false);
            try (dev.argon.proxy.ReadOnlyNode node = dev.argon.proxy.ReadOnlyNode.start(bucket, root.resolve("cache"), "127.0.0.1", 0, null, 0);
                 MongoClient c = MongoClients.create("mongodb://127.0.0.1:" + node.port() + "/?directConnection=true")) {
                assertEquals(expected.get("v1"), BackupCommandIT.checksums(c, "v1"));
                assertEquals(10107, org.junit.jupiter.api.Assertions.assertThrows(com.mongodb.MongoException.class,
                        () -> c.getDatabase("shop").getCollection("items").insertOne(new Document("_id", -1))).getCode());
            }
        } finally {
            proxy.stop();
            blobs.close();
        }
    }
}
