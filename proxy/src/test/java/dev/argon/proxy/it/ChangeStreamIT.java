package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.client.model.changestream.FullDocumentBeforeChange;
import com.mongodb.client.model.changestream.OperationType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** Change streams through the Java driver's {@code watch()}: event shapes, images, awaiting, resuming, branches. */
class ChangeStreamIT extends ArgonTestBase {

    private Document admin(String cmd) {
        return db("admin").runCommand(doc(cmd));
    }

    /** Reads events until n arrived (each tryNext is one awaiting getMore); fails after 50 empty getMores. */
    private static <T> List<ChangeStreamDocument<T>> take(MongoChangeStreamCursor<ChangeStreamDocument<T>> c, int n) {
        List<ChangeStreamDocument<T>> out = new ArrayList<>();
        for (int empty = 0; out.size() < n && empty < 50; ) {
            ChangeStreamDocument<T> e = c.tryNext();
            if (e == null) {
                empty++;
            } else {
                out.add(e);
            }
        }
        assertEquals(n, out.size(), "events received: " + out);
        return out;
    }

    private static <T> MongoChangeStreamCursor<ChangeStreamDocument<T>> open(com.mongodb.client.ChangeStreamIterable<T> it) {
        return it.maxAwaitTime(200, TimeUnit.MILLISECONDS).cursor();
    }

    @Test
    void insertUpdateDeleteEventsHaveMongoDbsShape() {
        MongoCollection<Document> c = db("cs1").getCollection("items");
        c.insertOne(doc("{_id: 0}")); // before the stream: not reported
        try (var cursor = open(c.watch())) {
            c.insertOne(doc("{_id: 1, a: 1, sub: {x: 1, y: 2}, tags: ['a', 'b', 'c'], gone: true}"));
            c.updateOne(Filters.eq("_id", 1), Updates.combine(Updates.set("sub.x", 5), Updates.unset("gone"),
                    Updates.popLast("tags")));
            c.updateOne(Filters.eq("_id", 1), Updates.push("tags", "z"));
            c.deleteOne(Filters.eq("_id", 1));
            var events = take(cursor, 4);

            var ins = events.get(0);
            assertEquals(OperationType.INSERT, ins.getOperationType());
            assertEquals("cs1", ins.getNamespace().getDatabaseName());
            assertEquals("items", ins.getNamespace().getCollectionName());
            assertEquals(new BsonDocument("_id", new BsonInt32(1)), ins.getDocumentKey());
            assertEquals(1, ins.getFullDocument().getInteger("a"));
            assertNotNull(ins.getClusterTime());
            assertNotNull(ins.getWallTime());
            assertTrue(ins.getResumeToken().isString("_data"));

            var upd = events.get(1);
            assertEquals(OperationType.UPDATE, upd.getOperationType());
            assertNull(upd.getFullDocument(), "no fullDocument without updateLookup");
            assertEquals(json("{'sub.x': 5}"), upd.getUpdateDescription().getUpdatedFields());
            assertEquals(List.of("gone"), upd.getUpdateDescription().getRemovedFields());
            assertEquals(1, upd.getUpdateDescription().getTruncatedArrays().size());
            assertEquals("tags", upd.getUpdateDescription().getTruncatedArrays().get(0).getField());
            assertEquals(2, upd.getUpdateDescription().getTruncatedArrays().get(0).getNewSize());

            assertEquals(json("{'tags.2': 'z'}"), events.get(2).getUpdateDescription().getUpdatedFields());
            assertEquals(OperationType.DELETE, events.get(3).getOperationType());
            assertEquals(new BsonDocument("_id", new BsonInt32(1)), events.get(3).getDocumentKey());
            // Cluster times order as the writes did.
            assertTrue(events.get(0).getClusterTime().compareTo(events.get(3).getClusterTime()) < 0);
        }
    }

    @Test
    void aReplacementIsAReplaceEventWithTheNewDocument() {
        MongoCollection<Document> c = db("cs1").getCollection("repl");
        try (var cursor = open(c.watch())) {
            c.insertOne(doc("{_id: 1, a: 1}"));
            c.replaceOne(Filters.eq("_id", 1), doc("{b: 2}"));
            c.findOneAndReplace(Filters.eq("_id", 1), doc("{c: 3}"));
            c.updateOne(Filters.eq("_id", 1), Updates.set("d", 4));
            var events = take(cursor, 4);
            assertEquals(OperationType.REPLACE, events.get(1).getOperationType());
            assertEquals(doc("{_id: 1, b: 2}"), events.get(1).getFullDocument(), "a replace carries the new document");
            assertNull(events.get(1).getUpdateDescription());
            assertEquals(OperationType.REPLACE, events.get(2).getOperationType(), "findAndModify with a replacement");
            assertEquals(doc("{_id: 1, c: 3}"), events.get(2).getFullDocument());
            assertEquals(OperationType.UPDATE, events.get(3).getOperationType(), "operators are an update");
        }
    }

