package dev.argon.engine.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.engine.Engine;
import dev.argon.engine.ServerStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which commands the engine lets the wire layer run on its event loop: only those that cannot wait. */
class QuickCommandsTest {
    private Path dir;
    private Engine engine;
    private final ClientContext client = new ClientContext(1, "127.0.0.1:50000", "localhost", 27017);

    @BeforeEach
    void open() throws IOException {
        dir = Files.createTempDirectory("argon-quick-unit-");
        engine = new Engine(dir, new ServerStats(), true);
    }

    @AfterEach
    void close() throws IOException {
        engine.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private boolean quick(String json) {
        return engine.commands().quick(BsonDocument.parse(json), client);
    }

    @Test
    void pointReadsByIdOnMainAndPlainHandshakesAreQuick() {
        assertTrue(quick("{find: 'c', filter: {_id: 'user1'}, limit: 1, singleBatch: true, $db: 'ycsb', "
                + "lsid: {id: 1}, $clusterTime: {}}"));
        assertTrue(quick("{find: 'c', filter: {_id: 7}, batchSize: 1, projection: {a: 1}, $db: 'ycsb'}"));
        assertTrue(quick("{find: 'c', filter: {_id: {$oid: '0123456789abcdef01234567'}}, $db: 'ycsb'}"));
        assertTrue(quick("{hello: 1, helloOk: true, $db: 'admin'}"));
        assertTrue(quick("{ismaster: 1, client: {driver: {name: 'x'}}, $db: 'admin'}"));
        assertTrue(quick("{ping: 1, $db: 'admin'}"));
    }

    @Test
    void anythingThatMayWaitOrScanIsNot() {
        String[] slow = {
            "{find: 'c', filter: {_id: {$gt: 1}}, $db: 'ycsb'}",              // a range
            "{find: 'c', filter: {_id: {a: 1}}, $db: 'ycsb'}",                // an embedded document
            "{find: 'c', filter: {_id: [1, 2]}, $db: 'ycsb'}",                // an array
            "{find: 'c', filter: {_id: 1, a: 2}, $db: 'ycsb'}",               // two fields
            "{find: 'c', filter: {a: 2}, $db: 'ycsb'}",                       // not _id
            "{find: 'c', $db: 'ycsb'}",                                       // a scan
            "{find: 'c', filter: {_id: 1}, batchSize: 0, $db: 'ycsb'}",       // leaves a cursor open
            "{find: 'c', filter: {_id: 1}, sort: {a: 1}, $db: 'ycsb'}",       // a field not on the list
            "{find: 'c', filter: {_id: 1}, readConcern: {afterClusterTime: {$timestamp: {t: 1, i: 1}}}, $db: 'ycsb'}",
            "{find: 'c', filter: {_id: 1}, txnNumber: 1, autocommit: false, $db: 'ycsb'}",
            "{find: 'c', filter: {_id: 1}, $db: 'ycsb~agent'}",               // a child branch reads history
            "{find: 'c', filter: {_id: 1}, $db: 'ycsb~main@5'}",              // time travel
            "{hello: 1, topologyVersion: {processId: {$oid: '0123456789abcdef01234567'}, counter: 0}, "
                + "maxAwaitTimeMS: 500, $db: 'admin'}",                           // awaitable
            "{getMore: {$numberLong: '5'}, collection: 'c', $db: 'ycsb'}",
            "{}",
        };
        for (String c : slow) {
            assertFalse(quick(c), c);
        }
        ClientContext onBranch = new ClientContext(2, "127.0.0.1:50001", "localhost", 27017);
        onBranch.defaultBranch("agent");
        assertFalse(engine.commands().quick(BsonDocument.parse("{find: 'c', filter: {_id: 1}, $db: 'ycsb'}"), onBranch),
                "a connection whose default branch is not main");
    }

    @Test
    void smallWritesByIdAndSmallInsertsOnMainAreQuick() {
        assertTrue(quick("{insert: 'c', documents: [{_id: 1}], ordered: true, writeConcern: {w: 1, j: true}, "
                + "lsid: {id: 1}, txnNumber: 3, $db: 'ycsb'}"));
        assertTrue(quick("{insert: 'c', documents: [" + "{a: 1},".repeat(15) + "{a: 1}], $db: 'ycsb'}"), "16 documents");
        assertTrue(quick("{update: 'c', updates: [{q: {_id: 'user1'}, u: {$set: {f: 'x'}}}], $db: 'ycsb'}"));
        assertTrue(quick("{update: 'c', updates: [{q: {_id: 1}, u: {a: 1}, upsert: true, multi: false}], $db: 'ycsb'}"));
        assertTrue(quick("{delete: 'c', deletes: [{q: {_id: 1}, limit: 1}], writeConcern: {w: 'majority'}, $db: 'ycsb'}"));
    }

    @Test
    void writesThatMayScanStreamOrWaitAreNot() {
        String[] slow = {
            "{insert: 'c', documents: [" + "{a: 1},".repeat(16) + "{a: 1}], $db: 'ycsb'}",        // 17 documents
            "{update: 'c', updates: [{q: {_id: 1}, u: {$set: {a: 1}}, multi: true}], $db: 'ycsb'}",  // updateMany
            "{update: 'c', updates: [{q: {a: 1}, u: {$set: {a: 2}}}], $db: 'ycsb'}",                 // a scan
            "{update: 'c', updates: [{q: {_id: {$gt: 1}}, u: {$set: {a: 2}}}], $db: 'ycsb'}",
            "{update: 'c', updates: [{q: {_id: 1}, u: [{$set: {a: 2}}]}], $db: 'ycsb'}",             // a pipeline
            "{update: 'c', updates: [{q: {_id: 1}, u: {$set: {'a.$[x]': 2}}, arrayFilters: [{x: 1}]}], $db: 'ycsb'}",
            "{update: 'c', updates: [{q: {_id: 1}, u: {$set: {a: 2}}, hint: {a: 1}}], $db: 'ycsb'}",
            "{update: 'c', updates: [{q: {_id: 1}, u: {$set: {a: 2}}}, {q: {_id: 2}, u: {$set: {a: 2}}}], $db: 'ycsb'}",
            "{delete: 'c', deletes: [{q: {a: 1}, limit: 0}], $db: 'ycsb'}",                         // deleteMany
            "{delete: 'c', deletes: [{q: {_id: 1}, limit: 1, collation: {locale: 'fr'}}], $db: 'ycsb'}",
            "{insert: 'c', documents: [{_id: 1}], txnNumber: 1, autocommit: false, startTransaction: true, $db: 'ycsb'}",
            "{insert: 'c', documents: [{_id: 1}], $db: 'ycsb~agent'}",                              // a child branch
            "{insert: 'c', documents: [{_id: 1}], writeConcern: {w: 1, fsync: true}, $db: 'ycsb'}",
            "{insert: 'c', documents: [{_id: 1}], let: {a: 1}, $db: 'ycsb'}",
            "{findAndModify: 'c', query: {_id: 1}, update: {$set: {a: 1}}, $db: 'ycsb'}",
        };
        for (String c : slow) {
            assertFalse(quick(c), c);
        }
        // Past 256 KiB of documents as the client sent them.
        org.bson.RawBsonDocument big = org.bson.RawBsonDocument.parse("{a: '" + "x".repeat(200 << 10) + "'}");
        BsonDocument insert = BsonDocument.parse("{insert: 'c', $db: 'ycsb'}");
        insert.put("documents", new org.bson.BsonArray(java.util.List.of(big)));
        assertTrue(engine.commands().quick(insert, client), "one 200 KiB document");
        insert.put("documents", new org.bson.BsonArray(java.util.List.of(big, big)));
        assertFalse(engine.commands().quick(insert, client), "two of them");
    }

    @Test
    void aQuickWriteWhoseBranchIsHeldGivesUpUncountedAndRunsLater() {
        ServerStats stats = engine.stats();
        BsonDocument insert = BsonDocument.parse("{insert: 'c', documents: [{_id: 1}], writeConcern: {j: true}, $db: 'ycsb'}");
        // Another thread's longer write holds main's lock (the lock is reentrant: the holder must not be this thread).
        java.util.concurrent.CountDownLatch taken = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread holder = new Thread(() -> {
            try (dev.argon.engine.store.Store.Write held = engine.store().beginWrite(dev.argon.wal.Branch.MAIN_ID)) {
                taken.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        holder.start();
        try {
            assertTrue(taken.await(60, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(null, engine.commands().runQuick(insert, client), "ran while the branch was held");
            assertEquals(0, stats.opInsert.get(), "a write that gave up is not counted");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        } finally {
            release.countDown();
        }
        try {
            holder.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        CommandReply r = engine.commands().runQuick(insert, client);
        assertEquals(1, r.document().getInt32("n").getValue(), r.document().toJson());
        assertEquals(1, stats.opInsert.get());
        assertTrue(r.deferred() && r.waitsForFsync(), "a journaled insert's reply waits for its commit and fsync");
        assertEquals(r.document(), deliver(insert, r));
        // Not journaled: written on this thread, nothing to wait for.
        BsonDocument plain = BsonDocument.parse("{insert: 'c', documents: [{_id: 2}], $db: 'ycsb'}");
        CommandReply p = engine.commands().runQuick(plain, client);
        assertFalse(p.deferred(), p.toString());
        assertEquals(1, p.document().getInt32("n").getValue());
    }

    /** What the wire layer would send for a deferred reply (at most 60 s later). */
    private BsonDocument deliver(BsonDocument command, CommandReply r) {
        java.util.concurrent.CompletableFuture<BsonDocument> sent = new java.util.concurrent.CompletableFuture<>();
        engine.commands().whenDurable(command, r, sent::complete);
        try {
            return sent.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the deferred reply was never sent", e);
        }
    }

    @Test
    void aJournaledQuickWritesReplyGoesOutOnlyOnceItsCommitIsReadableAndStampedAfterIt() {
        engine.commands().execute(BsonDocument.parse("{insert: 'c', documents: [{_id: 0}], $db: 'ycsb'}"), client);
        for (int i = 1; i <= 50; i++) {
            BsonDocument update = BsonDocument.parse("{update: 'c', updates: [{q: {_id: 0}, u: {$set: {n: " + i + "}}}], "
                    + "writeConcern: {w: 1, j: true}, lsid: {id: {$binary: {base64: 'AAAAAAAAAAAAAAAAAAAAAA==', subType: '04'}}}, txnNumber: " + i + ", $db: 'ycsb'}");
            CommandReply r = engine.commands().runQuick(update, client);
            assertTrue(r.deferred(), r.toString());
            java.util.concurrent.CompletableFuture<BsonDocument[]> atSend = new java.util.concurrent.CompletableFuture<>();
            engine.commands().whenDurable(update, r, doc -> {
                // What a client that got this reply reads next.
                try {
                    atSend.complete(new BsonDocument[] {doc, engine.commands().execute(
                            BsonDocument.parse("{find: 'c', filter: {_id: 0}, $db: 'ycsb'}"), client)});
                } catch (RuntimeException e) {
                    atSend.completeExceptionally(e);
                }
            });
            BsonDocument[] got;
            try {
                got = atSend.get(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("the deferred reply was never sent", e);
            }
            assertEquals(1, got[0].getInt32("nModified").getValue(), got[0].toJson());
            assertTrue(got[0].containsKey("operationTime"), got[0].toJson());
            assertEquals(i, got[1].getDocument("cursor").getArray("firstBatch").get(0).asDocument().getInt32("n").getValue(),
                    "the reply went out before its update was readable");
        }
        // The same retryable update sent again is answered from the record, not applied twice.
        BsonDocument again = BsonDocument.parse("{update: 'c', updates: [{q: {_id: 0}, u: {$inc: {n: 1}}}], "
                + "writeConcern: {j: true}, lsid: {id: {$binary: {base64: 'AAAAAAAAAAAAAAAAAAAAAA==', subType: '04'}}}, txnNumber: 51, $db: 'ycsb'}");
        deliver(again, engine.commands().runQuick(again, client));
        BsonDocument retried = deliver(again, engine.commands().runQuick(again, client));
        assertEquals(1, retried.getInt32("nModified").getValue(), retried.toJson());
        BsonDocument found = engine.commands().execute(BsonDocument.parse("{find: 'c', filter: {_id: 0}, $db: 'ycsb'}"), client);
        assertEquals(51, found.getDocument("cursor").getArray("firstBatch").get(0).asDocument().getInt32("n").getValue());
    }

    @Test
    void aJournaledQuickWriteWhoseCommitFailsAnswersTheStorageErrorAndFreesItsSession() {
        engine.commands().execute(BsonDocument.parse("{insert: 'c', documents: [{_id: 0}], $db: 'ycsb'}"), client);
        String lsid = "lsid: {id: {$binary: {base64: 'AQEBAQEBAQEBAQEBAQEBAQ==', subType: '04'}}}";
        engine.store().walForTests().faults(new dev.argon.wal.WalFaults() {
            @Override
            public void beforeWrite() throws IOException {
                throw new IOException("Input/output error");
            }
        });
        BsonDocument insert = BsonDocument.parse("{insert: 'c', documents: [{_id: 1}], writeConcern: {j: true}, " + lsid
                + ", txnNumber: 1, $db: 'ycsb'}");
        CommandReply r;
        BsonDocument error;
        try {
            r = engine.commands().runQuick(insert, client);
            error = deliver(insert, r);
        } finally {
            engine.store().walForTests().faults(null);
        }
        assertEquals(0.0, error.getNumber("ok").doubleValue(), error.toJson());
        assertTrue(error.containsKey("code") && error.containsKey("$clusterTime"), error.toJson());
        // The session was checked in: its next command runs (the store refuses writes after a failed write).
        BsonDocument next = engine.commands().execute(BsonDocument.parse("{find: 'c', filter: {}, " + lsid + ", $db: 'ycsb'}"), client);
        assertEquals(1.0, next.getNumber("ok").doubleValue(), next.toJson());
        assertEquals(1, next.getDocument("cursor").getArray("firstBatch").size(), "the failed insert is visible: " + next.toJson());
    }

    @Test
    void aFailedFsyncTurnsADeferredReplyIntoTheStorageError() {
        BsonDocument insert = BsonDocument.parse("{insert: 'c', documents: [{_id: 1}], writeConcern: {j: true}, $db: 'ycsb'}");
        // The collection first: creating it is a catalog change, which waits for its own fsync inside the command.
        engine.commands().execute(BsonDocument.parse("{insert: 'c', documents: [{_id: 0}], $db: 'ycsb'}"), client);
        engine.commands().execute(BsonDocument.parse("{ping: 1, $db: 'admin'}"), client);
        engine.store().versions().awaitDurable(engine.store().versions().lastLsn());
        engine.store().walForTests().faults(new dev.argon.wal.WalFaults() {
            @Override
            public void beforeSync() throws IOException {
                throw new IOException("Input/output error");
            }
        });
        try {
            CommandReply r = engine.commands().runDeferringDurability(insert, client);
            assertTrue(r.durableLsn() > 0, r.toString());
            java.util.concurrent.CompletableFuture<BsonDocument> sent = new java.util.concurrent.CompletableFuture<>();
            engine.commands().whenDurable(insert, r, sent::complete);
            BsonDocument error = sent.join();
            assertEquals(0.0, error.getNumber("ok").doubleValue(), error.toJson());
            assertEquals(1, error.getInt32("code").getValue(), error.toJson());
            assertTrue(error.getString("errmsg").getValue().contains("fsync failed"), error.toJson());
            assertTrue(error.containsKey("$clusterTime") || error.containsKey("operationTime"), "stamped as every reply: " + error.toJson());
        } finally {
            engine.store().walForTests().faults(null);
        }
    }

    @Test
    void aQuickRetryableWriteWhoseSessionIsHeldGivesUpUncounted() throws Exception {
        engine.commands().execute(BsonDocument.parse("{insert: 'c', documents: [{_id: 0}], $db: 'ycsb'}"), client);
        BsonDocument insert = BsonDocument.parse("{insert: 'c', documents: [{_id: 1}], writeConcern: {j: true}, "
                + "lsid: {id: {$binary: {base64: 'AgICAgICAgICAgICAgICAg==', subType: '04'}}}, txnNumber: 3, $db: 'ycsb'}");
        long inserts = engine.stats().opInsert.get();
        // Another command of the same session holds it (checked out on another thread, as a pool thread would).
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread other = new Thread(() -> {
            try (dev.argon.engine.session.RetryableWrite rw = engine.sessions().checkOut(
                    dev.argon.engine.session.TxnId.of(insert, "insert"), insert, client, engine.failPoints())) {
                held.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        other.start();
        assertTrue(held.await(60, java.util.concurrent.TimeUnit.SECONDS));
        try {
            assertEquals(null, engine.commands().runQuick(insert, client), "the event loop waited for a held session");
            assertEquals(inserts, engine.stats().opInsert.get(), "a write that gave up is not counted");
        } finally {
            release.countDown();
            other.join(60_000);
        }
        assertEquals(1, deliver(insert, engine.commands().runQuick(insert, client)).getInt32("n").getValue());
    }

    @Test
    void nothingIsQuickWhileFailCommandIsArmed() {
        BsonDocument on = engine.commands().execute(BsonDocument.parse("{configureFailPoint: 'failCommand', mode: "
                + "'alwaysOn', data: {failCommands: ['find'], blockConnection: true, blockTimeMS: 100}, $db: 'admin'}"), client);
        assertEquals(1.0, on.getNumber("ok").doubleValue(), on.toJson());
        assertFalse(quick("{find: 'c', filter: {_id: 1}, $db: 'ycsb'}"));
        assertFalse(quick("{ping: 1, $db: 'admin'}"));
        engine.commands().execute(BsonDocument.parse("{configureFailPoint: 'failCommand', mode: 'off', $db: 'admin'}"), client);
        assertTrue(quick("{find: 'c', filter: {_id: 1}, $db: 'ycsb'}"));
    }
}
