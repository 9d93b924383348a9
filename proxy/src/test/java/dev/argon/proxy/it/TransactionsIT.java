package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneOptions;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** Multi-document transactions on one branch, through the Java driver and as raw commands. */
class TransactionsIT extends ArgonTestBase {

    private List<Document> log(String ns) {
        return CommandCursor.all(client, new Document("branchLog", "main").append("ns", ns));
    }

    @Test
    void withTransactionCommitsEverythingAsOneLogEntryWithTheComment() {
        MongoCollection<Document> orders = db("shop").getCollection("orders");
        MongoCollection<Document> stock = db("shop").getCollection("stock");
        stock.insertOne(doc("{_id: 'apple', n: 10}"));
        int before = log("shop.orders").size();
        try (ClientSession s = client.startSession()) {
            String r = s.withTransaction(() -> {
                orders.insertOne(s, doc("{_id: 1, item: 'apple'}"), new InsertOneOptions().comment("order 1"));
                orders.insertOne(s, doc("{_id: 2, item: 'apple'}"));
                stock.updateOne(s, Filters.eq("_id", "apple"), Updates.inc("n", -2));
                return "done";
            });
            assertEquals("done", r);
        }
        assertEquals(2, orders.countDocuments());
        assertEquals(8, stock.find(Filters.eq("_id", "apple")).first().getInteger("n"));
        List<Document> commits = log("shop.orders");
        assertEquals(before + 1, commits.size(), "one commit for the whole transaction");
        Document c = commits.get(0);
        assertEquals("order 1", c.getString("comment"), "the first statement's comment");
        Document counts = c.get("counts", Document.class);
        assertEquals(2, counts.get("shop.orders", Document.class).getInteger("insert"));
        assertEquals(1, counts.get("shop.stock", Document.class).getInteger("update"));
    }

    @Test
    void readsSeeTheSnapshotPlusOwnWritesAndOthersSeeNothingUntilCommit() {
        MongoCollection<Document> c = db("iso").getCollection("c");
        c.insertOne(doc("{_id: 1, v: 'old'}"));
        try (ClientSession s = client.startSession()) {
            s.startTransaction();
            assertEquals("old", c.find(s, Filters.eq("_id", 1)).first().getString("v"));
            c.insertOne(s, doc("{_id: 2, v: 'mine'}"));
            // A writer outside moves the head; the transaction keeps its snapshot.
            c.insertOne(doc("{_id: 3, v: 'theirs'}"));
            List<Integer> seen = new ArrayList<>();
            c.find(s).forEach(d -> seen.add(d.getInteger("_id")));
            assertEquals(List.of(1, 2), seen, "snapshot plus own write, not the concurrent insert");
            assertNull(c.find(Filters.eq("_id", 2)).first(), "uncommitted write invisible outside");
            s.commitTransaction();
        }
        assertEquals("mine", c.find(Filters.eq("_id", 2)).first().getString("v"));
        assertEquals(3, c.countDocuments());
    }

    @Test
    void anAbortedTransactionLeavesNothing() {
        MongoCollection<Document> c = db("ab").getCollection("c");
        c.insertOne(doc("{_id: 0}"));
        int commits = log("ab.c").size();
        try (ClientSession s = client.startSession()) {
            s.startTransaction();
            c.insertOne(s, doc("{_id: 1}"));
            c.deleteOne(s, Filters.eq("_id", 0));
            db("ab").getCollection("new").insertOne(s, doc("{_id: 1}"));
            assertEquals(1, c.countDocuments(), "invisible meanwhile");
            s.abortTransaction();
        }
        assertEquals(List.of(doc("{_id: 0}")), c.find().into(new ArrayList<>()));
        assertFalse(db("ab").listCollectionNames().into(new ArrayList<>()).contains("new"), "no collection created");
        assertEquals(commits, log("ab.c").size(), "no commit");
    }

