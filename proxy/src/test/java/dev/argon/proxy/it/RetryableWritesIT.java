package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.event.CommandFailedEvent;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.bulk.BulkWriteResult;
import dev.argon.wal.Branch;
import dev.argon.engine.store.Store;
import dev.argon.proxy.ArgonServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retryable writes through the Java driver: with the {@code onPrimaryTransactionalWrite} fail point the server
 * applies a write and drops the connection instead of replying; the driver retries and every write must be
 * applied exactly once with the right result. Also: statements answered from the record after a restart,
 * TransactionTooOld, a retry waiting for its first attempt, and the labels and codes of a stopping server.
 */
class RetryableWritesIT extends ArgonTestBase {
    private final List<String> started = new CopyOnWriteArrayList<>();
    private final List<CommandFailedEvent> failed = new CopyOnWriteArrayList<>();
    /** Threads of their own: the common pool may have a single worker on a small machine. */
    private final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();

    @Override
    protected boolean enableTestCommands() {
        return true;
    }

    @org.junit.jupiter.api.AfterAll
    void stopThreads() {
        threads.shutdownNow();
    }

    @AfterEach
    void failPointOff() {
        admin(new BsonDocument("configureFailPoint", new BsonString("onPrimaryTransactionalWrite")).append("mode", new BsonString("off")));
        started.clear();
        failed.clear();
    }

    /** A client with retryable writes (the driver default) that records the commands it sends. */
    private MongoClient recordingClient() {
        return MongoClients.create(MongoClientSettings.builder().applyConnectionString(new ConnectionString(uri()))
                .retryWrites(true).addCommandListener(new CommandListener() {
                    @Override
                    public void commandStarted(CommandStartedEvent e) {
                        started.add(e.getCommandName());
                    }

                    @Override
                    public void commandFailed(CommandFailedEvent e) {
                        failed.add(e);
                    }
                }).build());
    }

    private BsonDocument admin(BsonDocument command) {
        return client.getDatabase("admin").runCommand(command, BsonDocument.class);
    }

    /** The next retryable write (or statement of one) is applied, then its connection is closed before the reply. */
    private void dropConnectionAfterNextWrite() {
        BsonDocument r = admin(new BsonDocument("configureFailPoint", new BsonString("onPrimaryTransactionalWrite"))
                .append("mode", new BsonDocument("times", new BsonInt32(1)))
                .append("data", new BsonDocument("closeConnection", org.bson.BsonBoolean.TRUE)));
        assertTrue(r.containsKey("count"));
    }

    private long retriedStatements() {
        return admin(new BsonDocument("serverStatus", new BsonInt32(1))).getDocument("transactions")
                .getInt64("retriedStatementsCount").getValue();
    }

    /**
     * A client for raw commands with hand-made txnNumbers. Its sessions must not serve the driver's own
     * retryable writes afterwards (the driver would send txnNumbers lower than ours and get TransactionTooOld),
     * so each test that sends them closes its own client, and with it the sessions.
     */
    private MongoClient rawClient() {
        return MongoClients.create(uri());
    }

    private long count(String name) {
        return started.stream().filter(name::equals).count();
    }

    /** The first attempt failed with a network error, and the driver sent the command a second time. */
    private void assertRetriedAfterDroppedConnection(String command) {
        assertEquals(2, count(command), "commands sent: " + started);
        assertEquals(1, failed.size(), "failed: " + failed);
        assertTrue(failed.get(0).getThrowable() instanceof com.mongodb.MongoSocketException, String.valueOf(failed.get(0).getThrowable()));
    }

    @Test
    void nodeDriverRetriesAreAppliedOnce() throws Exception {
        ExternalClient.require(ExternalClient.nodeDriverPresent(), "the Node.js driver (npm package mongodb)");
        String out = ExternalClient.run(List.of("node", "retryable.js", uri(), "rwnode"));
        ExternalClient.assertOk(out, "node-retryable");
    }

