package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.ClientSessionOptions;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.ConnectionString;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.event.CommandSucceededEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.bson.types.Binary;
import org.junit.jupiter.api.Test;

/**
 * Logical sessions as a driver sees them: cluster time in every reply, causal consistency, the session
 * commands and {@code $listLocalSessions}, and session expiry.
 */
class SessionsIT extends ArgonTestBase {

    private static int compare(BsonTimestamp a, BsonTimestamp b) {
        int c = Long.compare(a.getTime() & 0xFFFFFFFFL, b.getTime() & 0xFFFFFFFFL);
        return c != 0 ? c : Long.compare(a.getInc() & 0xFFFFFFFFL, b.getInc() & 0xFFFFFFFFL);
    }

    @Test
    void helloAdvertisesWhatDriversNeedForSessionsAndTransactions() {
        Document hello = db("admin").runCommand(doc("{hello: 1}"));
        assertEquals("argon", hello.getString("setName"));
        assertEquals(Boolean.TRUE, hello.getBoolean("isWritablePrimary"));
        assertEquals(30, hello.getInteger("logicalSessionTimeoutMinutes"));
        assertNotNull(hello.get("$clusterTime"), "hello carries $clusterTime too");
    }

    @Test
    void everyReplyCarriesClusterTimeAndOperationTimeThatGrowWithCommits() {
        Document ping = db("admin").runCommand(doc("{ping: 1}"));
        Document gossip = (Document) ping.get("$clusterTime");
        assertNotNull(gossip);
        assertTrue(gossip.get("clusterTime") instanceof BsonTimestamp);
        Document signature = (Document) gossip.get("signature");
        assertEquals(0L, signature.getLong("keyId"));
        assertTrue(ping.get("operationTime") instanceof BsonTimestamp);

        BsonTimestamp before = (BsonTimestamp) db("ct").runCommand(doc("{insert: 'c', documents: [{_id: 1}]}")).get("operationTime");
        BsonTimestamp after = (BsonTimestamp) db("ct").runCommand(doc("{insert: 'c', documents: [{_id: 2}, {_id: 3}]}")).get("operationTime");
        assertTrue(compare(before, after) < 0, before + " then " + after);
        long nowSeconds = System.currentTimeMillis() / 1000;
        // The seconds are the commit's wall-clock second (allowing for a second boundary between commit and check).
        assertTrue(Math.abs(nowSeconds - after.getTime()) <= 2, "seconds " + after.getTime() + " vs now " + nowSeconds);

        MongoCommandException e = assertThrows(MongoCommandException.class,
                () -> db("ct").runCommand(doc("{insert: 'c', documents: 5}")));
        assertNotNull(e.getResponse().get("$clusterTime"), "error replies carry $clusterTime too");
        assertNotNull(e.getResponse().get("operationTime"));
    }

    @Test
    void causallyConsistentSessionSendsAfterClusterTimeAndReadsItsWrite() {
        List<BsonDocument> sent = Collections.synchronizedList(new ArrayList<>());
        List<BsonDocument> replies = Collections.synchronizedList(new ArrayList<>());
        CommandListener listener = new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                sent.add(event.getCommand().clone());
            }

