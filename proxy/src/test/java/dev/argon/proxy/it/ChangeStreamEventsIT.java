package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.RenameCollectionOptions;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.OperationType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Change events beyond documents, through the Java driver: rename (with {@code to}), dropDatabase followed by
 * invalidate, the expanded DDL events of {@code showExpandedEvents}, and the session fields ({@code lsid},
 * {@code txnNumber}) of retryable writes and transactions.
 */
class ChangeStreamEventsIT extends ArgonTestBase {

    /** Reads events until n arrived (each tryNext is one awaiting getMore); fails after 50 empty getMores. */
    private static <T> List<T> take(MongoCursor<T> c, int n) {
        List<T> out = new ArrayList<>();
        for (int empty = 0; out.size() < n && empty < 50; ) {
            T e = c.tryNext();
            if (e == null) {
                empty++;
            } else {
                out.add(e);
            }
        }
        assertEquals(n, out.size(), "events received: " + out);
        return out;
    }

    private static <T> MongoChangeStreamCursor<ChangeStreamDocument<T>> open(ChangeStreamIterable<T> it) {
        return it.maxAwaitTime(200, TimeUnit.MILLISECONDS).cursor();
    }

    /** The raw event documents of a stream, so that fields the driver does not model can be read. */
    private static MongoCursor<BsonDocument> raw(ChangeStreamIterable<Document> it) {
        return it.maxAwaitTime(200, TimeUnit.MILLISECONDS).withDocumentClass(BsonDocument.class).cursor();
    }

    private static List<String> types(List<? extends ChangeStreamDocument<?>> events) {
        List<String> out = new ArrayList<>();
        for (ChangeStreamDocument<?> e : events) {
            out.add(e.getOperationTypeString());
        }
        return out;
    }

    @Test
    void renameIsOneEventWithToAndEndsACollectionStreamButNotADatabaseStream() {
        MongoCollection<Document> c = db("ren").getCollection("a");
        c.insertOne(doc("{_id: 1}"));
        try (var coll = open(c.watch()); var database = open(db("ren").watch())) {
            c.renameCollection(new com.mongodb.MongoNamespace("ren", "b"));
            db("ren").getCollection("b").insertOne(doc("{_id: 2}"));

            var ce = take(coll, 2);
            assertEquals(List.of("rename", "invalidate"), types(ce));
            assertEquals("a", ce.get(0).getNamespace().getCollectionName());
            assertEquals("ren", ce.get(0).getDestinationNamespace().getDatabaseName());
            assertEquals("b", ce.get(0).getDestinationNamespace().getCollectionName());

            var de = take(database, 2);
            assertEquals(List.of("rename", "insert"), types(de), "a database stream goes on after a rename");
            assertEquals("b", de.get(1).getNamespace().getCollectionName());
        }
        // A stream on the new name sees the collection's later writes.
        try (var b = open(db("ren").getCollection("b").watch())) {
            db("ren").getCollection("b").insertOne(doc("{_id: 3}"));
            assertEquals(3, take(b, 1).get(0).getDocumentKey().getInt32("_id").getValue());
        }
    }

    @Test
    void renameOverAnExistingTargetNamesItsUuidWhenExpanded() {
        db("ren2").getCollection("a").insertOne(doc("{_id: 1}"));
        db("ren2").getCollection("old").insertOne(doc("{_id: 1}"));
        try (var s = raw(db("ren2").getCollection("a").watch().showExpandedEvents(true))) {
            db("ren2").getCollection("a").renameCollection(new com.mongodb.MongoNamespace("ren2", "old"),
                    new RenameCollectionOptions().dropTarget(true));
            BsonDocument e = take(s, 1).get(0);
            assertEquals("rename", e.getString("operationType").getValue());
            assertEquals(json("{db: 'ren2', coll: 'old'}"), e.getDocument("to"));
            assertEquals(json("{db: 'ren2', coll: 'old'}"), e.getDocument("operationDescription").getDocument("to"));
            assertTrue(e.getDocument("operationDescription").get("dropTarget").isBinary(), e.toJson());
            assertTrue(e.get("collectionUUID").isBinary(), e.toJson());
        }
    }