    @Test
    void configureFailPointAnswersAsMongodDoes() {
        MongoCommandException unknown = assertThrows(MongoCommandException.class, () -> admin(new BsonDocument("configureFailPoint",
                new BsonString("noSuchFailPoint")).append("mode", new BsonString("alwaysOn"))));
        assertEquals(266, unknown.getErrorCode());
        assertEquals("FailPointSetFailed", unknown.getErrorCodeName());
        MongoCommandException notAdmin = assertThrows(MongoCommandException.class, () -> db("rw").runCommand(new Document("configureFailPoint",
                "onPrimaryTransactionalWrite").append("mode", "off")));
        assertEquals(13, notAdmin.getErrorCode());
        MongoCommandException badMode = assertThrows(MongoCommandException.class, () -> admin(new BsonDocument("configureFailPoint",
                new BsonString("onPrimaryTransactionalWrite")).append("mode", new BsonString("sometimes"))));
        assertEquals(2, badMode.getErrorCode());
    }

    @Test
    void configureFailPointIsUnknownWithoutTestCommands() throws Exception {
        Path dir = Files.createTempDirectory("argon-notest-");
        try (ArgonServer plain = ArgonServer.start(dir, "127.0.0.1", 0, null);
             MongoClient c = MongoClients.create("mongodb://127.0.0.1:" + plain.port() + "/")) {
            MongoCommandException e = assertThrows(MongoCommandException.class, () -> c.getDatabase("admin").runCommand(
                    new Document("configureFailPoint", "onPrimaryTransactionalWrite").append("mode", "alwaysOn")));
            assertEquals(59, e.getErrorCode());
            assertEquals("CommandNotFound", e.getErrorCodeName());
        } finally {
            deleteTree(dir);
        }
    }

    @Test
    void insertOneIsAppliedOnceWhenTheReplyIsLost() {
        try (MongoClient c = recordingClient()) {
            MongoCollection<Document> coll = c.getDatabase("rw").getCollection("insertOne");
            long before = retriedStatements();
            dropConnectionAfterNextWrite();
            coll.insertOne(new Document("_id", 1).append("x", 1));
            assertRetriedAfterDroppedConnection("insert");
            assertEquals(1, coll.countDocuments());
            assertEquals(1, retriedStatements() - before);
        }
    }

    @Test
    void insertOneNotCommittedOnTheFirstAttemptIsAppliedByTheRetry() {
        try (MongoClient c = recordingClient()) {
            MongoCollection<Document> coll = c.getDatabase("rw").getCollection("insertNotCommitted");
            admin(new BsonDocument("configureFailPoint", new BsonString("onPrimaryTransactionalWrite"))
                    .append("mode", new BsonDocument("times", new BsonInt32(1)))
                    .append("data", new BsonDocument("failBeforeCommitExceptionCode", new BsonInt32(1))));
            coll.insertOne(new Document("_id", 1));
            assertRetriedAfterDroppedConnection("insert");
            assertEquals(List.of(new Document("_id", 1)), coll.find().into(new java.util.ArrayList<>()));
        }
    }

    @Test
    void insertManyOrderedAndUnorderedAreAppliedOnce() {
        // 5 documents are checked one by one; 12 are a batch the insert checks in one pass for new ids.
        for (int size : new int[] {5, 12}) {
            for (boolean ordered : new boolean[] {true, false}) {
                started.clear();
                failed.clear();
                try (MongoClient c = recordingClient()) {
                    MongoCollection<Document> coll = c.getDatabase("rw").getCollection("insertMany" + ordered + size);
                    List<Document> docs = new java.util.ArrayList<>();
                    for (int i = 1; i <= size; i++) {
                        docs.add(new Document("_id", i));
                    }
                    long before = retriedStatements();
                    dropConnectionAfterNextWrite();
                    assertEquals(size, coll.insertMany(docs, new InsertManyOptions().ordered(ordered)).getInsertedIds().size());
                    assertRetriedAfterDroppedConnection("insert");
                    assertEquals(size, coll.countDocuments());
                    assertEquals(size, retriedStatements() - before, "every document of the retried batch came from the record");
                }
            }
        }
    }

    @Test
    void updateOneIncIsAppliedOnce() {
        try (MongoClient c = recordingClient()) {
            MongoCollection<Document> coll = c.getDatabase("rw").getCollection("updateOne");
            coll.insertOne(new Document("_id", 1).append("n", 0));
            dropConnectionAfterNextWrite();
            var r = coll.updateOne(Filters.eq("_id", 1), Updates.inc("n", 1));
            assertRetriedAfterDroppedConnection("update");
            assertEquals(1, r.getMatchedCount());
            assertEquals(1, r.getModifiedCount());
            assertEquals(1, coll.find().first().getInteger("n"));
        }
    }

