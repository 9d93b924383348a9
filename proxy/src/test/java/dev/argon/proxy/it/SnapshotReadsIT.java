package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.ClientSessionOptions;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import dev.argon.engine.gc.GcSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Snapshot reads outside transactions ({@code readConcern: {level: "snapshot"}}): a driver's snapshot session
 * keeps its view while writers move the head, {@code atClusterTime} reads an older commit's state, and writes and
 * other commands under snapshot read concern are refused as MongoDB refuses them. History is kept for 2 s here so
 * that the last test can move the GC horizon past a snapshot; GC runs only when that test asks.
 */
class SnapshotReadsIT extends ArgonTestBase {

    @Override
    protected GcSettings gcSettings() {
        return new GcSettings(2000, 1000, 0, 5000);
    }

    private static List<Document> sorted(MongoCollection<Document> c, ClientSession s) {
        return c.find(s).sort(new Document("_id", 1)).into(new ArrayList<>());
    }

    private static MongoCommandException refused(int code, Executable e) {
        MongoCommandException x = assertThrows(MongoCommandException.class, e);
        assertEquals(code, x.getErrorCode(), x.getMessage());
        return x;
    }

    @Test
    void aSnapshotSessionKeepsItsViewWhileWritersMoveTheHead() {
        List<BsonDocument> sent = Collections.synchronizedList(new ArrayList<>());
        CommandListener listener = new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                sent.add(event.getCommand().clone());
            }
        };
        MongoClientSettings settings = MongoClientSettings.builder().applyConnectionString(new ConnectionString(uri()))
                .addCommandListener(listener).build();
        MongoCollection<Document> writer = db("snap").getCollection("c");
        for (int i = 0; i < 10; i++) {
            writer.insertOne(new Document("_id", i).append("v", "old").append("k", i % 3));
        }
        try (MongoClient c = MongoClients.create(settings);
             ClientSession s = c.startSession(ClientSessionOptions.builder().snapshot(true).build())) {
            MongoCollection<Document> coll = c.getDatabase("snap").getCollection("c");
            MongoCursor<Document> cursor = coll.find(s).sort(new Document("_id", 1)).batchSize(3).iterator();
            assertEquals(0, cursor.next().getInteger("_id"));
            BsonDocument firstFind = sent.stream().filter(d -> d.containsKey("find")).findFirst().orElseThrow();
            assertEquals("snapshot", firstFind.getDocument("readConcern").getString("level").getValue());
            assertFalse(firstFind.getDocument("readConcern").containsKey("atClusterTime"), "the first read names no time");

            // Writers move the head: updates, deletes and inserts the snapshot must not see.
            writer.updateMany(new Document(), Updates.set("v", "new"));
            writer.deleteOne(Filters.eq("_id", 5));
            writer.insertOne(new Document("_id", 10).append("v", "new").append("k", 0));

            // The open cursor's getMores read the same state.
            List<Document> rest = new ArrayList<>();
            cursor.forEachRemaining(rest::add);
            assertEquals(9, rest.size(), "ids 1..9 as they were: " + rest);
            assertTrue(rest.stream().allMatch(d -> d.getString("v").equals("old")), rest.toString());

            // Later reads of the session are at the same time: find, aggregate, distinct and countDocuments.
            List<Document> again = sorted(coll, s);
            assertEquals(10, again.size());
            assertTrue(again.stream().allMatch(d -> d.getString("v").equals("old")));
            assertEquals(10L, coll.countDocuments(s));
            assertEquals(List.of("old"), coll.distinct(s, "v", String.class).into(new ArrayList<>()));
            assertEquals(4, coll.aggregate(s, List.of(doc("{$match: {k: 0}}"))).into(new ArrayList<>()).size());
            BsonDocument laterFind = sent.stream().filter(d -> d.containsKey("find")).reduce((a, b) -> b).orElseThrow();
            BsonTimestamp at = laterFind.getDocument("readConcern").getTimestamp("atClusterTime");
            assertNotNull(at, "the driver took atClusterTime from the first reply and sends it");
            assertEquals(at, s.getSnapshotTimestamp());

            // Outside the snapshot the head is what the writers left.
            List<Document> head = writer.find().sort(new Document("_id", 1)).into(new ArrayList<>());
            assertEquals(10, head.size());
            assertFalse(head.stream().anyMatch(d -> d.getInteger("_id") == 5));
            assertTrue(head.stream().allMatch(d -> d.getString("v").equals("new")));
        }
    }

    @Test
    void atClusterTimeOfAnOlderCommitReadsThatState() {
        MongoCollection<Document> c = db("older").getCollection("c");
        c.insertOne(doc("{_id: 1, v: 'first'}"));
        BsonTimestamp first = (BsonTimestamp) db("older").runCommand(doc("{insert: 'c', documents: [{_id: 2, v: 'first'}]}"))
                .get("operationTime");
        c.updateMany(new Document(), Updates.set("v", "second"));
        c.insertOne(doc("{_id: 3, v: 'second'}"));

        Document rc = new Document("level", "snapshot").append("atClusterTime", first);
        Document find = db("older").runCommand(new Document("find", "c").append("sort", new Document("_id", 1)).append("readConcern", rc));
        Document cursor = (Document) find.get("cursor");
        assertEquals(List.of(doc("{_id: 1, v: 'first'}"), doc("{_id: 2, v: 'first'}")), cursor.get("firstBatch"));
        assertEquals(first, cursor.get("atClusterTime"), "the cursor answers the time it read at");

        Document agg = db("older").runCommand(new Document("aggregate", "c").append("pipeline", List.of(doc("{$count: 'n'}")))
                .append("cursor", new Document()).append("readConcern", rc));
        assertEquals(List.of(doc("{n: 2}")), ((Document) agg.get("cursor")).get("firstBatch"));
        assertEquals(first, ((Document) agg.get("cursor")).get("atClusterTime"));

        Document distinct = db("older").runCommand(new Document("distinct", "c").append("key", "v").append("readConcern", rc));
        assertEquals(List.of("first"), distinct.get("values"));
        assertEquals(first, distinct.get("atClusterTime"), "distinct answers it at the top level");

        // Without atClusterTime the snapshot is the head now, and its time is answered.
        Document now = db("older").runCommand(new Document("find", "c").append("readConcern", new Document("level", "snapshot")));
        BsonTimestamp nowAt = (BsonTimestamp) ((Document) now.get("cursor")).get("atClusterTime");
        assertNotNull(nowAt);
        assertEquals(3, ((List<?>) ((Document) now.get("cursor")).get("firstBatch")).size());
        // A plain read answers no atClusterTime.
        Document plain = db("older").runCommand(doc("{find: 'c'}"));
        assertFalse(((Document) plain.get("cursor")).containsKey("atClusterTime"));
    }

    @Test
    void writesAndCommandsMongoRefusesUnderSnapshotAreRefused() {
        MongoCollection<Document> c = db("refuse").getCollection("c");
        c.insertOne(doc("{_id: 1}"));
        try (ClientSession s = client.startSession(ClientSessionOptions.builder().snapshot(true).build())) {
            assertEquals(1, sorted(c, s).size());
            refused(72, () -> c.insertOne(s, doc("{_id: 2}")));
            refused(72, () -> c.updateOne(s, Filters.eq("_id", 1), Updates.set("x", 1)));
            refused(72, () -> c.deleteOne(s, Filters.eq("_id", 1)));
            refused(72, () -> c.findOneAndUpdate(s, Filters.eq("_id", 1), Updates.set("x", 1)));
            refused(72, () -> db("refuse").listCollectionNames(s).into(new ArrayList<>()));
            refused(72, () -> c.listIndexes(s).into(new ArrayList<>()));
        }
        assertEquals(List.of(doc("{_id: 1}")), c.find().into(new ArrayList<>()), "nothing was written");

        Document snapshot = new Document("level", "snapshot");
        MongoCommandException count = refused(72, () -> db("refuse").runCommand(new Document("count", "c").append("readConcern", snapshot)));
        assertEquals("InvalidOptions", count.getErrorCodeName());
        assertTrue(count.getMessage().contains("count"), count.getMessage());
        refused(72, () -> db("refuse").runCommand(new Document("insert", "c").append("documents", List.of(doc("{_id: 3}")))
                .append("readConcern", snapshot)));
        BsonTimestamp now = (BsonTimestamp) db("refuse").runCommand(doc("{ping: 1}")).get("operationTime");
        refused(72, () -> db("refuse").runCommand(new Document("find", "c")
                .append("readConcern", new Document("level", "snapshot").append("afterClusterTime", now))));
        refused(72, () -> db("refuse").runCommand(new Document("find", "c")
                .append("readConcern", new Document("level", "local").append("atClusterTime", now))));
        refused(72, () -> db("refuse").runCommand(new Document("find", "c").append("readConcern",
                new Document("level", "snapshot").append("atClusterTime", new BsonTimestamp(now.getTime() + 3600, 1)))));
        long head = ((Number) db("admin").runCommand(doc("{argonStatus: 1}")).get("headLsn")).longValue();
        MongoCommandException view = refused(72, () -> db("refuse~main@" + head).runCommand(new Document("find", "c")
                .append("readConcern", snapshot)));
        assertTrue(view.getMessage().contains("time-travel view"), view.getMessage());
        assertEquals(List.of(doc("{_id: 1}")), c.find().into(new ArrayList<>()), "nothing was written");
    }

    @Test
    void aSnapshotStaysReadableWhileItsHistoryIsKeptAndBelowTheHorizonIsTooOld() throws Exception {
        MongoCollection<Document> c = db("gcsnap").getCollection("c");
        BsonTimestamp a = (BsonTimestamp) db("gcsnap").runCommand(doc("{insert: 'c', documents: [{_id: 1, v: 'a'}]}"))
                .get("operationTime");
        c.updateOne(Filters.eq("_id", 1), Updates.set("v", "b"));
        Document rc = new Document("level", "snapshot").append("atClusterTime", a);
        Document find = new Document("find", "c").append("readConcern", rc);
        assertEquals(List.of(doc("{_id: 1, v: 'a'}")), ((Document) db("gcsnap").runCommand(find).get("cursor")).get("firstBatch"));
        Document gc = db("admin").runCommand(doc("{gc: 1}"));
        // Within the 2 s retention GC keeps the history: the snapshot still reads.
        assertEquals(List.of(doc("{_id: 1, v: 'a'}")), ((Document) db("gcsnap").runCommand(find).get("cursor")).get("firstBatch"),
                gc.toJson());

        Thread.sleep(2500);
        c.updateOne(Filters.eq("_id", 1), Updates.set("v", "c"));
        db("admin").runCommand(doc("{gc: 1}"));
        MongoCommandException gone = refused(239, () -> db("gcsnap").runCommand(find));
        assertEquals("SnapshotTooOld", gone.getErrorCodeName());
    }

    @Test
    void nodeDriverSnapshotSession() throws Exception {
        ExternalClient.require(ExternalClient.nodeDriverPresent(), "the Node.js driver (npm package mongodb)");
        String out = ExternalClient.run(List.of("node", "snapshot.js", uri(), "snapnode"));
        ExternalClient.assertOk(out, "node-snapshot");
    }

    @Test
    void aSnapshotOnABranchReadsThatBranchAsOfItsFirstRead() {
        db("br").getCollection("c").insertOne(doc("{_id: 1, v: 'main'}"));
        db("admin").runCommand(doc("{createBranch: 'snapexp', from: 'main'}"));
        MongoCollection<Document> exp = db("br~snapexp").getCollection("c");
        exp.updateOne(Filters.eq("_id", 1), Updates.set("v", "exp"));
        try (ClientSession s = client.startSession(ClientSessionOptions.builder().snapshot(true).build())) {
            assertEquals(List.of(doc("{_id: 1, v: 'exp'}")), sorted(exp, s));
            db("br").getCollection("c").updateOne(Filters.eq("_id", 1), Updates.set("v", "main2"));
            exp.insertOne(doc("{_id: 2, v: 'exp'}"));
            assertEquals(List.of(doc("{_id: 1, v: 'exp'}")), sorted(exp, s), "neither the branch's nor main's later writes");
            // The same session time names main's state at that time when it reads main.
            assertEquals(List.of(doc("{_id: 1, v: 'main'}")), sorted(db("br").getCollection("c"), s));
        }
        assertEquals(2, exp.countDocuments());
        assertEquals(List.of(doc("{_id: 1, v: 'main2'}")), db("br").getCollection("c").find().into(new ArrayList<>()));
    }
}
