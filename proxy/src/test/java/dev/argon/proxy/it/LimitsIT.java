package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.argon.proxy.wire.Frames;
import dev.argon.proxy.wire.RawClient;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;

/**
 * mongod's limits on stored documents, 16 MiB of BSON and 100 levels of nesting, on every write path, with the
 * codes and messages mongod 7.0 gives: insert (2 BadValue "object to insert too large", 15 Overflow "cannot insert
 * document because it exceeds 100 levels of nesting"), update results (17419, 15 "Document exceeds maximum nesting
 * depth of 100"), upserts (17420) and findAndModify. The driver refuses some oversized documents itself, so those
 * go as raw commands or raw OP_MSG document sequences: the server's own check is what is tested. After each
 * refusal the same connection keeps working and nothing was stored.
 */
class LimitsIT extends ArgonTestBase {
    private static final int MAX = 16 * 1024 * 1024;

    /** {_id, s: "xxx..."} of exactly {@code size} bytes of BSON. */
    private static BsonDocument docOfSize(Object id, int size) {
        BsonDocument probe = new BsonDocument("_id", BsonDocument.parse("{v: " + quote(id) + "}").get("v"))
                .append("s", new BsonString(""));
        int overhead = new RawBsonDocument(probe, new org.bson.codecs.BsonDocumentCodec()).getByteBuffer().remaining();
        BsonDocument doc = probe.clone();
        doc.put("s", new BsonString("x".repeat(size - overhead)));
        assertEquals(size, new RawBsonDocument(doc, new org.bson.codecs.BsonDocumentCodec()).getByteBuffer().remaining());
        return doc;
    }

    private static String quote(Object id) {
        return id instanceof String s ? "'" + s + "'" : String.valueOf(id);
    }

    /** {a: {a: ... {a: 1}}} whose innermost field is at level {@code levels} (the top-level field is level 1). */
    private static BsonDocument nested(int levels, BsonValue innermost) {
        BsonValue v = innermost;
        for (int i = 1; i < levels; i++) {
            v = new BsonDocument("a", v);
        }
        return new BsonDocument("a", v);
    }

    private MongoCollection<Document> fresh(String name) {
        MongoCollection<Document> c = db("limits").getCollection(name);
        c.drop();
        return c;
    }

    private static BsonDocument onlyWriteError(BsonDocument reply) {
        assertEquals(1.0, reply.getNumber("ok").doubleValue(), reply::toJson);
        BsonArray errors = reply.getArray("writeErrors");
        assertEquals(1, errors.size(), reply::toJson);
        return errors.get(0).asDocument();
    }

    private BsonDocument run(String command) {
        return db("limits").runCommand(BsonDocument.parse(command), BsonDocument.class);
    }

    private BsonDocument run(BsonDocument command) {
        return db("limits").runCommand(command, BsonDocument.class);
    }

    private void assertConnectionWorks(String collection, long expectedCount) {
        assertEquals(1.0, run("{ping: 1}").getNumber("ok").doubleValue());
        assertEquals(expectedCount, db("limits").getCollection(collection).countDocuments());
    }

    @Test
    void insertOfSixteenMebibytesPassesAndOneByteMoreIsBadValue() {
        MongoCollection<Document> c = fresh("insertSize");
        BsonDocument atLimit = docOfSize(1, MAX);
        BsonDocument over = docOfSize(2, MAX + 1);
        db("limits").getCollection("insertSize", BsonDocument.class).insertOne(atLimit);
        // The driver checks a document's size before insertOne sends it; a raw command leaves the check to the server.
        BsonDocument reply = run(new BsonDocument("insert", new BsonString("insertSize"))
                .append("documents", new BsonArray(List.of(over))));
        assertEquals(0, reply.getInt32("n").getValue(), reply::toJson);
        BsonDocument error = onlyWriteError(reply);
        assertEquals(0, error.getInt32("index").getValue());
        assertEquals(2, error.getInt32("code").getValue());
        assertEquals("BadValue", error.getString("codeName").getValue());
        assertEquals("object to insert too large. size in bytes: " + (MAX + 1) + ", max size: " + MAX,
                error.getString("errmsg").getValue());
        assertConnectionWorks("insertSize", 1);
        Document stored = c.find(Filters.eq("_id", 1)).first();
        assertEquals(MAX - 22, stored.getString("s").length());
        assertNull(c.find(Filters.eq("_id", 2)).first());
    }