    @Test
    void theReplacedTargetsStreamSeesTheRenameThenInvalidateAndNoDrop() {
        db("ren3").getCollection("src").insertOne(doc("{_id: 1}"));
        db("ren3").getCollection("dst").insertOne(doc("{_id: 1}"));
        try (var target = open(db("ren3").getCollection("dst").watch());
             var database = open(db("ren3").watch())) {
            db("ren3").getCollection("src").renameCollection(new com.mongodb.MongoNamespace("ren3", "dst"),
                    new RenameCollectionOptions().dropTarget(true));
            db("ren3").getCollection("after").insertOne(doc("{_id: 1}"));
            var te = take(target, 2);
            assertEquals(List.of("rename", "invalidate"), types(te), "as on mongod: the rename, not a drop of the target");
            assertEquals("dst", te.get(0).getDestinationNamespace().getCollectionName());
            assertEquals(List.of("rename", "insert"), types(take(database, 2)), "a database stream sees one rename, then goes on");
        }
    }

    @Test
    void dropDatabaseReportsEachDropThenDropDatabaseThenInvalidate() {
        db("dd").getCollection("a").insertOne(doc("{_id: 1}"));
        db("dd").getCollection("b").insertOne(doc("{_id: 1}"));
        try (var database = open(db("dd").watch());
             var coll = open(db("dd").getCollection("a").watch());
             var all = open(client.watch())) {
            db("dd").drop();
            db("ddother").getCollection("x").insertOne(doc("{_id: 1}"));

            var de = take(database, 4);
            assertEquals(List.of("drop", "drop", "dropDatabase", "invalidate"), types(de));
            assertEquals(OperationType.DROP_DATABASE, de.get(2).getOperationType());
            assertEquals("dd", de.get(2).getDatabaseName());
            assertNull(de.get(2).getNamespace(), "dropDatabase names only the database");

            assertEquals(List.of("drop", "invalidate"), types(take(coll, 2)));

            var ae = take(all, 4);
            assertEquals(List.of("drop", "drop", "dropDatabase", "insert"), types(ae), "a deployment stream goes on");
        }
        // Dropping the last collection one by one is a drop, not a dropDatabase: a database stream goes on.
        db("dd2").getCollection("only").insertOne(doc("{_id: 1}"));
        try (var database = open(db("dd2").watch())) {
            db("dd2").getCollection("only").drop();
            db("dd2").getCollection("again").insertOne(doc("{_id: 1}"));
            assertEquals(List.of("drop", "insert"), types(take(database, 2)));
        }
    }