    @Test
    void upsertIsAppliedOnceAndReportsItsId() {
        try (MongoClient c = recordingClient()) {
            MongoCollection<Document> coll = c.getDatabase("rw").getCollection("upsert");
            dropConnectionAfterNextWrite();
            var r = coll.updateOne(Filters.eq("_id", 7), Updates.inc("n", 1), new com.mongodb.client.model.UpdateOptions().upsert(true));
            assertRetriedAfterDroppedConnection("update");
            assertEquals(7, r.getUpsertedId().asInt32().getValue());
            assertEquals(List.of(new Document("_id", 7).append("n", 1)), coll.find().into(new java.util.ArrayList<>()));
        }
    }

    @Test
    void deleteOneIsAppliedOnceAndReportsTheDeletion() {
        try (MongoClient c = recordingClient()) {
            MongoCollection<Document> coll = c.getDatabase("rw").getCollection("deleteOne");
            coll.insertMany(List.of(new Document("_id", 1).append("k", "a"), new Document("_id", 2).append("k", "a")));
            dropConnectionAfterNextWrite();
            // Run again, this would delete the second document; answered from the record it deletes nothing more.
            assertEquals(1, coll.deleteOne(Filters.eq("k", "a")).getDeletedCount());
            assertRetriedAfterDroppedConnection("delete");
            assertEquals(1, coll.countDocuments());
        }
    }