    @Test
    void fullDocumentModes() {
        MongoCollection<Document> plain = db("cs2").getCollection("plain");
        try (var lookup = open(plain.watch().fullDocument(FullDocument.UPDATE_LOOKUP));
             var when = open(plain.watch().fullDocument(FullDocument.WHEN_AVAILABLE)
                     .fullDocumentBeforeChange(FullDocumentBeforeChange.WHEN_AVAILABLE))) {
            plain.insertOne(doc("{_id: 1, n: 1}"));
            plain.updateOne(Filters.eq("_id", 1), Updates.inc("n", 1));
            plain.updateOne(Filters.eq("_id", 1), Updates.inc("n", 1));
            var up = take(lookup, 3);
            // As of each event's commit, not the latest.
            assertEquals(2, up.get(1).getFullDocument().getInteger("n"));
            assertEquals(3, up.get(2).getFullDocument().getInteger("n"));
            var w = take(when, 3);
            assertNull(w.get(1).getFullDocument(), "no post-images offered without changeStreamPreAndPostImages");
            assertNull(w.get(1).getFullDocumentBeforeChange());
        }
        try (var required = open(plain.watch().fullDocument(FullDocument.REQUIRED))) {
            plain.updateOne(Filters.eq("_id", 1), Updates.inc("n", 1));
            MongoCommandException e = assertThrows(MongoCommandException.class, () -> take(required, 1));
            assertEquals(47, e.getErrorCode());
            assertEquals("NoMatchingDocument", e.getErrorCodeName());
        }

        db("cs2").runCommand(doc("{create: 'imaged', changeStreamPreAndPostImages: {enabled: true}}"));
        MongoCollection<Document> imaged = db("cs2").getCollection("imaged");
        try (var cursor = open(imaged.watch().fullDocument(FullDocument.REQUIRED)
                .fullDocumentBeforeChange(FullDocumentBeforeChange.REQUIRED))) {
            imaged.insertOne(doc("{_id: 1, n: 1}"));
            imaged.updateOne(Filters.eq("_id", 1), Updates.inc("n", 1));
            imaged.deleteOne(Filters.eq("_id", 1));
            var e = take(cursor, 3);
            assertEquals(2, e.get(1).getFullDocument().getInteger("n"));
            assertEquals(1, e.get(1).getFullDocumentBeforeChange().getInteger("n"));
            assertEquals(2, e.get(2).getFullDocumentBeforeChange().getInteger("n"));
        }
    }

    @Test
    void laterStagesFilterAndShapeEvents() {
        MongoCollection<Document> c = db("cs3").getCollection("items");
        try (var cursor = open(c.watch(List.of(Aggregates.match(Filters.eq("operationType", "insert")),
                Aggregates.project(Projections.include("operationType", "documentKey")))))) {
            c.insertOne(doc("{_id: 1, a: 1}"));
            c.deleteOne(Filters.eq("_id", 1));
            c.insertOne(doc("{_id: 2, a: 1}"));
            var events = take(cursor, 2);
            assertEquals(new BsonDocument("_id", new BsonInt32(2)), events.get(1).getDocumentKey());
            assertNull(events.get(0).getFullDocument(), "projected away");
        }
        MongoCommandException group = assertThrows(MongoCommandException.class,
                () -> c.watch(List.of(doc("{$group: {_id: null}}"))).cursor().close());
        assertEquals(20, group.getErrorCode());
        MongoCommandException unknown = assertThrows(MongoCommandException.class,
                () -> c.watch(List.of(doc("{$unsupported: 'foo'}"))).cursor().close());
        assertEquals(40324, unknown.getErrorCode());
        MongoCommandException option = assertThrows(MongoCommandException.class, () -> db("cs3").runCommand(
                doc("{aggregate: 'items', pipeline: [{$changeStream: {bogus: 1}}], cursor: {}}")));
        assertEquals(40415, option.getErrorCode());
        try (var noId = open(c.watch(List.of(Aggregates.project(Projections.exclude("_id")))))) {
            c.insertOne(doc("{_id: 3}"));
            MongoCommandException fatal = assertThrows(MongoCommandException.class, () -> take(noId, 1));
            assertEquals(280, fatal.getErrorCode());
            assertEquals("ChangeStreamFatalError", fatal.getErrorCodeName());
        }
    }