    @Test
    void oversizedDocumentInADocumentSequenceIsOneWriteError() throws Exception {
        fresh("sequence");
        BsonDocument insert = new BsonDocument("insert", new BsonString("sequence")).append("$db", new BsonString("limits"))
                .append("ordered", org.bson.BsonBoolean.FALSE);
        List<BsonDocument> docs = List.of(new BsonDocument("_id", new BsonInt32(1)), docOfSize(2, MAX + 1000),
                new BsonDocument("_id", new BsonInt32(3)));
        try (RawClient raw = new RawClient(server.port())) {
            BsonDocument reply = raw.call(Frames.opMsg(7, 0, insert, Frames.sequence("documents", docs))).document();
            assertEquals(2, reply.getInt32("n").getValue(), reply::toJson);
            BsonDocument error = onlyWriteError(reply);
            assertEquals(1, error.getInt32("index").getValue());
            assertEquals(2, error.getInt32("code").getValue());
            // The same raw connection carries on.
            BsonDocument ping = new BsonDocument("ping", new BsonInt32(1)).append("$db", new BsonString("limits"));
            assertEquals(1.0, raw.call(Frames.opMsg(8, 0, ping)).document().getNumber("ok").doubleValue());
        }
        assertConnectionWorks("sequence", 2);
    }

    @Test
    void documentBeyondTheWireLimitFailsTheCommandAndKeepsTheConnection() throws Exception {
        fresh("wire");
        // Past BSONObjMaxInternalSize (16 MiB + 16 KiB) a document cannot even be read from the message: mongod answers
        // the whole command with 10334 BSONObjectTooLarge, and so does Argon.
        BsonDocument insert = new BsonDocument("insert", new BsonString("wire")).append("$db", new BsonString("limits"));
        try (RawClient raw = new RawClient(server.port())) {
            BsonDocument reply = raw.call(Frames.opMsg(9, 0, insert,
                    Frames.sequence("documents", List.of(docOfSize(1, MAX + 64 * 1024))))).document();
            assertEquals(0.0, reply.getNumber("ok").doubleValue(), reply::toJson);
            assertEquals(10334, reply.getInt32("code").getValue());
            assertEquals("BSONObjectTooLarge", reply.getString("codeName").getValue());
            BsonDocument ping = new BsonDocument("ping", new BsonInt32(1)).append("$db", new BsonString("limits"));
            assertEquals(1.0, raw.call(Frames.opMsg(10, 0, ping)).document().getNumber("ok").doubleValue());
        }
        assertConnectionWorks("wire", 0);
    }

    @Test
    void updateWhoseResultIsTooLargeIs17419AndChangesNothing() {
        MongoCollection<Document> c = fresh("updateSize");
        String nine = "y".repeat(9 * 1024 * 1024);
        c.insertOne(new Document("_id", 1).append("a", nine));
        MongoWriteException e = assertThrows(MongoWriteException.class,
                () -> c.updateOne(Filters.eq("_id", 1), Updates.set("b", nine)));
        assertEquals(17419, e.getError().getCode());
        assertEquals("Resulting document after update is larger than " + MAX, e.getError().getMessage());
        assertConnectionWorks("updateSize", 1);
        assertEquals(List.of("_id", "a"), List.copyOf(c.find().first().keySet()));

        // A replacement past the limit, sent raw so that the server does the check.
        BsonDocument reply = run(new BsonDocument("update", new BsonString("updateSize")).append("updates", new BsonArray(List.of(
                new BsonDocument("q", new BsonDocument("_id", new BsonInt32(1))).append("u", docOfSize(1, MAX + 1))))));
        BsonDocument error = onlyWriteError(reply);
        assertEquals(17419, error.getInt32("code").getValue());
        assertEquals(0, reply.getInt32("nModified").getValue());
        assertEquals(nine, c.find().first().getString("a"));
    }

    @Test
    void upsertOfATooLargeDocumentIs17420() {
        MongoCollection<Document> c = fresh("upsertSize");
        BsonDocument reply = run(new BsonDocument("update", new BsonString("upsertSize")).append("updates", new BsonArray(List.of(
                new BsonDocument("q", new BsonDocument("_id", new BsonString("u"))).append("u", docOfSize("u", MAX + 1))
                        .append("upsert", org.bson.BsonBoolean.TRUE)))));
        BsonDocument error = onlyWriteError(reply);
        assertEquals(17420, error.getInt32("code").getValue());
        assertEquals("Document to upsert is larger than " + MAX, error.getString("errmsg").getValue());
        assertEquals(0, reply.getInt32("n").getValue());
        assertConnectionWorks("upsertSize", 0);
        assertEquals(0, c.countDocuments());
    }