            @Override
            public void commandSucceeded(CommandSucceededEvent event) {
                replies.add(event.getResponse().clone());
            }
        };
        MongoClientSettings settings = MongoClientSettings.builder().applyConnectionString(new ConnectionString(uri()))
                .addCommandListener(listener).build();
        try (MongoClient c = MongoClients.create(settings);
             ClientSession s = c.startSession(ClientSessionOptions.builder().causallyConsistent(true).build())) {
            MongoCollection<Document> coll = c.getDatabase("causal").getCollection("c");
            coll.insertOne(s, doc("{_id: 'w', v: 1}"));
            BsonTimestamp opTime = s.getOperationTime();
            assertNotNull(opTime, "the driver took operationTime from the insert's reply");
            assertEquals(doc("{_id: 'w', v: 1}"), coll.find(s, doc("{_id: 'w'}")).first());
            BsonDocument find = sent.stream().filter(d -> d.containsKey("find")).reduce((a, b) -> b).orElseThrow();
            assertEquals(opTime, find.getDocument("readConcern").getTimestamp("afterClusterTime"));
            assertTrue(find.containsKey("$clusterTime"), "the driver gossips the cluster time back");
        }
    }

    @Test
    void afterClusterTimeAsWallClockTimeWorksAndAFutureOneIsRefused() {
        db("wall").getCollection("c").insertOne(doc("{_id: 1}"));
        int now = (int) (System.currentTimeMillis() / 1000);
        Document r = db("wall").runCommand(new Document("find", "c")
                .append("readConcern", new Document("afterClusterTime", new BsonTimestamp(now, 0))));
        assertEquals(1, ((List<?>) ((Document) r.get("cursor")).get("firstBatch")).size());

        MongoCommandException e = assertThrows(MongoCommandException.class, () -> db("wall").runCommand(new Document("find", "c")
                .append("readConcern", new Document("afterClusterTime", new BsonTimestamp(now + 3600, 1)))));
        assertEquals(72, e.getErrorCode());
        assertEquals("InvalidOptions", e.getErrorCodeName());
        MongoCommandException bad = assertThrows(MongoCommandException.class, () -> db("wall").runCommand(new Document("find", "c")
                .append("readConcern", new Document("afterClusterTime", 5))));
        assertEquals(14, bad.getErrorCode());
    }

    private List<Document> localSessions() {
        return db("admin").aggregate(List.of(doc("{$listLocalSessions: {allUsers: true}}"))).into(new ArrayList<>());
    }

    private static boolean listed(List<Document> sessions, Object id) {
        Object want = id instanceof BsonBinary b ? new Binary(b.getType(), b.getData()) : id;
        return sessions.stream().anyMatch(d -> ((Document) d.get("_id")).get("id").equals(want));
    }

    @Test
    void listLocalSessionsShowsSessionsUntilTheyEnd() {
        Document started = db("admin").runCommand(doc("{startSession: 1}"));
        Object id = ((Document) started.get("id")).get("id");
        assertEquals(30, started.getInteger("timeoutMinutes"));
        List<Document> sessions = localSessions();
        assertTrue(listed(sessions, id), "a started session is listed: " + sessions);
        Document mine = sessions.stream().filter(d -> ((Document) d.get("_id")).get("id").equals(id)).findFirst().orElseThrow();
        assertNotNull(((Document) mine.get("_id")).get("uid"));
        assertNotNull(mine.getDate("lastUse"));

        // A session a driver creates itself is listed once a command has carried it.
        try (ClientSession s = client.startSession()) {
            db("ls").getCollection("c").insertOne(s, doc("{_id: 1}"));
            Object driverId = s.getServerSession().getIdentifier().get("id");
            assertTrue(listed(localSessions(), driverId));
        }

        db("admin").runCommand(new Document("endSessions", List.of(new Document("id", id))));
        assertFalse(listed(localSessions(), id), "an ended session is no longer listed");

        Document again = db("admin").runCommand(doc("{startSession: 1}"));
        Object other = ((Document) again.get("id")).get("id");
        db("admin").runCommand(new Document("killSessions", List.of(new Document("id", other))));
        assertFalse(listed(localSessions(), other), "a killed session is no longer listed");

        // Later stages apply to the sessions ($limit included, which a collection's scan would take over).
        db("admin").runCommand(doc("{startSession: 1}"));
        assertEquals(1, db("admin").aggregate(List.of(doc("{$listLocalSessions: {}}"), doc("{$limit: 1}")))
                .into(new ArrayList<>()).size());

        // $listLocalSessions runs with {aggregate: 1} only.
        MongoCommandException e = assertThrows(MongoCommandException.class, () -> db("admin").getCollection("c")
                .aggregate(List.of(doc("{$listLocalSessions: {}}"))).first());
        assertEquals(73, e.getErrorCode());
    }

    @Test
    void anExpiredSessionIsForgottenAndLosesItsCursors() throws InterruptedException {
        MongoCollection<Document> coll = db("expiry").getCollection("c");
        for (int i = 0; i < 10; i++) {
            coll.insertOne(new Document("_id", i));
        }
        try (ClientSession s = client.startSession()) {
            MongoCursor<Document> cursor = coll.find(s).batchSize(2).iterator();
            cursor.next();
            Object id = s.getServerSession().getIdentifier().get("id");
            assertTrue(listed(localSessions(), id));
            server.engine().localSessions().timeoutMillis(0);
            try {
                Thread.sleep(5);
                server.engine().localSessions().sweepNow();
            } finally {
                server.engine().localSessions().timeoutMillis(30 * 60_000L);
            }
            assertFalse(listed(localSessions(), id), "an expired session is no longer listed");
            // Its cursors go at the cursor reaper's next pass (about a second): getMore then answers 43.
            long cursorId = cursor.getServerCursor().getId();
            MongoCommandException gone = null;
            for (int i = 0; i < 100 && gone == null; i++) {
                Thread.sleep(50);
                try {
                    db("expiry").runCommand(s, new Document("getMore", cursorId).append("collection", "c").append("batchSize", 1));
                } catch (MongoCommandException e) {
                    gone = e;
                }
            }
            assertNotNull(gone, "the expired session's cursor was killed");
            assertEquals(43, gone.getErrorCode());
        }
    }
}
