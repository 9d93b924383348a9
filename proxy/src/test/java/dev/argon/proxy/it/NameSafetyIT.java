package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.client.MongoDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile branch, tag, database and collection names ({@code ..}, absolute paths, NUL, very long names, Unicode
 * look-alikes) through the Java driver and raw {@code OP_MSG}: each gets MongoDB's error (BadValue for refs,
 * InvalidNamespace for namespaces), nothing lands outside the data directory, and what was written before is
 * still there afterwards.
 */
class NameSafetyIT extends ArgonTestBase {
    /** A file name no test writes: if any name ever became a path, it would show up next to the data directory. */
    private static final String PROBE = "names-escape-probe";

    private static final List<String> BAD_REFS = List.of("..", "../" + PROBE, "/tmp/" + PROBE, PROBE + "/..", ".", ".x",
            "x.", "a\0b", "x".repeat(65), "\uD83D\uDE00".repeat(40), "a\uff0f" + PROBE, "\uff0e\uff0e", "a\u2215b",
            "a\u2044b", "\uff4d\uff41\uff49\uff4e", "caf\u0065\u0301", "a\u202eb", "a\u200bb", "a b", "a~b", "a@1", "-x",
            "a\\b", "C:" + PROBE);

    @BeforeAll
    void load() {
        MongoDatabase shop = db("shop");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            docs.add(new Document("_id", i).append("v", "item-" + i));
        }
        shop.getCollection("items").insertMany(docs);
        admin(new Document("createBranch", "exp"));
        admin(new Document("createTag", "v1").append("ref", "main"));
    }

    private Document admin(Document command) {
        return db("admin").runCommand(command);
    }

    private int errorOf(Document command) {
        return assertThrows(MongoCommandException.class, () -> admin(command), command.toJson()).getErrorCode();
    }

    @Test
    void badBranchAndTagNamesAreRefusedWithBadValue() {
        for (String bad : BAD_REFS) {
            assertEquals(2, errorOf(new Document("createBranch", bad)), "createBranch " + bad);
            assertEquals(2, errorOf(new Document("createTag", bad).append("ref", "main")), "createTag " + bad);
            assertEquals(2, errorOf(new Document("renameBranch", "exp").append("to", bad)), "renameBranch to " + bad);
        }
        MongoCommandException e = assertThrows(MongoCommandException.class, () -> admin(new Document("createBranch", "caf\u0065\u0301")));
        assertTrue(e.getErrorMessage().contains("NFKC"), e.getErrorMessage());
        MongoCommandException nul = assertThrows(MongoCommandException.class, () -> admin(new Document("createBranch", "a\0b")));
        assertTrue(nul.getErrorMessage().contains("a\\0b"), "NUL is shown escaped: " + nul.getErrorMessage());

        List<String> names = new ArrayList<>();
        for (Document b : admin(new Document("listBranches", 1)).getList("branches", Document.class)) {
            names.add(b.getString("name"));
        }
        assertEquals(List.of("exp", "main"), names.stream().sorted().toList(), "no branch was created or renamed");
        assertEquals(1, admin(new Document("listTags", 1)).getList("tags", Document.class).size());
        assertUnharmed();
    }

    @Test
    void unicodeNamesInNormalFormWorkAsBranchesAndDatabases() {
        String name = "exp\u00e9rience-\u5b9f\u9a13";
        admin(new Document("createBranch", name));
        db("shop~" + name).getCollection("items").insertOne(new Document("_id", 100).append("v", "only here"));
        assertEquals(21, db("shop~" + name).getCollection("items").countDocuments());
        assertEquals(20, db("shop").getCollection("items").countDocuments());
        // The NFD spelling of the same word is not a second name for it, and not a way in.
        assertEquals(2, errorOf(new Document("createBranch", "expe\u0301rience-\u5b9f\u9a13")));
        admin(new Document("dropBranch", name));
        assertUnharmed();
    }

    @Test
    void refsInDatabaseNamesNeverResolveOutsideTheirBranch() throws IOException {
        // The Java driver refuses a '.' or '/' in a database name; raw OP_MSG sends them as a hostile client would.
        try (OpMsgConnection c = new OpMsgConnection(server.port())) {
            for (String bad : List.of("..", "../exp", "main/..", "exp~main", "\uff4d\uff41\uff49\uff4e", "/tmp", "a\0b")) {
                BsonDocument reply = insert(c, "shop~" + bad, "x");
                assertEquals(26, reply.getNumber("code", new org.bson.BsonInt32(-1)).intValue(), bad + ": " + reply.toJson());
            }
        }
        assertUnharmed();
    }

    private static BsonDocument insert(OpMsgConnection c, String db, String id) throws IOException {
        return c.call(new BsonDocument("insert", new BsonString("items"))
                .append("documents", new org.bson.BsonArray(List.of(new BsonDocument("_id", new BsonString(id)))))
                .append("$db", new BsonString(db)));
    }

    @Test
    void badDatabaseNamesAreRefusedWithInvalidNamespace() throws IOException {
        // The Java driver refuses most of these itself; raw OP_MSG shows what the server does with them.
        List<String> bad = List.of("../" + PROBE, "/tmp/" + PROBE, "a\\b", "a.b", "a\0b", "a b", "a$b", "a*b", "a:b", "a|b",
                "a?b", "a<b", "a>b", "a\"b", "x".repeat(64), "\u00e9".repeat(32));
        try (OpMsgConnection c = new OpMsgConnection(server.port())) {
            for (String name : bad) {
                BsonDocument reply = insert(c, name, "evil");
                assertEquals(73, reply.getNumber("code", new org.bson.BsonInt32(-1)).intValue(), name + ": " + reply.toJson());
                assertEquals("InvalidNamespace", reply.getString("codeName").getValue());
            }
            // 63 bytes is the limit: 31 two-byte characters and one more byte pass.
            BsonDocument ok = insert(c, "\u00e9".repeat(31) + "x", "fine");
            assertEquals(1.0, ok.getNumber("ok").doubleValue(), ok.toJson());
        }
        List<String> dbs = client.listDatabaseNames().into(new ArrayList<>());
        assertFalse(dbs.stream().anyMatch(d -> d.contains(PROBE) || d.contains("\0")), dbs.toString());
        assertUnharmed();
    }

    @Test
    void badCollectionNamesAreRefusedWithInvalidNamespace() {
        MongoDatabase shop = db("shop");
        String tooLong = "c".repeat(255 - "shop.".length() + 1);
        String tooLongInBytes = "\u00e9".repeat(126);
        for (String bad : List.of("a$b", "$x", "a\0b", ".x", "x.", tooLong, tooLongInBytes)) {
            MongoException e = assertThrows(MongoException.class, () -> shop.getCollection(bad).insertOne(new Document("_id", 1)), bad);
            assertEquals(73, e.getCode(), bad + ": " + e.getMessage());
            e = assertThrows(MongoException.class, () -> shop.createCollection(bad), bad);
            assertEquals(73, e.getCode(), bad);
        }
        // A read of a name that cannot exist says so, as mongod does for NUL.
        assertEquals(73, assertThrows(MongoException.class, () -> shop.getCollection("a\0b").find().first()).getCode());
        // Renaming onto a bad name leaves the source where it was.
        shop.getCollection("tmp").insertOne(new Document("_id", 1));
        MongoCommandException e = assertThrows(MongoCommandException.class, () -> admin(new Document("renameCollection", "shop.tmp")
                .append("to", "shop.a$b")));
        assertEquals(73, e.getErrorCode());
        assertEquals(1, shop.getCollection("tmp").countDocuments());
        assertEquals(List.of("items", "tmp"), shop.listCollectionNames().into(new ArrayList<>()).stream().sorted().toList());
        shop.getCollection("tmp").drop();
        assertUnharmed();
    }

    @Test
    void pymongoSeesTheSameErrorsAndFigures() throws Exception {
        ExternalClient.require(ExternalClient.pymongoPresent(), "pymongo (Debian package python3-pymongo)");
        String out = ExternalClient.run(List.of("/usr/bin/python3", "names.py", uri()));
        ExternalClient.assertOk(out, "pymongo-names");
        assertUnharmed();
    }

    /** The documents loaded first are all there on every branch, and no file was created next to the data directory. */
    private void assertUnharmed() {
        for (String ref : List.of("shop", "shop~exp", "shop~v1")) {
            assertEquals(20, db(ref).getCollection("items").countDocuments(), ref);
            assertEquals("item-7", db(ref).getCollection("items").find(new Document("_id", 7)).first().getString("v"), ref);
        }
        assertFalse(Files.exists(dataDir.resolveSibling(PROBE)));
        assertFalse(Files.exists(java.nio.file.Path.of("/tmp", PROBE)));
        try (Stream<java.nio.file.Path> all = Files.walk(dataDir)) {
            assertFalse(all.anyMatch(p -> p.getFileName().toString().contains(PROBE)));
        } catch (IOException ex) {
            throw new AssertionError(ex);
        }
    }
}
