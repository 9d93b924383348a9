package dev.argon.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.argon.proxy.ArgonServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * {@code argon backup}, {@code restore} and {@code clone} as a user runs them: load data on several branches,
 * back up to a folder, write more, back up again (incremental), stop the server, restore into a new directory,
 * check it with fsck, serve it and compare per-collection checksums (documents in _id order) on every branch and
 * tag; a restore at an earlier LSN against a time-travel read of the original; a clone of one branch.
 */
class BackupCommandIT {
    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    static String uri(ArgonServer s) {
        return "mongodb://127.0.0.1:" + s.port();
    }

    /** Loads two databases on main, a branch with its own changes, a tag, and more on main after the fork. */
    static void load(MongoClient c) {
        for (String coll : List.of("items", "orders")) {
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                docs.add(new Document("_id", i).append("name", coll + "-" + i).append("qty", i % 13).append("pad", "x".repeat(200)));
            }
            c.getDatabase("shop").getCollection(coll).insertMany(docs);
        }
        c.getDatabase("shop").getCollection("items").createIndex(new Document("qty", 1));
        c.getDatabase("crm").getCollection("people").insertOne(new Document("_id", "ann").append("age", 41));
        admin(c, new Document("createBranch", "exp").append("from", "main"));
        MongoCollection<Document> exp = c.getDatabase("shop~exp").getCollection("items");
        exp.updateMany(new Document("qty", 3), new Document("$set", new Document("qty", 300)));
        exp.deleteMany(new Document("qty", 5));
        admin(c, new Document("createTag", "v1").append("ref", "exp"));
        c.getDatabase("shop").getCollection("orders").insertOne(new Document("_id", 1000).append("name", "late"));
        c.getDatabase("shop").getCollection("items").deleteOne(new Document("_id", 7));
    }

    static Document admin(MongoClient c, Document cmd) {
        return c.getDatabase("admin").runCommand(cmd);
    }

    /** Per collection of each database on a ref, the SHA-256 of its documents in _id order, and dbHash's md5. */
    static Map<String, String> checksums(MongoClient c, String ref) {
        Map<String, String> out = new TreeMap<>();
        for (String db : List.of("shop", "crm")) {
            String name = ref.equals("main") ? db : db + "~" + ref;
            // the server's own per-collection hash, beside the one computed here from what the driver reads
            Document h = c.getDatabase(name).runCommand(new Document("dbHash", 1));
            out.put("dbHash " + db, h.getString("md5"));
            for (String coll : c.getDatabase(name).listCollectionNames()) {
                try {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    for (Document d : c.getDatabase(name).getCollection(coll).find().sort(new Document("_id", 1))) {
                        sha.update(d.toJson().getBytes(StandardCharsets.UTF_8));
                    }
                    out.put(db + "." + coll, HexFormat.of().formatHex(sha.digest()));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }

    static long lsn(MongoClient c) {
        return ((Number) admin(c, new Document("argonStatus", 1)).get("headLsn")).longValue();
    }

    @Test
    void backupWipeRestoreGivesIdenticalBranchesAndAnIncrementalShipsOnlyWhatIsNew() throws Exception {
        Path root = Files.createTempDirectory("argon-backup-it-");
        Path folder = root.resolve("archive");
        Map<String, Map<String, String>> expected = new TreeMap<>();
        Map<String, String> atFirst;
        long firstLsn;
        Document first;
        Document second;
        try (ArgonServer server = ArgonServer.start(root.resolve("data"), "127.0.0.1", 0, null);
             MongoClient c = MongoClients.create(uri(server))) {
            load(c);
            CliRun b1 = run("backup", "--to", folder.toString(), "--uri", uri(server), "--json");
            assertEquals(0, b1.code(), b1.err() + b1.out());
            first = Document.parse(b1.out());
            assertEquals(1L, ((Number) first.get("sequence")).longValue());
            assertEquals(0L, ((Number) first.get("parent")).longValue());
            firstLsn = ((Number) first.get("coversLsn")).longValue();
            assertEquals(lsn(c), firstLsn);
            atFirst = checksums(c, "main@" + firstLsn);

            c.getDatabase("shop").getCollection("orders").insertOne(new Document("_id", 2000).append("name", "after first backup"));
            CliRun b2 = run("backup", "--to", folder.toUri().toString(), "--uri", uri(server), "--json");
            assertEquals(0, b2.code(), b2.err());
            second = Document.parse(b2.out());
            assertEquals(2L, ((Number) second.get("sequence")).longValue());
            assertEquals(firstLsn, ((Number) second.get("sinceLsn")).longValue());
            for (String ref : List.of("main", "exp", "v1")) {
                expected.put(ref, checksums(c, ref));
            }
            CliRun human = run("backup", "--to", folder.toString(), "--uri", uri(server));
            assertEquals(0, human.code(), human.err());
            assertTrue(human.out().contains("incremental since lsn"), human.out());
        }
        // The incremental shipped one commit's entries: a handful of entries and far fewer bytes than the first.
        assertTrue(((Number) second.get("entries")).longValue() < 20, second.toJson());
        assertTrue(((Number) second.get("bytesStored")).longValue() * 5 < ((Number) first.get("bytesStored")).longValue(),
                second.toJson() + " vs " + first.toJson());
        assertTrue(((Number) second.get("segmentsStored")).intValue() <= 6, second.toJson());
        assertNotEquals(expected.get("main"), atFirst, "main changed after the first backup");

        // wipe: the original directory is deleted before the restore
        deleteTree(root.resolve("data"));
        Path restored = root.resolve("restored");
        CliRun r = run("restore", "--from", folder.toString(), "--data", restored.toString(), "--json");
        assertEquals(0, r.code(), r.err() + r.out());
        assertEquals(0, run("fsck", "--data", restored.toString()).code());
        try (ArgonServer server = ArgonServer.start(restored, "127.0.0.1", 0, null);
             MongoClient c = MongoClients.create(uri(server))) {
            for (String ref : List.of("main", "exp", "v1")) {
                assertEquals(expected.get(ref), checksums(c, ref), ref);
            }
            assertEquals(2, c.getDatabase("shop").getCollection("items").listIndexes().into(new ArrayList<>()).size());
        }

        // restore --at the first backup's LSN: main as a time-travel read of the original saw it
        Path earlier = root.resolve("earlier");
        CliRun at = run("restore", "--from", folder.toString(), "--at", Long.toString(firstLsn), "--data", earlier.toString(), "--json");
        assertEquals(0, at.code(), at.err() + at.out());
        assertEquals(firstLsn, ((Number) Document.parse(at.out()).get("restoredLsn")).longValue());
        assertEquals(0, run("fsck", "--data", earlier.toString()).code());
        try (ArgonServer server = ArgonServer.start(earlier, "127.0.0.1", 0, null);
             MongoClient c = MongoClients.create(uri(server))) {
            assertEquals(atFirst, checksums(c, "main"));
            assertEquals(expected.get("exp"), checksums(c, "exp"), "exp did not change after the first backup");
        }

        // a non-empty directory is refused, and left as it was
        CliRun refused = run("restore", "--from", folder.toString(), "--data", restored.toString());
        assertEquals(CliException.USAGE, refused.code());
        assertTrue(refused.err().contains("not empty"), refused.err());

        // clone of exp: that branch (and main at the fork point)
        Path cloned = root.resolve("clone");
        CliRun cl = run("clone", "--from", folder.toString(), "--branch", "exp", "--data", cloned.toString(), "--json");
        assertEquals(0, cl.code(), cl.err() + cl.out());
        assertEquals(0, run("fsck", "--data", cloned.toString()).code());
        try (ArgonServer server = ArgonServer.start(cloned, "127.0.0.1", 0, null);
             MongoClient c = MongoClients.create(uri(server))) {
            assertEquals(expected.get("exp"), checksums(c, "exp"));
            assertEquals(expected.get("v1"), checksums(c, "v1"));
        }
    }

    static void deleteTree(Path p) throws java.io.IOException {
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