    @Test
    void findOneAndUpdateReturnsTheFirstAttemptsDocument() {
        try (MongoClient c = recordingClient()) {
            MongoCollection<Document> coll = c.getDatabase("rw").getCollection("findOneAndUpdate");
            coll.insertOne(new Document("_id", 1).append("n", 10));
            dropConnectionAfterNextWrite();
            Document after = coll.findOneAndUpdate(Filters.eq("_id", 1), Updates.inc("n", 1),
                    new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
            assertRetriedAfterDroppedConnection("findAndModify");
            assertEquals(new Document("_id", 1).append("n", 11), after);
            assertEquals(11, coll.find().first().getInteger("n"));
        }
    }

    @Test
    void bulkWriteIsAppliedOnce() {
        try (MongoClient c = recordingClient()) {
            MongoCollection<Document> coll = c.getDatabase("rw").getCollection("bulk");
            coll.insertMany(List.of(new Document("_id", 1).append("n", 0), new Document("_id", 2)));
            started.clear();
            for (boolean ordered : new boolean[] {true, false}) {
                failed.clear();
                started.clear();
                // Three commands (insert, update, delete); the connection drops after the first one's write.
                dropConnectionAfterNextWrite();
                BulkWriteResult r = coll.bulkWrite(List.of(
                        new InsertOneModel<>(new Document("_id", ordered ? 10 : 20)),
                        new UpdateOneModel<>(Filters.eq("_id", 1), Updates.inc("n", 1)),
                        new DeleteOneModel<>(Filters.eq("_id", ordered ? 10 : 20))),
                        new com.mongodb.client.model.BulkWriteOptions().ordered(ordered));
                assertRetriedAfterDroppedConnection("insert");
                assertEquals(1, r.getInsertedCount());
                assertEquals(1, r.getModifiedCount());
                assertEquals(1, r.getDeletedCount());
            }
            assertEquals(2, coll.find(Filters.eq("_id", 1)).first().getInteger("n"));
            assertEquals(2, coll.countDocuments());
        }
    }

    @Test
    void bulkWriteWhoseUpdateLosesItsReplyIsAppliedOnce() {
        MongoCollection<Document> coll = db("rw").getCollection("bulk2");
        coll.insertOne(new Document("_id", 1).append("n", 0));
        // {skip: 1} lets the insert command pass and fires on the update; the listener turns the fail point off
        // when the update fails, so that the driver's retry goes through.
        admin(new BsonDocument("configureFailPoint", new BsonString("onPrimaryTransactionalWrite"))
                .append("mode", new BsonDocument("skip", new BsonInt32(1))));
        List<String> failedCommands = new CopyOnWriteArrayList<>();
        try (MongoClient c = MongoClients.create(MongoClientSettings.builder().applyConnectionString(new ConnectionString(uri()))
                .addCommandListener(new CommandListener() {
                    @Override
                    public void commandFailed(CommandFailedEvent e) {
                        failedCommands.add(e.getCommandName());
                        failPointOff();
                    }
                }).build())) {
            BulkWriteResult r = c.getDatabase("rw").getCollection("bulk2").bulkWrite(List.of(
                    new InsertOneModel<>(new Document("_id", 2)),
                    new UpdateOneModel<>(Filters.eq("_id", 1), Updates.inc("n", 1))));
            assertEquals(1, r.getInsertedCount());
            assertEquals(1, r.getModifiedCount());
        }
        assertEquals(List.of("update"), failedCommands);
        assertEquals(1, coll.find(Filters.eq("_id", 1)).first().getInteger("n"));
        assertEquals(2, coll.countDocuments());
    }

    // ---- raw commands with an explicit session: what a retry looks like on the wire ----

    private static BsonDocument update(String coll, long txnNumber, BsonDocument... statements) {
        return new BsonDocument("update", new BsonString(coll)).append("updates", new BsonArray(List.of(statements)))
                .append("txnNumber", new BsonInt64(txnNumber));
    }

    private static BsonDocument inc(int id) {
        return new BsonDocument("q", new BsonDocument("_id", new BsonInt32(id))).append("u", new BsonDocument("$inc",
                new BsonDocument("n", new BsonInt32(1))));
    }

    @Test
    void aRetriedBatchAppliesOnlyTheStatementsNotAppliedYet() {
        MongoCollection<Document> coll = db("rw").getCollection("partial");
        coll.insertOne(new Document("_id", 3));
        try (MongoClient raw = rawClient(); ClientSession s = raw.startSession()) {
            BsonDocument insert = new BsonDocument("insert", new BsonString("partial")).append("documents", new BsonArray(List.of(
                    new BsonDocument("_id", new BsonInt32(1)), new BsonDocument("_id", new BsonInt32(2)),
                    new BsonDocument("_id", new BsonInt32(3)), new BsonDocument("_id", new BsonInt32(4)))))
                    .append("txnNumber", new BsonInt64(1));
            BsonDocument first = raw.getDatabase("rw").runCommand(s, insert, BsonDocument.class);
            assertEquals(2, first.getInt32("n").getValue());
            assertEquals(11000, first.getArray("writeErrors").get(0).asDocument().getInt32("code").getValue());
            coll.deleteOne(Filters.eq("_id", 3));
            BsonDocument retry = raw.getDatabase("rw").runCommand(s, insert, BsonDocument.class);
            assertEquals(4, retry.getInt32("n").getValue());
            assertFalse(retry.containsKey("writeErrors"), retry.toJson());
            assertEquals(new BsonArray(List.of(new BsonInt32(0), new BsonInt32(1))), retry.getArray("retriedStmtIds"));
            assertEquals(4, coll.countDocuments());

            coll.insertMany(List.of(new Document("_id", 10).append("n", 0), new Document("_id", 11).append("n", "text")));
            BsonDocument upd = update("partial", 2, inc(10), inc(11));
            BsonDocument u1 = raw.getDatabase("rw").runCommand(s, upd, BsonDocument.class);
            assertEquals(1, u1.getInt32("n").getValue());
            assertEquals(14, u1.getArray("writeErrors").get(0).asDocument().getInt32("code").getValue());
            coll.updateOne(Filters.eq("_id", 11), Updates.set("n", 0));
            BsonDocument u2 = raw.getDatabase("rw").runCommand(s, upd, BsonDocument.class);
            assertEquals(2, u2.getInt32("n").getValue());
            assertEquals(2, u2.getInt32("nModified").getValue());
            assertEquals(new BsonArray(List.of(new BsonInt32(0))), u2.getArray("retriedStmtIds"));
            assertEquals(1, coll.find(Filters.eq("_id", 10)).first().getInteger("n"));
            assertEquals(1, coll.find(Filters.eq("_id", 11)).first().getInteger("n"));
        }
    }

    @Test
    void aRetryAfterARestartIsAnsweredFromTheRecord() throws Exception {
        db("rw").getCollection("restart").insertOne(new Document("_id", 1).append("n", 0));
        // A client of its own, open across the restart, so that its session (and lsid) stays the same.
        try (MongoClient keep = MongoClients.create(uri()); ClientSession s = keep.startSession()) {
            var rw = keep.getDatabase("rw");
            BsonDocument upd = update("restart", 5, inc(1));
            BsonDocument fam = new BsonDocument("findAndModify", new BsonString("restart"))
                    .append("query", new BsonDocument("_id", new BsonInt32(1)))
                    .append("update", new BsonDocument("$inc", new BsonDocument("n", new BsonInt32(100))))
                    .append("new", org.bson.BsonBoolean.TRUE).append("txnNumber", new BsonInt64(6));
            BsonDocument ins = new BsonDocument("insert", new BsonString("restart"))
                    .append("documents", new BsonArray(List.of(new BsonDocument("_id", new BsonInt32(2)))))
                    .append("txnNumber", new BsonInt64(7));
            BsonDocument u1 = rw.runCommand(s, upd, BsonDocument.class);
            assertEquals(1, u1.getInt32("nModified").getValue());
            BsonDocument f1 = rw.runCommand(s, fam, BsonDocument.class);
            assertEquals(101, f1.getDocument("value").getInt32("n").getValue());
            assertEquals(1, rw.runCommand(s, ins, BsonDocument.class).getInt32("n").getValue());

            restart();
            awaitServer(keep);

            // Every one of them answers as the first time and changes nothing (txnNumber 5 and 6 are older than
            // 7, the session's newest, so only the newest can be retried, as on mongod).
            BsonDocument i2 = rw.runCommand(s, ins, BsonDocument.class);
            assertEquals(1, i2.getInt32("n").getValue());
            assertFalse(i2.containsKey("writeErrors"), "no duplicate key: " + i2.toJson());
            assertEquals(new BsonArray(List.of(new BsonInt32(0))), i2.getArray("retriedStmtIds"));
            MongoCommandException old = assertThrows(MongoCommandException.class, () -> rw.runCommand(s, upd, BsonDocument.class));
            assertEquals(225, old.getErrorCode());
            assertEquals(101, db("rw").getCollection("restart").find(Filters.eq("_id", 1)).first().getInteger("n"));
            assertEquals(2, db("rw").getCollection("restart").countDocuments());

            // findAndModify answers its first value after a restart too.
            BsonDocument fam2 = fam.clone().append("txnNumber", new BsonInt64(8));
            assertEquals(201, rw.runCommand(s, fam2, BsonDocument.class).getDocument("value").getInt32("n").getValue());
            restart();
            awaitServer(keep);
            BsonDocument f2 = rw.runCommand(s, fam2, BsonDocument.class);
            assertEquals(201, f2.getDocument("value").getInt32("n").getValue());
            assertEquals(0, f2.getInt32("retriedStmtId").getValue());
            assertEquals(201, db("rw").getCollection("restart").find(Filters.eq("_id", 1)).first().getInteger("n"));
        }
    }

    private static void awaitServer(MongoClient c) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try {
                c.getDatabase("admin").runCommand(new Document("ping", 1));
                return;
            } catch (MongoException e) {
                Thread.sleep(50);
            }
        }
    }

    @Test
    void anOlderTxnNumberIsTransactionTooOld() {
        db("rw").getCollection("old").insertOne(new Document("_id", 1).append("n", 0));
        try (MongoClient raw = rawClient(); ClientSession s = raw.startSession()) {
            raw.getDatabase("rw").runCommand(s, update("old", 10, inc(1)), BsonDocument.class);
            MongoCommandException e = assertThrows(MongoCommandException.class,
                    () -> raw.getDatabase("rw").runCommand(s, update("old", 9, inc(1)), BsonDocument.class));
            assertEquals(225, e.getErrorCode());
            assertEquals("TransactionTooOld", e.getErrorCodeName());
            assertTrue(e.getMessage().contains("txnNumber 9") && e.getMessage().contains("txnNumber 10"), e.getMessage());
            assertFalse(e.hasErrorLabel("RetryableWriteError"));
            // A newer one runs as a new write.
            assertEquals(1, raw.getDatabase("rw").runCommand(s, update("old", 11, inc(1)), BsonDocument.class).getInt32("nModified").getValue());
            assertEquals(2, db("rw").getCollection("old").find().first().getInteger("n"));
        }
    }

    @Test
    void txnNumberOnlyOnRetryableWrites() {
        try (MongoClient raw = rawClient(); ClientSession s = raw.startSession()) {
            MongoCommandException e = assertThrows(MongoCommandException.class, () -> raw.getDatabase("rw").runCommand(s,
                    new BsonDocument("find", new BsonString("x")).append("txnNumber", new BsonInt64(1)), BsonDocument.class));
            assertEquals(50768, e.getErrorCode());
            BsonDocument multi = raw.getDatabase("rw").runCommand(s, update("x", 2, inc(1).append("multi", org.bson.BsonBoolean.TRUE)), BsonDocument.class);
            assertEquals(72, multi.getArray("writeErrors").get(0).asDocument().getInt32("code").getValue());
        }
    }

    @Test
    void aRetryThatArrivesWhileTheFirstAttemptRunsWaitsForIt() throws Exception {
        db("rw").getCollection("concurrent").insertOne(new Document("_id", 1).append("n", 0));
        BsonDocument cmd = update("concurrent", 1, inc(1))
                .append("lsid", new BsonDocument("id", new org.bson.BsonBinary(java.util.UUID.randomUUID())))
                .append("$db", new BsonString("rw"));
        Store.Write hold = server.engine().store().beginWrite(Branch.MAIN_ID);
        CompletableFuture<BsonDocument> first;
        CompletableFuture<BsonDocument> retry;
        try (OpMsgConnection c1 = new OpMsgConnection(server.port()); OpMsgConnection c2 = new OpMsgConnection(server.port())) {
            try {
                // The first attempt waits for the branch lock this test holds, with its session checked out.
                first = CompletableFuture.supplyAsync(() -> call(c1, cmd), threads);
                await(() -> hold.lock().getQueueLength() == 1);
                // The retry, on another connection, must wait for the session rather than run beside it.
                retry = CompletableFuture.supplyAsync(() -> call(c2, cmd), threads);
                await(() -> server.engine().sessions().waiting() == 1);
            } finally {
                hold.close();
            }
            BsonDocument a = first.get(30, TimeUnit.SECONDS);
            BsonDocument b = retry.get(30, TimeUnit.SECONDS);
            assertEquals(1, a.getInt32("nModified").getValue(), a.toJson());
            assertFalse(a.containsKey("retriedStmtIds"));
            assertEquals(1, b.getInt32("nModified").getValue(), b.toJson());
            assertEquals(new BsonArray(List.of(new BsonInt32(0))), b.getArray("retriedStmtIds"));
        }
        assertEquals(1, db("rw").getCollection("concurrent").find().first().getInteger("n"));
    }

    private static BsonDocument call(OpMsgConnection c, BsonDocument command) {
        try {
            return c.call(command);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not reached");
            Thread.sleep(5);
        }
    }

    @Test
    void aStoppingServerRefusesWithRetryableCodesAndLabels() throws Exception {
        Path dir = Files.createTempDirectory("argon-stop-");
        ArgonServer stopping = ArgonServer.start(dir, "127.0.0.1", 0, null);
        // Polling monitors that do not poll during the test: a stopping server answers hello with 91 too, and a
        // monitor that saw it would make the client give up on the server before the test's own command.
        String u = "mongodb://127.0.0.1:" + stopping.port() + "/?retryWrites=false&serverMonitoringMode=poll&heartbeatFrequencyMS=600000";
        try (MongoClient waiter = MongoClients.create(u); MongoClient late = MongoClients.create(u);
             ClientSession s1 = waiter.startSession(); ClientSession s2 = late.startSession()) {
            waiter.getDatabase("rw").getCollection("stop").insertOne(new Document("_id", 0));
            late.getDatabase("admin").runCommand(new Document("ping", 1)); // an open connection for after the close
            OpMsgConnection plain = new OpMsgConnection(stopping.port());
            BsonDocument insert = new BsonDocument("insert", new BsonString("stop"))
                    .append("documents", new BsonArray(List.of(new BsonDocument("_id", new BsonInt32(1)))))
                    .append("txnNumber", new BsonInt64(1));
            Store.Write hold = stopping.engine().store().beginWrite(Branch.MAIN_ID);
            // The test counts as a running command, so the server stays in its draining state until it leaves.
            assertTrue(stopping.engine().gate().enter());
            CompletableFuture<Void> closed;
            MongoException waiting;
            MongoException refused;
            BsonDocument plainRefused;
            BsonDocument plainRetryable;
            try {
                CompletableFuture<BsonDocument> blocked = CompletableFuture.supplyAsync(
                        () -> waiter.getDatabase("rw").runCommand(s1, insert, BsonDocument.class), threads);
                // Waiting on the command pool: a quick write first tries the lock for a moment on the event loop,
                // then falls back (quickFallbacks), and only that wait is the one shutdown interrupts with 11600.
                await(() -> hold.lock().getQueueLength() == 1 && stopping.engine().stats().quickFallbacks.get() >= 1);
                closed = CompletableFuture.runAsync(stopping::close, threads);
                await(() -> stopping.engine().gate().closing());
                refused = assertThrows(MongoException.class, () -> late.getDatabase("rw").runCommand(s2, insert, BsonDocument.class));
                // The same refusal of a write that is not a retryable write (no txnNumber) carries no label: mongod
                // labels only commands with a txnNumber, which a client sends only with retryWrites on.
                BsonDocument plainWrite = new BsonDocument("insert", new BsonString("stop"))
                        .append("documents", new BsonArray(List.of(new BsonDocument("_id", new BsonInt32(2)))))
                        .append("$db", new BsonString("rw"));
                plainRefused = plain.call(plainWrite);
                plainRetryable = plain.call(plainWrite.clone().append("txnNumber", new BsonInt64(1))
                        .append("lsid", new BsonDocument("id", new org.bson.BsonBinary(java.util.UUID.randomUUID()))));
                waiting = (MongoException) assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> blocked.get(30, TimeUnit.SECONDS)).getCause();
            } finally {
                hold.close();
                stopping.engine().gate().exit();
                plain.close();
            }
            closed.get(30, TimeUnit.SECONDS);
            assertEquals(91, refused.getCode(), refused.toString());
            assertTrue(refused.hasErrorLabel("RetryableWriteError"), refused.toString());
            assertEquals(11600, waiting.getCode(), waiting.toString());
            assertTrue(waiting.hasErrorLabel("RetryableWriteError"), waiting.toString());
            assertEquals(91, plainRefused.getInt32("code").getValue(), plainRefused.toJson());
            assertNull(plainRefused.get("errorLabels"), plainRefused.toJson());
            assertEquals(91, plainRetryable.getInt32("code").getValue(), plainRetryable.toJson());
            assertEquals(new BsonArray(List.of(new BsonString("RetryableWriteError"))), plainRetryable.get("errorLabels"), plainRetryable.toJson());
        } finally {
            stopping.close();
        }
        // Nothing refused was written; what was acknowledged is there.
        try (ArgonServer again = ArgonServer.start(dir, "127.0.0.1", 0, null);
             MongoClient c = MongoClients.create("mongodb://127.0.0.1:" + again.port() + "/")) {
            assertEquals(List.of(new Document("_id", 0)), c.getDatabase("rw").getCollection("stop").find().into(new java.util.ArrayList<>()));
        } finally {
            deleteTree(dir);
        }
    }

    @Test
    void retryableErrorsOnlyLabelledForRetryableWrites() {
        // A duplicate key is not retryable: no label, even with a txnNumber.
        db("rw").getCollection("labels").insertOne(new Document("_id", 1));
        try (MongoClient raw = rawClient(); ClientSession s = raw.startSession()) {
            BsonDocument r = raw.getDatabase("rw").runCommand(s, new BsonDocument("insert", new BsonString("labels"))
                    .append("documents", new BsonArray(List.of(new BsonDocument("_id", new BsonInt32(1)))))
                    .append("txnNumber", new BsonInt64(1)), BsonDocument.class);
            assertNull(r.get("errorLabels"));
            assertNotNull(r.get("writeErrors"));
        }
        // A storage refusal is not retryable either: a full disk (the next write finds room again) answers 14031
        // without the label, so the driver does not retry against a disk that refuses writes.
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger(1);
        server.engine().store().walForTests().faults(new dev.argon.wal.WalFaults() {
            @Override
            public void beforeWrite() throws java.io.IOException {
                if (failures.getAndDecrement() > 0) {
                    throw new java.io.IOException("While appending to file: 000004.log: No space left on device");
                }
            }
        });
        try (MongoClient raw = rawClient(); ClientSession s = raw.startSession()) {
            MongoCommandException full = assertThrows(MongoCommandException.class, () -> raw.getDatabase("rw").runCommand(s,
                    new BsonDocument("insert", new BsonString("labels"))
                            .append("documents", new BsonArray(List.of(new BsonDocument("_id", new BsonInt32(2)))))
                            .append("txnNumber", new BsonInt64(1)), BsonDocument.class));
            assertEquals(14031, full.getErrorCode(), full.toString());
            assertNull(full.getResponse().get("errorLabels"), full.getResponse().toJson());
        } finally {
            server.engine().store().walForTests().faults(null);
        }
        assertEquals(1, db("rw").getCollection("labels").countDocuments());
        // A retryable code without txnNumber gets no label: see aStoppingServerRefusesWithRetryableCodesAndLabels (91).
    }
}
