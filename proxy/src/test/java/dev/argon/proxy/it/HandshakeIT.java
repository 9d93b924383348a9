package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class HandshakeIT extends ArgonTestBase {

    @Test
    void helloPresentsAOneMemberReplicaSetAtTheRealAddress() {
        Document hello = db("admin").runCommand(doc("{hello: 1}"));
        String me = "127.0.0.1:" + server.port();
        assertEquals(true, hello.getBoolean("isWritablePrimary"));
        assertEquals("argon", hello.getString("setName"));
        assertEquals(List.of(me), hello.getList("hosts", String.class));
        assertEquals(me, hello.getString("primary"));
        assertEquals(me, hello.getString("me"));
        assertTrue(hello.getInteger("maxWireVersion") >= 9 && hello.getInteger("maxWireVersion") <= 25);
        assertEquals(30, hello.getInteger("logicalSessionTimeoutMinutes"));
        assertEquals(48_000_000, hello.getInteger("maxMessageSizeBytes"));
    }

    @Test
    void legacyHandshakeSpellingsAnswer() {
        assertEquals(true, db("admin").runCommand(doc("{isMaster: 1}")).getBoolean("ismaster"));
        assertEquals(true, db("admin").runCommand(doc("{ismaster: 1}")).getBoolean("ismaster"));
    }

    @Test
    void driverFieldsOnEveryCommandAreAccepted() {
        Document r = db("admin").runCommand(doc("{ping: 1, $readPreference: {mode: 'primary'}, apiVersion: '1', "
                + "$clusterTime: {clusterTime: Timestamp(1, 1), signature: {hash: BinData(0, ''), keyId: NumberLong(0)}}}"));
        assertEquals(1.0, r.get("ok", Number.class).doubleValue());
    }

    @Test
    void unknownCommandIsCommandNotFound() {
        MongoCommandException e = assertThrows(MongoCommandException.class, () -> db("admin").runCommand(doc("{frobnicate: 1}")));
        assertEquals(59, e.getErrorCode());
        assertEquals("CommandNotFound", e.getErrorCodeName());
    }

    @Test
    void buildInfoAndParameters() {
        Document b = db("admin").runCommand(doc("{buildInfo: 1}"));
        assertTrue(b.getString("version").startsWith("7."));
        Document p = db("admin").runCommand(doc("{getParameter: 1, featureCompatibilityVersion: 1}"));
        assertEquals("7.0", p.get("featureCompatibilityVersion", Document.class).getString("version"));
        MongoCommandException e = assertThrows(MongoCommandException.class,
                () -> db("admin").runCommand(doc("{getParameter: 1, noSuchParameter: 1}")));
        assertEquals(72, e.getErrorCode());
        Document host = db("admin").runCommand(doc("{hostInfo: 1}"));
        assertTrue(host.get("system", Document.class).getInteger("numCores") >= 1);
    }

    @Test
    void connectionStatusAndWhatsMyUri() {
        Document cs = db("admin").runCommand(doc("{connectionStatus: 1}"));
        assertTrue(cs.get("authInfo", Document.class).getList("authenticatedUsers", Object.class).isEmpty());
        String you = db("admin").runCommand(doc("{whatsmyuri: 1}")).getString("you");
        assertTrue(you.startsWith("127.0.0.1:"), you);
    }

    @Test
    void serverStatusReportsTrueFigures() {
        MongoDatabase admin = db("admin");
        Document before = admin.runCommand(doc("{serverStatus: 1}"));
        long inserts = before.get("opcounters", Document.class).get("insert", Number.class).longValue();
        long created = before.get("connections", Document.class).get("totalCreated", Number.class).longValue();
        db("status").getCollection("c").insertOne(doc("{x: 1}"));
        for (int i = 0; i < 5; i++) {
            db("status").getCollection("c").insertOne(doc("{x: 2}"));
        }
        try (MongoClient other = MongoClients.create(uri())) {
            other.getDatabase("admin").runCommand(doc("{ping: 1}"));
            MongoCursor<Document> open = db("status").getCollection("c").find().batchSize(2).iterator();
            open.next();
            Document after = admin.runCommand(doc("{serverStatus: 1}"));
            assertEquals(inserts + 6, after.get("opcounters", Document.class).get("insert", Number.class).longValue());
            assertTrue(after.get("connections", Document.class).get("totalCreated", Number.class).longValue() > created);
            assertTrue(after.get("connections", Document.class).get("current", Number.class).longValue() >= 2);
            Document cursor = after.get("metrics", Document.class).get("cursor", Document.class);
            assertTrue(cursor.get("open", Document.class).get("total", Number.class).longValue() >= 1);
            assertTrue(cursor.containsKey("timedOut"));
            assertTrue(after.get("uptime", Number.class).doubleValue() >= 0);
            assertTrue(after.get("mem", Document.class).get("resident", Number.class).longValue() > 0);
            open.close();
        }
    }

    @Test
    void listCommandsComesFromTheTable() {
        Document cmds = db("admin").runCommand(doc("{listCommands: 1}")).get("commands", Document.class);
        for (String c : List.of("find", "insert", "hello", "isMaster", "aggregate", "createIndexes", "killCursors")) {
            assertTrue(cmds.containsKey(c), c);
        }
        assertFalse(cmds.containsKey("frobnicate"));
    }

    @Test
    void sessionCommandsAnswer() {
        assertEquals(1.0, db("admin").runCommand(doc("{endSessions: []}")).get("ok", Number.class).doubleValue());
        assertEquals(1.0, db("admin").runCommand(doc("{killAllSessions: []}")).get("ok", Number.class).doubleValue());
    }

    @Test
    void knownButUnbuiltCommandsAnswerNotImplemented() {
        MongoCommandException e = assertThrows(MongoCommandException.class, () -> db("admin").runCommand(doc("{replSetGetStatus: 1}")));
        assertEquals(238, e.getErrorCode());
        assertEquals("NotImplemented", e.getErrorCodeName());
    }

    @Test
    void aTransactionLeftOpenWhenItsSessionClosesLeavesNothing() {
        try (com.mongodb.client.ClientSession s = client.startSession()) {
            s.startTransaction();
            db("txn").getCollection("c").insertOne(s, doc("{_id: 1}"));
        }
        assertEquals(0, db("txn").getCollection("c").countDocuments());
    }

    @Test
    void dbStatsCountsTheBranchesDocuments() {
        db("dbs").getCollection("a").insertMany(List.of(doc("{_id: 1}"), doc("{_id: 2}")));
        db("dbs").getCollection("b").insertOne(doc("{_id: 1}"));
        Document st = db("dbs").runCommand(doc("{dbStats: 1}"));
        assertEquals(2, st.getInteger("collections"));
        assertEquals(3L, st.get("objects", Number.class).longValue());
    }

    @Test
    void idleCursorsTimeOutAndAreCounted() throws Exception {
        MongoDatabase d = db("idle");
        List<Document> docs = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            docs.add(new Document("_id", i));
        }
        d.getCollection("c").insertMany(docs);
        long before = d.runCommand(doc("{serverStatus: 1}")).get("metrics", Document.class).get("cursor", Document.class)
                .get("timedOut", Number.class).longValue();
        long id = d.runCommand(doc("{find: 'c', batchSize: 2}")).get("cursor", Document.class).getLong("id");
        server.engine().cursors().timeoutMillis(100);
        try {
            Thread.sleep(2500);
        } finally {
            server.engine().cursors().timeoutMillis(10 * 60 * 1000L);
        }
        long after = d.runCommand(doc("{serverStatus: 1}")).get("metrics", Document.class).get("cursor", Document.class)
                .get("timedOut", Number.class).longValue();
        assertTrue(after >= before + 1, before + " -> " + after);
        MongoCommandException e = assertThrows(MongoCommandException.class,
                () -> d.runCommand(new Document("getMore", id).append("collection", "c")));
        assertEquals(43, e.getErrorCode());
    }
}
