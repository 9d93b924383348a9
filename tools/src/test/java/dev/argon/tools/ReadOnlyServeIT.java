package dev.argon.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.argon.proxy.ArgonServer;
import dev.argon.proxy.ReadOnlyNode;
import dev.argon.wal.archive.ArchiveLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * A read-only node from a folder backup, as a user runs it: a primary with two databases, a branch and a tag is
 * backed up with {@code argon backup}; a node serving that archive answers every branch, tag and time-travel point
 * as the primary did at the backup's LSN, refuses writes, DDL and branch operations with 10107 NotWritablePrimary
 * naming the primary, reports a secondary in hello, is reached by the Java driver with {@code directConnection=true}
 * and with a secondary read preference; a second backup becomes visible through the background refresh; a restart
 * on the same cache reuses the restored directory.
 */
class ReadOnlyServeIT {
    private static final int NOT_WRITABLE_PRIMARY = 10107;

    @Test
    void servesTheNewestBackupReadOnlyAndRefreshes() throws Exception {
        Path root = Files.createTempDirectory("argon-readonly-it-");
        Path folder = root.resolve("archive");
        Path cache = root.resolve("cache");
        try (ArgonServer primary = ArgonServer.start(root.resolve("data"), "127.0.0.1", 0, null);
             MongoClient pc = MongoClients.create(BackupCommandIT.uri(primary))) {
            BackupCommandIT.load(pc);
            long mid = BackupCommandIT.lsn(pc);
            pc.getDatabase("shop").getCollection("items").updateMany(new Document("qty", 1), new Document("$inc", new Document("qty", 50)));
            pc.getDatabase("crm").getCollection("people").insertOne(new Document("_id", "bob").append("age", 29));
            CliRun b1 = CliRun.of("backup", "--to", folder.toString(), "--uri", BackupCommandIT.uri(primary), "--json");
            assertEquals(0, b1.code(), b1.err() + b1.out());
            long covers = ((Number) Document.parse(b1.out()).get("coversLsn")).longValue();
            // What the primary answers at the backup's LSN, for main, a branch, a tag and a time-travel point.
            List<String> refs = List.of("main", "exp", "v1", "main@" + mid);
            Map<String, Map<String, String>> expected = new TreeMap<>();
            for (String ref : refs) {
                expected.put(ref, BackupCommandIT.checksums(pc, ref));
            }
            assertNotEquals(expected.get("main"), expected.get("main@" + mid), "main changed after the time-travel point");

            try (ReadOnlyNode node = ReadOnlyNode.start(ArchiveLocation.of(folder.toUri().toString()), cache, "127.0.0.1", 0, null, 200)) {
                assertEquals(1, node.sequence());
                assertEquals(covers, node.lsn());
                String direct = "mongodb://127.0.0.1:" + node.port() + "/?directConnection=true";
                try (MongoClient rc = MongoClients.create(direct)) {
                    for (String ref : refs) {
                        assertEquals(expected.get(ref), BackupCommandIT.checksums(rc, ref), ref);
                    }
                    assertEquals(List.of("exp", "main"), names(rc, "listBranches", "branches"));
                    assertEquals(List.of("v1"), names(rc, "listTags", "tags"));

                    Document hello = rc.getDatabase("admin").runCommand(new Document("hello", 1));
                    assertEquals(false, hello.getBoolean("isWritablePrimary"));
                    assertEquals(true, hello.getBoolean("secondary"));
                    assertEquals("argon", hello.getString("setName"));
                    String me = "127.0.0.1:" + node.port();
                    assertEquals(me, hello.getString("me"));
                    assertEquals(List.of(me), hello.getList("hosts", String.class));
                    assertNull(hello.get("primary"), "a read-only node names no primary in hello");
                    assertEquals(false, rc.getDatabase("admin").runCommand(new Document("isMaster", 1)).getBoolean("ismaster"));

                    String primaryHost = "127.0.0.1:" + primary.port();
                    MongoCollection<Document> items = rc.getDatabase("shop").getCollection("items");
                    long before = items.countDocuments();
                    MongoException insert = assertThrows(MongoException.class, () -> items.insertOne(new Document("_id", -1)));
                    assertEquals(NOT_WRITABLE_PRIMARY, insert.getCode(), insert.getMessage());
                    assertTrue(insert.getMessage().contains(primaryHost), insert.getMessage());
                    assertEquals(NOT_WRITABLE_PRIMARY, assertThrows(MongoException.class,
                            () -> items.createIndex(new Document("name", 1))).getCode());
                    assertEquals(NOT_WRITABLE_PRIMARY, assertThrows(MongoCommandException.class,
                            () -> BackupCommandIT.admin(rc, new Document("createBranch", "new").append("from", "main"))).getCode());
                    assertEquals(NOT_WRITABLE_PRIMARY, assertThrows(MongoCommandException.class,
                            () -> BackupCommandIT.admin(rc, new Document("createTag", "v2").append("ref", "main"))).getCode());
                    assertEquals(NOT_WRITABLE_PRIMARY, assertThrows(MongoException.class,
                            () -> items.aggregate(List.of(new Document("$out", "copy"))).toCollection()).getCode());
                    // Expiring documents is the primary's job: the TTL pass is off and stays off.
                    assertEquals(false, BackupCommandIT.admin(rc, new Document("getParameter", 1).append("ttlMonitorEnabled", 1))
                            .getBoolean("ttlMonitorEnabled"));
                    assertEquals(NOT_WRITABLE_PRIMARY, assertThrows(MongoCommandException.class,
                            () -> BackupCommandIT.admin(rc, new Document("setParameter", 1).append("ttlMonitorEnabled", true))).getCode());
                    assertEquals(before, items.countDocuments());
                    assertFalse(rc.getDatabase("shop").listCollectionNames().into(new java.util.ArrayList<>()).contains("copy"));
                    assertEquals(expected.get("main"), BackupCommandIT.checksums(rc, "main"), "refused writes changed nothing");
                }
                // A secondary read preference, without directConnection: the driver discovers a set with one secondary.
                try (MongoClient sc = MongoClients.create("mongodb://127.0.0.1:" + node.port() + "/?readPreference=secondary")) {
                    assertEquals(expected.get("v1"), BackupCommandIT.checksums(sc, "v1"));
                }

                // A second backup: the refresh restores it beside the first and swaps the server over on the same port.
                pc.getDatabase("shop").getCollection("orders").insertOne(new Document("_id", 3000).append("name", "after the first backup"));
                CliRun b2 = CliRun.of("backup", "--to", folder.toString(), "--uri", BackupCommandIT.uri(primary), "--json");
                assertEquals(0, b2.code(), b2.err() + b2.out());
                long deadline = System.currentTimeMillis() + 60_000;
                while (node.sequence() < 2 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(2, node.sequence(), "the refresh never made the second backup visible");
                Map<String, String> mainNow = BackupCommandIT.checksums(pc, "main");
                try (MongoClient rc = MongoClients.create(direct)) {
                    assertEquals(mainNow, BackupCommandIT.checksums(rc, "main"));
                    assertEquals(1, rc.getDatabase("shop").getCollection("orders").countDocuments(new Document("_id", 3000)));
                    assertEquals(expected.get("main@" + mid), BackupCommandIT.checksums(rc, "main@" + mid));
                }
            }
        }
        // The primary is gone; a restart on the same cache reuses the restored directory instead of restoring again.
        Path dir = cache.resolve("backup-2");
        Object inode = Files.readAttributes(dir, BasicFileAttributes.class).fileKey();
        assertFalse(Files.exists(cache.resolve("backup-1")), "the first backup's directory is removed after the swap");
        try (ReadOnlyNode node = ReadOnlyNode.start(ArchiveLocation.of(folder.toUri().toString()), cache, "127.0.0.1", 0, null, 0);
             MongoClient rc = MongoClients.create("mongodb://127.0.0.1:" + node.port() + "/?directConnection=true")) {
            assertEquals(2, node.sequence());
            assertEquals(inode, Files.readAttributes(dir, BasicFileAttributes.class).fileKey());
            assertEquals(1, rc.getDatabase("shop").getCollection("orders").countDocuments(new Document("_id", 3000)));
            MongoException e = assertThrows(MongoException.class,
                    () -> rc.getDatabase("shop").getCollection("orders").deleteMany(new Document()));
            assertEquals(NOT_WRITABLE_PRIMARY, e.getCode());
        }
        BackupCommandIT.deleteTree(root);
    }

    @Test
    void serveRefusesReadOnlyWithoutAnArchiveAndAnArchiveWithoutBackups() throws Exception {
        Path root = Files.createTempDirectory("argon-readonly-cli-");
        CliRun noFrom = CliRun.of("serve", "--read-only", "--data", root.resolve("c").toString(), "--port", "0");
        assertEquals(CliException.USAGE, noFrom.code(), noFrom.err());
        assertTrue(noFrom.err().contains("--from"), noFrom.err());
        CliRun noFlag = CliRun.of("serve", "--from", root.toString(), "--data", root.resolve("c").toString(), "--port", "0");
        assertEquals(CliException.USAGE, noFlag.code(), noFlag.err());
        assertTrue(noFlag.err().contains("--read-only"), noFlag.err());
        Files.createDirectories(root.resolve("empty"));
        CliRun empty = CliRun.of("serve", "--from", root.resolve("empty").toString(), "--read-only",
                "--data", root.resolve("c").toString(), "--port", "0");
        assertEquals(CliException.USAGE, empty.code(), empty.err());
        assertTrue(empty.err().contains("no manifest"), empty.err());
        BackupCommandIT.deleteTree(root);
    }

    /** pymongo (Debian's, under /usr/bin/python3) reads a tag from the node directly and sees its insert refused. */
    @Test
    void pymongoReadsTheNodeWithDirectConnection() throws Exception {
        boolean present = Files.exists(Path.of("/usr/bin/python3"))
                && new ProcessBuilder("/usr/bin/python3", "-c", "import pymongo").start().waitFor() == 0;
        if (!present) {
            String msg = "python3-pymongo is not installed (apt-get install python3-pymongo)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                org.junit.jupiter.api.Assertions.fail(msg);
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(false, msg);
        }
        Path root = Files.createTempDirectory("argon-readonly-py-");
        Path folder = root.resolve("archive");
        long tagged;
        try (ArgonServer primary = ArgonServer.start(root.resolve("data"), "127.0.0.1", 0, null);
             MongoClient pc = MongoClients.create(BackupCommandIT.uri(primary))) {
            BackupCommandIT.load(pc);
            tagged = pc.getDatabase("shop~v1").getCollection("items").countDocuments();
            assertEquals(0, CliRun.of("backup", "--to", folder.toString(), "--uri", BackupCommandIT.uri(primary)).code());
        }
        String script = String.join("\n",
                "import sys, pymongo",
                "c = pymongo.MongoClient(sys.argv[1], directConnection=True, serverSelectionTimeoutMS=20000)",
                "print(c['shop~v1'].items.count_documents({}))",
                "try:",
                "    c.shop.items.insert_one({'_id': -2})",
                "    print('inserted')",
                "except pymongo.errors.PyMongoError as e:",
                "    print((getattr(e, 'details', None) or {}).get('code', repr(e)))",
                "h = c.admin.command('hello')",
                "print(h['secondary'], h['isWritablePrimary'])");
        try (ReadOnlyNode node = ReadOnlyNode.start(ArchiveLocation.of(folder.toUri().toString()), root.resolve("cache"), "127.0.0.1", 0, null, 0)) {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", script, "mongodb://127.0.0.1:" + node.port())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
            assertEquals(List.of(Long.toString(tagged), "10107", "True False"), out.strip().lines().toList(), out);
        }
        BackupCommandIT.deleteTree(root);
    }

    private static List<String> names(MongoClient c, String command, String field) {
        return BackupCommandIT.admin(c, new Document(command, 1)).getList(field, Document.class).stream()
                .map(d -> d.getString("name")).sorted().toList();
    }
}