    @Test
    void showExpandedEventsReportsDdl() {
        var database = db("ddl");
        try (var s = raw(database.watch().showExpandedEvents(true)); var plain = open(database.watch())) {
            database.createCollection("c", new com.mongodb.client.model.CreateCollectionOptions()
                    .validationOptions(new com.mongodb.client.model.ValidationOptions().validator(doc("{a: {$exists: true}}"))));
            MongoCollection<Document> c = database.getCollection("c");
            c.createIndex(Indexes.ascending("a"), new IndexOptions().name("a_1"));
            c.insertOne(doc("{_id: 1, a: 1}"));
            database.runCommand(doc("{collMod: 'c', validationLevel: 'moderate'}"));
            c.dropIndex("a_1");
            c.drop();

            var events = take(s, 6);
            List<String> kinds = new ArrayList<>();
            for (BsonDocument e : events) {
                kinds.add(e.getString("operationType").getValue());
                assertTrue(e.get("collectionUUID").isBinary(), "every collection event names its UUID: " + e.toJson());
                assertEquals(json("{db: 'ddl', coll: 'c'}"), e.getDocument("ns"));
            }
            assertEquals(List.of("create", "createIndexes", "insert", "modify", "dropIndexes", "drop"), kinds);
            assertEquals(json("{v: 2, key: {_id: 1}, name: '_id_'}"), events.get(0).getDocument("operationDescription")
                    .getDocument("idIndex"));
            BsonDocument created = events.get(1).getDocument("operationDescription").getArray("indexes").get(0).asDocument();
            assertEquals("a_1", created.getString("name").getValue());
            assertEquals(json("{a: 1}"), created.getDocument("key"));
            assertEquals(json("{validationLevel: 'moderate'}"), events.get(3).getDocument("operationDescription"));
            assertFalse(events.get(3).getDocument("stateBeforeChange").getDocument("collectionOptions").containsKey("validationLevel"));
            assertEquals("a_1", events.get(4).getDocument("operationDescription").getArray("indexes").get(0).asDocument()
                    .getString("name").getValue());
            assertEquals(events.get(0).get("collectionUUID"), events.get(5).get("collectionUUID"));

            // Without showExpandedEvents only the data and the drop are events.
            assertEquals(List.of("insert", "drop"), types(take(plain, 2)));
        }
    }

    @Test
    void disambiguatedPathsNameNumericFieldNamesWhenExpanded() {
        MongoCollection<Document> c = db("amb").getCollection("c");
        c.insertOne(doc("{_id: 1, a: {'1': 1}, arr: [{'2': 0}]}"));
        try (var s = raw(c.watch().showExpandedEvents(true))) {
            c.updateOne(doc("{_id: 1}"), doc("{$set: {'a.1': 2, 'arr.0.2': 5}}"));
            BsonDocument d = take(s, 1).get(0).getDocument("updateDescription");
            assertEquals(json("{'a.1': 2, 'arr.0.2': 5}"), d.getDocument("updatedFields"));
            assertEquals(json("{'a.1': ['a', '1'], 'arr.0.2': ['arr', 0, '2']}"), d.getDocument("disambiguatedPaths"));
        }
    }

    @Test
    void retryableWritesAndTransactionsCarryTheirSession() {
        MongoCollection<Document> c = db("sess").getCollection("c");
        c.insertOne(doc("{_id: 0}"));
        try (var s = open(c.watch())) {
            try (ClientSession session = client.startSession()) {
                c.insertOne(session, doc("{_id: 1}")); // a retryable write: the driver sends lsid and txnNumber
                session.withTransaction(() -> {
                    c.insertOne(session, doc("{_id: 2}"));
                    c.deleteOne(session, doc("{_id: 0}"));
                    return null;
                });
                var events = take(s, 3);
                BsonDocument lsid = events.get(0).getLsid();
                assertNotNull(lsid, "a retryable write's event names its session");
                assertEquals(session.getServerSession().getIdentifier().get("id"), lsid.get("id"));
                assertNotNull(events.get(0).getTxnNumber());
                for (int i = 1; i < 3; i++) {
                    assertEquals(lsid.get("id"), events.get(i).getLsid().get("id"), "transaction event " + i);
                    assertEquals(events.get(1).getTxnNumber(), events.get(i).getTxnNumber());
                }
                assertTrue(events.get(1).getTxnNumber().getValue() > events.get(0).getTxnNumber().getValue(),
                        "the transaction has the session's next txnNumber");
            }
            // Outside a session's retryable write (retryWrites off): no session fields.
            try (var plain = com.mongodb.client.MongoClients.create(uri() + "?retryWrites=false")) {
                plain.getDatabase("sess").getCollection("c").updateOne(doc("{_id: 1}"), doc("{$set: {x: 1}}"));
            }
            var e = take(s, 1).get(0);
            assertEquals(OperationType.UPDATE, e.getOperationType());
            assertNull(e.getTxnNumber(), "a write without txnNumber has none");
            assertNull(e.getLsid(), "nor a session");
        }
    }
}