    @Test
    void awaitingGetMoreWakesOnCommitAndCarriesPostBatchResumeToken() throws Exception {
        MongoCollection<Document> c = db("cs4").getCollection("items");
        try (var cursor = c.watch().maxAwaitTime(30, TimeUnit.SECONDS).cursor()) {
            Thread writer = new Thread(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
                c.insertOne(doc("{_id: 1}"));
            });
            writer.start();
            // One getMore that waits (up to 30 s) and is answered by the commit.
            ChangeStreamDocument<Document> e = cursor.next();
            writer.join();
            assertEquals(1, e.getDocumentKey().getInt32("_id").getValue());
        }
        // As raw commands: the empty first batch and an empty getMore both carry the position.
        Document first = db("cs4").runCommand(doc("{aggregate: 'items', pipeline: [{$changeStream: {}}], cursor: {}}"));
        Document cur = first.get("cursor", Document.class);
        assertTrue(cur.getList("firstBatch", Document.class).isEmpty());
        assertNotNull(cur.get("postBatchResumeToken"));
        Document more = db("cs4").runCommand(new Document("getMore", cur.getLong("id")).append("collection", "items")
                .append("maxTimeMS", 10));
        Document next = more.get("cursor", Document.class);
        assertTrue(next.getList("nextBatch", Document.class).isEmpty());
        assertEquals(cur.get("postBatchResumeToken"), next.get("postBatchResumeToken"));
        assertEquals(cur.getLong("id"), next.getLong("id"), "a change stream's cursor stays open when it has nothing");
        db("cs4").runCommand(new Document("killCursors", "items").append("cursors", List.of(cur.getLong("id"))));
    }

    @Test
    void databaseAndDeploymentStreams() {
        try (var dbCursor = open(db("cs5").watch());
             var all = open(client.watch())) {
            db("cs5").getCollection("a").insertOne(doc("{_id: 1}"));
            db("cs5other").getCollection("b").insertOne(doc("{_id: 2}"));
            db("cs5").getCollection("c").insertOne(doc("{_id: 3}"));
            var d = take(dbCursor, 2);
            assertEquals("a", d.get(0).getNamespace().getCollectionName());
            assertEquals("c", d.get(1).getNamespace().getCollectionName());
            var a = take(all, 3);
            assertEquals("cs5other", a.get(1).getNamespace().getDatabaseName());
        }
        MongoCommandException e = assertThrows(MongoCommandException.class, () -> db("admin").runCommand(
                doc("{aggregate: 1, pipeline: [{$changeStream: {}}], cursor: {}}")));
        assertEquals(73, e.getErrorCode());
    }

    @Test
    void resumeAfterStartAfterAndStartAtOperationTime() {
        MongoCollection<Document> c = db("cs6").getCollection("items");
        BsonDocument first;
        BsonTimestamp secondTime;
        try (var cursor = open(c.watch())) {
            c.insertMany(List.of(doc("{_id: 1}"), doc("{_id: 2}"), doc("{_id: 3}")));
            var events = take(cursor, 3);
            first = events.get(0).getResumeToken();
            secondTime = events.get(1).getClusterTime();
        }
        // Inside one commit of three entries: resuming after the first gives exactly the other two.
        try (var cursor = open(c.watch().resumeAfter(first))) {
            var rest = take(cursor, 2);
            assertEquals(2, rest.get(0).getDocumentKey().getInt32("_id").getValue());
            assertEquals(3, rest.get(1).getDocumentKey().getInt32("_id").getValue());
        }
        try (var cursor = open(c.watch().startAfter(first))) {
            assertEquals(2, take(cursor, 1).get(0).getDocumentKey().getInt32("_id").getValue());
        }
        try (var cursor = open(c.watch().startAtOperationTime(secondTime))) {
            assertEquals(2, take(cursor, 1).get(0).getDocumentKey().getInt32("_id").getValue());
        }
        MongoCommandException bad = assertThrows(MongoCommandException.class,
                () -> c.watch().resumeAfter(json("{_data: 'nonsense'}")).cursor().close());
        assertEquals(260, bad.getErrorCode());
    }

    @Test
    void resumesAfterServerRestart() {
        MongoCollection<Document> c = db("cs7").getCollection("items");
        BsonDocument token;
        try (var cursor = open(c.watch())) {
            c.insertOne(doc("{_id: 1}"));
            token = take(cursor, 1).get(0).getResumeToken();
        }
        c.insertOne(doc("{_id: 2}"));
        restart();
        MongoCollection<Document> again = db("cs7").getCollection("items");
        try (var cursor = open(again.watch().resumeAfter(token))) {
            assertEquals(2, take(cursor, 1).get(0).getDocumentKey().getInt32("_id").getValue());
        }
    }

    @Test
    void branchStreamsSeeOnlyTheirBranchAndMergesIntoIt() {
        db("cs8").getCollection("items").insertOne(doc("{_id: 0}"));
        admin("{createBranch: 'cs8exp'}");
        MongoCollection<Document> main = db("cs8").getCollection("items");
        MongoCollection<Document> exp = db("cs8~cs8exp").getCollection("items");
        BsonDocument expToken;
        try (var onExp = open(exp.watch()); var onMain = open(main.watch())) {
            main.insertOne(doc("{_id: 1, on: 'main'}"));
            exp.insertOne(doc("{_id: 2, on: 'exp'}"));
            var e = take(onExp, 1);
            assertEquals(2, e.get(0).getDocumentKey().getInt32("_id").getValue());
            expToken = e.get(0).getResumeToken();
            assertEquals(1, take(onMain, 1).get(0).getDocumentKey().getInt32("_id").getValue());
            assertNull(onMain.tryNext(), "main's stream never sees exp's write");
            // A merge of main into exp is an ordinary commit of exp.
            admin("{mergeBranch: 'main', into: 'cs8exp'}");
            var merged = take(onExp, 1).get(0);
            assertEquals(OperationType.INSERT, merged.getOperationType());
            assertEquals(1, merged.getDocumentKey().getInt32("_id").getValue());
        }
        MongoCommandException other = assertThrows(MongoCommandException.class,
                () -> main.watch().resumeAfter(expToken).cursor().close());
        assertEquals(260, other.getErrorCode());
        assertTrue(other.getErrorMessage().contains("cs8exp"), other.getErrorMessage());
    }

    @Test
    void resetInvalidatesTheStreamAndItsTokens() {
        MongoCollection<Document> c = db("cs9~cs9b").getCollection("items");
        admin("{createBranch: 'cs9b'}");
        c.insertOne(doc("{_id: 1}"));
        long point = admin("{listBranches: 1}").getList("branches", Document.class).stream()
                .filter(b -> b.getString("name").equals("cs9b")).findFirst().orElseThrow().get("headLsn", Number.class).longValue();
        BsonDocument token;
        try (var cursor = open(c.watch())) {
            c.insertOne(doc("{_id: 2}"));
            token = take(cursor, 1).get(0).getResumeToken();
            admin("{resetBranch: 'cs9b', to: " + point + "}");
            var inv = take(cursor, 1).get(0);
            assertEquals(OperationType.INVALIDATE, inv.getOperationType());
        }
        MongoCommandException abandoned = assertThrows(MongoCommandException.class,
                () -> c.watch().resumeAfter(token).cursor().close());
        assertEquals(260, abandoned.getErrorCode());
        assertTrue(abandoned.getErrorMessage().contains("abandoned"), abandoned.getErrorMessage());
        assertFalse(abandoned.getErrorMessage().isEmpty());
    }

    @Test
    void nodeDriverWatchWithUpdateLookup() throws Exception {
        ExternalClient.require(ExternalClient.nodeDriverPresent(), "the Node.js driver (npm package mongodb)");
        String out = ExternalClient.run(List.of("node", "changestream.js", uri(), "csnode"));
        ExternalClient.assertOk(out, "node-changestream");
    }

    @Test
    void droppingTheCollectionEndsItsStreamWithInvalidate() {
        MongoCollection<Document> c = db("cs10").getCollection("items");
        c.insertOne(doc("{_id: 0}"));
        try (var onColl = open(c.watch()); var onDb = open(db("cs10").watch())) {
            c.drop();
            db("cs10").getCollection("other").insertOne(doc("{_id: 1}"));
            var e = take(onColl, 2);
            assertEquals(OperationType.DROP, e.get(0).getOperationType());
            assertEquals("items", e.get(0).getNamespace().getCollectionName());
            assertEquals(OperationType.INVALIDATE, e.get(1).getOperationType());
            var d = take(onDb, 2);
            assertEquals(OperationType.DROP, d.get(0).getOperationType());
            assertEquals(OperationType.INSERT, d.get(1).getOperationType(), "a database stream goes on after a drop");
        }
    }
}