    @Test
    void aConcurrentCommitToTheSameDocumentIsAWriteConflictWithTheTransientLabel() {
        MongoCollection<Document> c = db("wc").getCollection("c");
        c.insertOne(doc("{_id: 1, n: 0}"));
        try (ClientSession s = client.startSession()) {
            s.startTransaction();
            c.updateOne(s, Filters.eq("_id", 1), Updates.set("n", 1));
            c.updateOne(Filters.eq("_id", 1), Updates.set("n", 2));
            MongoException e = assertThrows(MongoException.class, s::commitTransaction);
            assertEquals(112, e.getCode());
            assertTrue(e.hasErrorLabel("TransientTransactionError"), "labels: " + e.getErrorLabels());
        }
        assertEquals(2, c.find().first().getInteger("n"), "the transaction wrote nothing");
    }

    @Test
    void aSecondTransactionWritingTheSameDocumentConflictsAtOnce() {
        MongoCollection<Document> c = db("wc2").getCollection("c");
        try (ClientSession first = client.startSession(); ClientSession second = client.startSession()) {
            first.startTransaction();
            c.insertOne(first, doc("{_id: 1, by: 'first'}"));
            second.startTransaction();
            MongoException e = assertThrows(MongoException.class, () -> c.insertOne(second, doc("{_id: 1, by: 'second'}")));
            assertEquals(112, e.getCode());
            assertTrue(e.hasErrorLabel("TransientTransactionError"), "labels: " + e.getErrorLabels());
            first.commitTransaction();
            MongoException gone = assertThrows(MongoException.class, second::commitTransaction);
            assertEquals(251, gone.getCode(), "the conflict aborted the second transaction");
        }
        assertEquals(List.of(doc("{_id: 1, by: 'first'}")), c.find().into(new ArrayList<>()));
        // Once the first one is over, its documents are free for the next transaction.
        try (ClientSession s = client.startSession()) {
            s.withTransaction(() -> c.updateOne(s, Filters.eq("_id", 1), Updates.set("by", "third")));
        }
        assertEquals("third", c.find().first().getString("by"));
    }

