package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code failCommand} and {@code failGetMoreAfterCursorCheckout} fail points as the Java driver sees them:
 * every {@code failCommand} option ({@code errorCode}, {@code closeConnection}, {@code blockConnection} with
 * {@code blockTimeMS}, {@code errorLabels}, {@code writeConcernError}, {@code appName}) and every mode
 * ({@code times}, {@code skip}, {@code activationProbability}, {@code alwaysOn}, {@code off}). That
 * {@code configureFailPoint} is refused without test commands is checked by
 * {@link RetryableWritesIT#configureFailPointIsUnknownWithoutTestCommands}.
 */
class FailCommandIT extends ArgonTestBase {
    private final List<String> started = new CopyOnWriteArrayList<>();

    @Override
    protected boolean enableTestCommands() {
        return true;
    }

    @AfterEach
    void failPointsOff() {
        for (String name : List.of("failCommand", "failGetMoreAfterCursorCheckout")) {
            admin(new BsonDocument("configureFailPoint", new BsonString(name)).append("mode", new BsonString("off")));
        }
        started.clear();
    }

    private BsonDocument admin(BsonDocument command) {
        return client.getDatabase("admin").runCommand(command, BsonDocument.class);
    }

    /** Sets failCommand; returns how often it had fired before (the reply's count). */
    private long failCommand(BsonValue mode, String data) {
        return admin(new BsonDocument("configureFailPoint", new BsonString("failCommand")).append("mode", mode)
                .append("data", json(data))).getNumber("count").longValue();
    }

    private static BsonDocument times(int n) {
        return new BsonDocument("times", new BsonInt32(n));
    }

    /** A client that records the names of the commands it sends. */
    private MongoClient recordingClient(Consumer<MongoClientSettings.Builder> options) {
        MongoClientSettings.Builder b = MongoClientSettings.builder().applyConnectionString(new ConnectionString(uri()))
                .addCommandListener(new CommandListener() {
                    @Override
                    public void commandStarted(CommandStartedEvent e) {
                        started.add(e.getCommandName());
                    }
                });
        options.accept(b);
        return MongoClients.create(b.build());
    }

    private long inserts() {
        return started.stream().filter("insert"::equals).count();
    }

    @Test
    void aRetryableWriteIsRetriedAfterTheConnectionIsClosedAndAppliedOnce() {
        try (MongoClient c = recordingClient(b -> b.retryWrites(true))) {
            MongoCollection<Document> coll = c.getDatabase("fc").getCollection("close");
            coll.drop();
            failCommand(times(1), "{failCommands: ['insert'], closeConnection: true}");
            coll.insertOne(new Document("_id", 1));
            assertEquals(2, inserts(), "the first attempt's connection was closed, so the driver sent the insert again");
            // closeConnection closes before the command runs: the retry applied it, once.
            assertEquals(1, coll.countDocuments());
        }
    }

    @Test
    void withoutRetriesAClosedConnectionIsANetworkErrorAndNothingIsWritten() {
        try (MongoClient c = recordingClient(b -> b.retryWrites(false))) {
            MongoCollection<Document> coll = c.getDatabase("fc").getCollection("close2");
            coll.drop();
            failCommand(times(1), "{failCommands: ['insert'], closeConnection: true}");
            assertThrows(MongoSocketException.class, () -> coll.insertOne(new Document("_id", 1)));
            assertEquals(0, coll.countDocuments());
            coll.insertOne(new Document("_id", 2));
            assertEquals(1, coll.countDocuments(), "times: 1 fired once; the next insert works");
        }
    }

    @Test
    void errorCodeAndErrorLabelsReachTheDriver() {
        try (MongoClient c = recordingClient(b -> b.retryWrites(true))) {
            MongoCollection<Document> coll = c.getDatabase("fc").getCollection("labels");
            coll.drop();
            failCommand(times(1), "{failCommands: ['insert'], errorCode: 2, errorLabels: ['SomeLabel']}");
            MongoException e = assertThrows(MongoException.class, () -> coll.insertOne(new Document("_id", 1)));
            assertEquals(2, e.getCode());
            assertTrue(e.hasErrorLabel("SomeLabel"), "labels: " + e.getErrorLabels());
            assertEquals(0, coll.countDocuments(), "the failed command did not run");
        }
    }

    @Test
    void aRetryableCodeIsLabelledAndRetriedUnlessTheLabelsAreGivenEmpty() {
        try (MongoClient c = recordingClient(b -> b.retryWrites(true))) {
            MongoCollection<Document> coll = c.getDatabase("fc").getCollection("retry");
            coll.drop();
            started.clear();
            failCommand(times(1), "{failCommands: ['insert'], errorCode: 91}");
            coll.insertOne(new Document("_id", 1));
            assertEquals(2, inserts(), "91 ShutdownInProgress on a retryable write gets RetryableWriteError: retried");

            started.clear();
            failCommand(times(1), "{failCommands: ['insert'], errorCode: 91, errorLabels: []}");
            MongoException e = assertThrows(MongoException.class, () -> coll.insertOne(new Document("_id", 2)));
            assertEquals(91, e.getCode());
            assertFalse(e.hasErrorLabel("RetryableWriteError"), "labels: " + e.getErrorLabels());
            assertEquals(1, inserts(), "without the label the driver does not retry");
            assertEquals(1, coll.countDocuments());
        }
    }

    @Test
    void writeConcernErrorIsReportedAfterTheWriteIsDone() {
        try (MongoClient c = recordingClient(b -> b.retryWrites(false))) {
            MongoCollection<Document> coll = c.getDatabase("fc").getCollection("wce");
            coll.drop();
            failCommand(times(1), "{failCommands: ['insert'], writeConcernError: {code: 64, codeName: 'WriteConcernFailed',"
                    + " errmsg: 'waiting for replication timed out', errInfo: {wtimeout: true}}}");
            MongoWriteConcernException e = assertThrows(MongoWriteConcernException.class,
                    () -> coll.insertOne(new Document("_id", 1)));
            assertEquals(64, e.getWriteConcernError().getCode());
            assertEquals("waiting for replication timed out", e.getWriteConcernError().getMessage());
            assertEquals(1, coll.countDocuments(), "a write concern error does not undo the write");
        }
    }

    @Test
    void blockConnectionDelaysTheReply() {
        try (MongoClient c = recordingClient(b -> { })) {
            failCommand(times(1), "{failCommands: ['ping'], blockConnection: true, blockTimeMS: 400}");
            long start = System.nanoTime();
            BsonDocument reply = c.getDatabase("admin").runCommand(new BsonDocument("ping", new BsonInt32(1)), BsonDocument.class);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(1.0, reply.getNumber("ok").doubleValue(), "a blocked command then runs as usual");
            assertTrue(millis >= 350, "the reply came after " + millis + " ms, not after the 400 ms block");
        }
    }

    @Test
    void appNameLimitsTheFailPointToThatApplicationsConnections() {
        try (MongoClient victim = recordingClient(b -> b.applicationName("victim"));
             MongoClient other = recordingClient(b -> b.applicationName("bystander"))) {
            failCommand(times(1), "{failCommands: ['ping'], errorCode: 2, appName: 'victim'}");
            BsonDocument ping = new BsonDocument("ping", new BsonInt32(1));
            other.getDatabase("admin").runCommand(ping);
            client.getDatabase("admin").runCommand(ping);
            MongoCommandException e = assertThrows(MongoCommandException.class, () -> victim.getDatabase("admin").runCommand(ping));
            assertEquals(2, e.getErrorCode());
            assertEquals("BadValue", e.getErrorCodeName());
            victim.getDatabase("admin").runCommand(ping);
        }
    }

    @Test
    void onlyTheNamedCommandsFailAndConfigureFailPointNever() {
        // count is how often the fail point fired over the server's life, as on mongod.
        long before = failCommand(new BsonString("alwaysOn"), "{failCommands: ['find', 'configureFailPoint'], errorCode: 10107}");
        MongoCollection<Document> coll = db("fc").getCollection("named");
        coll.insertOne(new Document("_id", 1));
        MongoCommandException e = assertThrows(MongoCommandException.class, () -> coll.find().first());
        assertEquals(10107, e.getErrorCode());
        assertEquals("NotWritablePrimary", e.getErrorCodeName());
        assertEquals(1, coll.countDocuments(), "aggregate (countDocuments) is not named");
        // configureFailPoint is exempt even when named, so the fail point can always be switched off.
        // The find and the driver's one retry: 10107 is a retryable read error. Its reply carries the server's
        // topologyVersion, so the driver does not take the server for unknown and retries at once.
        assertEquals(before + 2, failCommand(new BsonString("off"), "{}"), "count: it fired for the find and its retry");
        assertEquals(1, coll.find().first().getInteger("_id"));
    }

    @Test
    void timesAndSkipCountOnlyTheCommandsThatMatch() {
        BsonDocument ping = new BsonDocument("ping", new BsonInt32(1));
        failCommand(times(2), "{failCommands: ['ping'], errorCode: 2}");
        client.getDatabase("admin").runCommand(new BsonDocument("buildInfo", new BsonInt32(1)));
        assertThrows(MongoCommandException.class, () -> client.getDatabase("admin").runCommand(ping));
        assertThrows(MongoCommandException.class, () -> client.getDatabase("admin").runCommand(ping));
        client.getDatabase("admin").runCommand(ping);

        failCommand(new BsonDocument("skip", new BsonInt32(1)), "{failCommands: ['ping'], errorCode: 2}");
        client.getDatabase("admin").runCommand(ping);
        assertThrows(MongoCommandException.class, () -> client.getDatabase("admin").runCommand(ping));
        assertThrows(MongoCommandException.class, () -> client.getDatabase("admin").runCommand(ping));
    }

    @Test
    void activationProbabilityZeroNeverFiresAndOneAlwaysDoes() {
        BsonDocument ping = new BsonDocument("ping", new BsonInt32(1));
        failCommand(new BsonDocument("activationProbability", new BsonInt32(0)), "{failCommands: ['ping'], errorCode: 2}");
        for (int i = 0; i < 5; i++) {
            client.getDatabase("admin").runCommand(ping);
        }
        failCommand(new BsonDocument("activationProbability", new BsonInt32(1)), "{failCommands: ['ping'], errorCode: 2}");
        for (int i = 0; i < 3; i++) {
            assertThrows(MongoCommandException.class, () -> client.getDatabase("admin").runCommand(ping));
        }
        MongoCommandException e = assertThrows(MongoCommandException.class, () -> admin(new BsonDocument("configureFailPoint",
                new BsonString("failCommand")).append("mode", new BsonDocument("activationProbability", new BsonInt32(2)))
                .append("data", json("{failCommands: ['ping'], errorCode: 2}"))));
        assertEquals(2, e.getErrorCode());
    }

    @Test
    void badFailCommandDataIsRefusedAtConfigureTime() {
        MongoCommandException e = assertThrows(MongoCommandException.class,
                () -> failCommand(new BsonString("alwaysOn"), "{failCommands: 'insert', errorCode: 2}"));
        assertEquals(2, e.getErrorCode());
        // Nothing was switched on by the refused configuration.
        db("fc").getCollection("bad").insertOne(new Document("_id", 1));
    }

    @Test
    void failGetMoreAfterCursorCheckoutFailsTheNextGetMore() {
        MongoCollection<Document> coll = db("fc").getCollection("getmore");
        coll.drop();
        for (int i = 0; i < 5; i++) {
            coll.insertOne(new Document("_id", i));
        }
        admin(new BsonDocument("configureFailPoint", new BsonString("failGetMoreAfterCursorCheckout"))
                .append("mode", times(1)).append("data", new BsonDocument("errorCode", new BsonInt32(7))
                        .append("closeConnection", BsonBoolean.FALSE)));
        try (MongoCursor<Document> cursor = coll.find().batchSize(2).iterator()) {
            cursor.next();
            cursor.next();
            MongoCommandException e = assertThrows(MongoCommandException.class, cursor::next);
            assertEquals(7, e.getErrorCode());
            assertEquals("HostNotFound", e.getErrorCodeName());
        }
        assertEquals(5, coll.find().batchSize(2).into(new java.util.ArrayList<>()).size(), "times: 1 fired once");
    }

    @Test
    void failCommandInsideATransactionLabelsTheErrorAndLeavesTheTransactionOpen() {
        MongoCollection<Document> coll = db("fc").getCollection("txn");
        coll.drop();
        coll.insertOne(new Document("_id", 0));
        try (com.mongodb.client.ClientSession s = client.startSession()) {
            s.startTransaction();
            coll.insertOne(s, new Document("_id", 1));
            failCommand(times(1), "{failCommands: ['insert'], errorCode: 112}");
            MongoException e = assertThrows(MongoException.class, () -> coll.insertOne(s, new Document("_id", 2)));
            assertEquals(112, e.getCode());
            assertTrue(e.hasErrorLabel("TransientTransactionError"), "labels: " + e.getErrorLabels());
            // As on mongod, failCommand fails the command before the session is checked out: the transaction
            // is still in progress and commits what its other statements wrote.
            coll.insertOne(s, new Document("_id", 3));
            s.commitTransaction();
        }
        assertEquals(List.of(0, 1, 3), coll.find().into(new java.util.ArrayList<>()).stream().map(d -> d.getInteger("_id")).toList());
    }

    @Test
    void inATransactionARetryableErrorIsTransientOnAStatementAndRetryableOnTheCommit() {
        MongoCollection<Document> coll = db("fc").getCollection("txnlabels");
        coll.drop();
        coll.insertOne(new Document("_id", 0));
        try (com.mongodb.client.ClientSession s = client.startSession()) {
            s.startTransaction();
            coll.insertOne(s, new Document("_id", 1));
            failCommand(times(1), "{failCommands: ['insert'], errorCode: 10107}");
            MongoException statement = assertThrows(MongoException.class, () -> coll.insertOne(s, new Document("_id", 2)));
            assertEquals(10107, statement.getCode());
            // A statement is never retried by itself; the label tells withTransaction to run the transaction again.
            assertTrue(statement.hasErrorLabel("TransientTransactionError"), "labels: " + statement.getErrorLabels());
            assertFalse(statement.hasErrorLabel("RetryableWriteError"), "labels: " + statement.getErrorLabels());

            // PreparedTransactionInProgress on the commit: the whole transaction may be retried.
            failCommand(times(1), "{failCommands: ['commitTransaction'], errorCode: 267}");
            MongoCommandException commit = assertThrows(MongoCommandException.class, s::commitTransaction);
            assertEquals("PreparedTransactionInProgress", commit.getErrorCodeName());
            assertTrue(commit.hasErrorLabel("TransientTransactionError"), "labels: " + commit.getErrorLabels());
        }
        try (com.mongodb.client.ClientSession s = client.startSession()) {
            s.startTransaction();
            coll.insertOne(s, new Document("_id", 3));
            // NotWritablePrimary on the commit is a retryable write error, not a transient one: the driver retries
            // the commit once, and the retry commits.
            failCommand(times(1), "{failCommands: ['commitTransaction'], errorCode: 10107}");
            s.commitTransaction();
        }
        assertEquals(List.of(0, 3), coll.find().into(new java.util.ArrayList<>()).stream().map(d -> d.getInteger("_id")).toList());
    }
}