    @Test
    void findAndModifyReportsTheSameLimitsAsCommandErrors() {
        MongoCollection<Document> c = fresh("famSize");
        String nine = "z".repeat(9 * 1024 * 1024);
        c.insertOne(new Document("_id", 1).append("a", nine));
        MongoDatabase db = db("limits");
        MongoCommandException grow = assertThrows(MongoCommandException.class, () -> db.runCommand(
                new Document("findAndModify", "famSize").append("query", new Document("_id", 1))
                        .append("update", new Document("$set", new Document("b", nine)))));
        assertEquals(17419, grow.getErrorCode());
        MongoCommandException upsert = assertThrows(MongoCommandException.class, () -> db.runCommand(
                new BsonDocument("findAndModify", new BsonString("famSize")).append("query", new BsonDocument("_id", new BsonInt32(2)))
                        .append("update", docOfSize(2, MAX + 1)).append("upsert", org.bson.BsonBoolean.TRUE)));
        assertEquals(17420, upsert.getErrorCode());
        MongoCommandException deep = assertThrows(MongoCommandException.class, () -> db.runCommand(
                new Document("findAndModify", "famSize").append("query", new Document("_id", 1))
                        .append("update", new Document("$set", new Document("deep", nested(100, new BsonInt32(1)))))));
        assertEquals(15, deep.getErrorCode());
        assertEquals("Overflow", deep.getErrorCodeName());
        assertConnectionWorks("famSize", 1);
        assertEquals(List.of("_id", "a"), List.copyOf(c.find().first().keySet()));
    }

    @Test
    void nestingDeeperThanOneHundredLevelsIsOverflowOnInsert() {
        MongoCollection<BsonDocument> c = db("limits").getCollection("depth", BsonDocument.class);
        c.drop();
        BsonDocument atLimit = nested(100, new BsonInt32(1)).append("_id", new BsonInt32(1));
        c.insertOne(atLimit);
        assertEquals(atLimit.get("a"), c.find(Filters.eq("_id", 1)).first().get("a"));
        // An empty document or array adds no level.
        c.insertOne(nested(100, new BsonDocument()).append("_id", new BsonInt32(2)));
        c.insertOne(nested(100, new BsonArray()).append("_id", new BsonInt32(3)));

        for (BsonValue innermost : List.of(new BsonInt32(1), new BsonArray(List.of(new BsonInt32(1))))) {
            MongoWriteException e = assertThrows(MongoWriteException.class,
                    () -> c.insertOne(nested(100, innermost instanceof BsonArray ? innermost : new BsonDocument("x", innermost))
                            .append("_id", new BsonInt32(4))));
            assertEquals(15, e.getError().getCode());
            assertEquals("cannot insert document because it exceeds 100 levels of nesting", e.getError().getMessage());
        }
        assertConnectionWorks("depth", 3);
        assertNull(c.find(Filters.eq("_id", 4)).first());
    }

    @Test
    void nestingDeeperThanOneHundredLevelsIsOverflowOnUpdateAndUpsert() {
        MongoCollection<BsonDocument> c = db("limits").getCollection("depthUpdate", BsonDocument.class);
        c.drop();
        c.insertOne(new BsonDocument("_id", new BsonInt32(1)));
        // The top-level field "deep" is level 1, so 99 more levels are allowed below it and 100 are not.
        c.updateOne(Filters.eq("_id", 1), new BsonDocument("$set", new BsonDocument("deep", nested(99, new BsonInt32(1)))));
        MongoWriteException set = assertThrows(MongoWriteException.class, () -> c.updateOne(Filters.eq("_id", 1),
                new BsonDocument("$set", new BsonDocument("deep", nested(100, new BsonInt32(1))))));
        assertEquals(15, set.getError().getCode());
        assertEquals("Document exceeds maximum nesting depth of 100", set.getError().getMessage());
        MongoWriteException replace = assertThrows(MongoWriteException.class, () -> c.replaceOne(Filters.eq("_id", 1),
                nested(101, new BsonInt32(1))));
        assertEquals(15, replace.getError().getCode());
        MongoWriteException upsert = assertThrows(MongoWriteException.class, () -> c.updateOne(Filters.eq("_id", 2),
                new BsonDocument("$set", new BsonDocument("deep", nested(100, new BsonInt32(1)))),
                new com.mongodb.client.model.UpdateOptions().upsert(true)));
        assertEquals(15, upsert.getError().getCode());
        assertEquals("Document exceeds maximum nesting depth of 100", upsert.getError().getMessage());
        assertConnectionWorks("depthUpdate", 1);
        assertEquals(nested(99, new BsonInt32(1)), c.find().first().get("deep"));
        assertTrue(c.find(Filters.eq("_id", 2)).first() == null);
    }
}