    @Test
    void withTransactionUnderConcurrentConflictingWritersLosesNoUpdate() throws Exception {
        MongoCollection<Document> c = db("cc").getCollection("counter");
        c.insertOne(doc("{_id: 'x', n: 0, log: []}"));
        int threads = 4;
        int perThread = 15;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int me = t;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        try (ClientSession s = client.startSession()) {
                            int k = i;
                            s.withTransaction(() -> {
                                // Read, then write what was read plus one: a lost update would show in the total.
                                int n = c.find(s, Filters.eq("_id", "x")).first().getInteger("n");
                                c.updateOne(s, Filters.eq("_id", "x"), Updates.combine(Updates.set("n", n + 1),
                                        Updates.push("log", me + ":" + k)));
                                return null;
                            });
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Document d = c.find().first();
        assertEquals(threads * perThread, d.getInteger("n"));
        assertEquals(threads * perThread, d.getList("log", String.class).size());
    }

    @Test
    void refusedOperationsBranchesAndViews() {
        db("ro").getCollection("c").insertOne(doc("{_id: 1}"));
        db("admin").runCommand(doc("{createBranch: 'txexp', from: 'main'}"));
        try (ClientSession s = client.startSession()) {
            s.startTransaction();
            db("ro").getCollection("c").insertOne(s, doc("{_id: 2}"));
            MongoCommandException e = assertThrows(MongoCommandException.class,
                    () -> db("ro").runCommand(s, doc("{count: 'c'}")));
            assertEquals(263, e.getErrorCode());
            assertEquals("OperationNotSupportedInTransaction", e.getErrorCodeName());
            assertThrows(MongoException.class, s::commitTransaction, "the refused command aborted the transaction");
        }
        try (ClientSession s = client.startSession()) {
            s.startTransaction();
            db("ro").getCollection("c").insertOne(s, doc("{_id: 3}"));
            MongoCommandException e = assertThrows(MongoCommandException.class,
                    () -> db("ro~txexp").getCollection("c").insertOne(s, doc("{_id: 4}")));
            assertEquals(263, e.getErrorCode());
            assertTrue(e.getErrorMessage().contains("cannot span branches"), e.getErrorMessage());
            s.abortTransaction();
        }
        try (ClientSession s = client.startSession()) {
            s.startTransaction();
            MongoCommandException e = assertThrows(MongoCommandException.class,
                    () -> db("ro~main@1").getCollection("c").find(s).first());
            assertEquals(263, e.getErrorCode());
            assertTrue(e.getErrorMessage().contains("time-travel view"), e.getErrorMessage());
            s.abortTransaction();
        }
        assertEquals(1, db("ro").getCollection("c").countDocuments());
        assertEquals(1, db("ro~txexp").getCollection("c").countDocuments());
    }

    private static BsonDocument txnCommand(String json, BsonDocument lsid, long txnNumber) {
        return BsonDocument.parse(json).append("lsid", lsid).append("txnNumber", new BsonInt64(txnNumber))
                .append("autocommit", org.bson.BsonBoolean.FALSE);
    }

    @Test
    void aRetriedCommitAnswersFromTheRecordEvenAfterARestart() throws Exception {
        BsonDocument lsid = new BsonDocument("id", new BsonBinary(UUID.randomUUID()));
        try (OpMsgConnection conn = new OpMsgConnection(server.port())) {
            BsonDocument ins = conn.call(txnCommand("{insert: 'c', documents: [{_id: 1}], $db: 'rc', startTransaction: true}", lsid, 1));
            assertEquals(1.0, ins.getNumber("ok").doubleValue(), ins.toJson());
            BsonDocument commit = txnCommand("{commitTransaction: 1, $db: 'admin'}", lsid, 1);
            assertEquals(1.0, conn.call(commit).getNumber("ok").doubleValue());
            assertEquals(1.0, conn.call(commit).getNumber("ok").doubleValue(), "a retried commit succeeds");
            BsonDocument abort = conn.call(txnCommand("{abortTransaction: 1, $db: 'admin'}", lsid, 1));
            assertEquals(256, abort.getInt32("code").getValue(), abort.toJson());
            BsonDocument unknown = conn.call(txnCommand("{insert: 'c', documents: [{_id: 9}], $db: 'rc'}", lsid, 5));
            assertEquals(251, unknown.getInt32("code").getValue(), unknown.toJson());
            assertTrue(unknown.getArray("errorLabels").contains(new BsonString("TransientTransactionError")));
        }
        restart();
        try (OpMsgConnection conn = new OpMsgConnection(server.port())) {
            BsonDocument again = conn.call(txnCommand("{commitTransaction: 1, $db: 'admin'}", lsid, 1));
            assertEquals(1.0, again.getNumber("ok").doubleValue(), again.toJson());
        }
        assertEquals(1, db("rc").getCollection("c").countDocuments(), "committed once");
    }

    @Test
    void aTransactionOlderThanItsLifetimeIsAborted() throws Exception {
        db("admin").runCommand(doc("{setParameter: 1, transactionLifetimeLimitSeconds: 1}"));
        try (ClientSession s = client.startSession()) {
            s.startTransaction();
            db("lt").getCollection("c").insertOne(s, doc("{_id: 1}"));
            Thread.sleep(1_500);
            MongoException e = assertThrows(MongoException.class, s::commitTransaction);
            assertEquals(251, e.getCode());
            assertTrue(e.getMessage().contains("transactionLifetimeLimitSeconds"), e.getMessage());
        } finally {
            db("admin").runCommand(doc("{setParameter: 1, transactionLifetimeLimitSeconds: 60}"));
        }
        assertEquals(0, db("lt").getCollection("c").countDocuments());
    }

    @Test
    void nodeDriverWithTransaction() throws Exception {
        ExternalClient.require(ExternalClient.nodeDriverPresent(), "the Node.js driver (npm package mongodb)");
        String out = ExternalClient.run(List.of("node", "transactions.js", uri(), "txnode"));
        ExternalClient.assertOk(out, "node-transactions");
    }
}
