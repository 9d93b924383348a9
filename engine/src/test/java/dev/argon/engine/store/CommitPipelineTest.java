package dev.argon.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.engine.ArgonException;
import dev.argon.engine.Engine;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.ServerStats;
import dev.argon.engine.command.ClientContext;
import dev.argon.wal.Branch;
import dev.argon.wal.CommitResult;
import dev.argon.wal.FsckReport;
import dev.argon.wal.WalFaults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pipelined commits of one branch: a writer releases the branch lock once its commit is queued, and the next
 * writer reads the head plus the queued commit (its documents, its unique keys), builds on it, is written after
 * it, and fails when it fails. Runs a real store; a held RocksDB write keeps a commit queued.
 */
class CommitPipelineTest {
    private Path dir;
    private Store store;
    private CollectionInfo items;
    private HeldWrite hook;

    /** The first RocksDB write after install blocks until released; then fails when {@code fail} is set. */
    private static final class HeldWrite implements WalFaults {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger writes = new AtomicInteger();
        final boolean fail;

        HeldWrite(boolean fail) {
            this.fail = fail;
        }

        @Override
        public void beforeWrite() throws IOException {
            if (writes.incrementAndGet() == 1) {
                entered.countDown();
                await(release);
                if (fail) {
                    throw new IOException("Input/output error");
                }
            }
        }
    }

    private static void await(CountDownLatch l) {
        try {
            assertTrue(l.await(60, TimeUnit.SECONDS), "the test's schedule did not happen within 60 s");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void open() throws Exception {
        dir = Files.createTempDirectory("engine-pipeline-");
        store = new Store(dir);
        try (Store.Write w = store.beginWrite(Branch.MAIN_ID)) {
            WriteSession s = w.session();
            CollectionInfo c = s.createCollection("shop", "items", null);
            s.addIndex(c, BsonDocument.parse("{key: {u: 1}, name: 'u_1', unique: true}"));
            s.commit("t", null, false);
        }
        items = store.head(Branch.MAIN_ID).collection("shop", "items");
    }

    @AfterEach
    void close() {
        // A failed assertion must not leave a writer blocked in a held write.
        if (hook != null) {
            hook.release.countDown();
        }
        store.close();
    }

    private static BsonDocument doc(int id, int u) {
        return new BsonDocument("_id", new BsonInt32(id)).append("u", new BsonInt32(u));
    }

    /** Starts a thread that inserts docs in one write and commits it releasing the lock; returns its outcome. */
    private Thread insertAsync(AtomicReference<Object> outcome, CountDownLatch queued, BsonDocument... docs) {
        Thread t = new Thread(() -> {
            try (Store.Write w = store.beginWrite(Branch.MAIN_ID, true)) {
                for (BsonDocument d : docs) {
                    w.session().insert(items, d);
                }
                queued.countDown();
                outcome.set(w.session().commitReleasing("t", null, false, List.of()));
            } catch (RuntimeException e) {
                outcome.set(e);
            }
        });
        t.start();
        return t;
    }

    @Test
    void theNextWriterReadsAQueuedCommitAndIsWrittenAfterIt() throws Exception {
        hook = new HeldWrite(false);
        store.walForTests().faults(hook);
        AtomicReference<Object> first = new AtomicReference<>();
        Thread a = insertAsync(first, new CountDownLatch(1), doc(1, 10));
        await(hook.entered);
        // The first commit is queued (its write held) and the branch lock is free: a second writer gets in.
        AtomicReference<Object> second = new AtomicReference<>();
        CountDownLatch secondQueued = new CountDownLatch(1);
        Thread b;
        try (Store.Write w = store.beginWrite(Branch.MAIN_ID, true)) {
            WriteSession s = w.session();
            assertEquals(doc(1, 10), s.document(items, new BsonInt32(1)), "the queued insert is read");
            assertEquals(MongoErrorCode.DUPLICATE_KEY, assertThrows(ArgonException.class, () -> s.insert(items, doc(1, 11))).error());
            ArgonException dup = assertThrows(ArgonException.class, () -> s.insert(items, doc(2, 10)));
            assertTrue(dup.getMessage().contains("index: u_1"), dup.getMessage());
            // Nobody else sees the unwritten commit.
            assertNull(store.head(Branch.MAIN_ID).document(items, new BsonInt32(1)));
        }
        b = insertAsync(second, secondQueued, doc(2, 20));
        await(secondQueued);
        assertNull(store.head(Branch.MAIN_ID).document(items, new BsonInt32(2)));
        hook.release.countDown();
        a.join();
        b.join();
        CommitResult r1 = (CommitResult) first.get();
        CommitResult r2 = assertInstanceOfResult(second.get());
        assertTrue(r1.endLsn() < r2.startLsn(), r1 + " then " + r2);
        assertEquals(r2.endLsn(), store.branch("main").headLsn());
        DataView head = store.head(Branch.MAIN_ID);
        assertEquals(doc(1, 10), head.document(items, new BsonInt32(1)));
        assertEquals(doc(2, 20), head.document(items, new BsonInt32(2)));
    }

    /** Inserts one document on a branch through a pipelined write, as a CRUD command does. */
    private void insertOn(int branchId, BsonDocument doc) {
        try (Store.Write w = store.beginWrite(branchId, true)) {
            w.session().insert(w.session().collection("shop", "items"), doc);
            w.session().commitReleasing("t", null, false, List.of());
        }
    }

    @Test
    void aDroppedOrResetBranchIdKeepsNoLockOrPipeline() {
        long at = store.branch("main").headLsn();
        int dropped = store.versions().createBranch("gone", Branch.MAIN_ID, at, "t").id();
        int reset = store.versions().createBranch("again", Branch.MAIN_ID, at, "t").id();
        insertOn(dropped, doc(1, 10));
        insertOn(reset, doc(2, 20));
        assertTrue(store.tracksForTests(dropped) && store.tracksForTests(reset), "written branches have a lock and a pipeline");

        store.underWriteLock(dropped, () -> {
            store.versions().dropBranch(dropped);
            return null;
        });
        assertTrue(!store.tracksForTests(dropped), "the dropped id's lock and pipeline are forgotten");
        try (Store.Write w = store.beginWrite(reset)) {
            store.versions().resetBranch(reset, Branch.MAIN_ID, at, null, "t");
        }
        assertTrue(!store.tracksForTests(reset), "the id a reset retired is forgotten");

        // A late writer on a retired id is refused and leaves nothing behind; the reset name writes on its new id.
        assertEquals(MongoErrorCode.WRITE_CONFLICT, assertThrows(ArgonException.class, () -> insertOn(dropped, doc(3, 30))).error());
        assertTrue(!store.tracksForTests(dropped));
        int fresh = store.branch("again").id();
        insertOn(fresh, doc(4, 40));
        assertEquals(doc(4, 40), store.head(fresh).document(items, new BsonInt32(4)));
        assertNull(store.head(fresh).document(items, new BsonInt32(2)), "the reset dropped what the old id wrote");
    }

    private static CommitResult assertInstanceOfResult(Object o) {
        assertTrue(o instanceof CommitResult, String.valueOf(o));
        return (CommitResult) o;
    }

    @Test
    void aWriteBuiltOnAQueuedCommitThatFailsFailsAndWritesNothing() throws Exception {
        hook = new HeldWrite(true);
        store.walForTests().faults(hook);
        AtomicReference<Object> first = new AtomicReference<>();
        Thread a = insertAsync(first, new CountDownLatch(1), doc(1, 10));
        await(hook.entered);
        AtomicReference<Object> second = new AtomicReference<>();
        CountDownLatch secondQueued = new CountDownLatch(1);
        // Reads the queued document, and updates it.
        Thread b = new Thread(() -> {
            try (Store.Write w = store.beginWrite(Branch.MAIN_ID, true)) {
                BsonDocument old = w.session().document(items, new BsonInt32(1));
                w.session().update(items, old, doc(1, 11));
                secondQueued.countDown();
                second.set(w.session().commitReleasing("t", null, false, List.of()));
            } catch (RuntimeException e) {
                second.set(e);
            }
        });
        b.start();
        await(secondQueued);
        long headBefore = store.branch("main").headLsn();
        hook.release.countDown();
        a.join();
        b.join();
        assertTrue(first.get() instanceof RuntimeException, String.valueOf(first.get()));
        assertTrue(second.get() instanceof RuntimeException, String.valueOf(second.get()));
        assertEquals(headBefore, store.branch("main").headLsn());
        assertNull(store.head(Branch.MAIN_ID).document(items, new BsonInt32(1)));
    }

    @Test
    void aStreamedWriteAfterAQueuedCommitWaitsForItAndSeesIt() throws Exception {
        hook = new HeldWrite(false);
        store.walForTests().faults(hook);
        AtomicReference<Object> first = new AtomicReference<>();
        Thread a = insertAsync(first, new CountDownLatch(1), doc(1, 10));
        await(hook.entered);
        CountDownLatch releaser = new CountDownLatch(1);
        Thread r = new Thread(() -> {
            await(releaser);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            hook.release.countDown();
        });
        r.start();
        try (Store.Write w = store.beginWrite(Branch.MAIN_ID, true)) {
            WriteSession s = w.session();
            releaser.countDown();
            // frozen() stages the pending change as a chunk; the chunk's view is the published head, so the queued
            // commit must be written first (and then is part of that view).
            s.insert(items, doc(2, 20));
            DataView frozen = s.frozen();
            assertEquals(doc(1, 10), frozen.document(items, new BsonInt32(1)));
            assertEquals(doc(2, 20), frozen.document(items, new BsonInt32(2)));
            s.commitReleasing("t", null, false, List.of());
        }
        a.join();
        r.join();
        assertTrue(first.get() instanceof CommitResult, String.valueOf(first.get()));
        DataView head = store.head(Branch.MAIN_ID);
        assertEquals(doc(1, 10), head.document(items, new BsonInt32(1)));
        assertEquals(doc(2, 20), head.document(items, new BsonInt32(2)));
    }

    @Test
    void concurrentCommandsOnOneBranchKeepUniqueKeysAndEveryAcknowledgedWrite() throws Exception {
        store.close();
        Path engineDir = Files.createTempDirectory("engine-pipeline-cmds-");
        int threads = 8;
        int perThread = 150;
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        Set<Integer> refusedDup = ConcurrentHashMap.newKeySet();
        List<Throwable> errors = new ArrayList<>();
        try (Engine e = new Engine(engineDir, new ServerStats())) {
            run(e, "{createIndexes: 'items', $db: 'shop', indexes: [{key: {u: 1}, name: 'u_1', unique: true}]}");
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                Thread th = new Thread(() -> {
                    try {
                        for (int i = 0; i < perThread; i++) {
                            int id = base + i;
                            // Every u value is wanted by two threads: exactly one insert of each may win.
                            int u = id % (threads * perThread / 2);
                            BsonDocument reply = e.commands().execute(BsonDocument.parse("{insert: 'items', $db: 'shop', documents: [{_id: "
                                    + id + ", u: " + u + "}]}"), new ClientContext(1, "test", "127.0.0.1", 0));
                            if (reply.containsKey("writeErrors")) {
                                assertEquals(11000, reply.getArray("writeErrors").get(0).asDocument().getInt32("code").getValue(), reply.toJson());
                                refusedDup.add(id);
                            } else {
                                assertEquals(1, reply.getInt32("n").getValue(), reply.toJson());
                                acknowledged.add(id);
                                // Read-your-writes: the acknowledged insert is in the head.
                                BsonDocument found = e.commands().execute(BsonDocument.parse("{find: 'items', $db: 'shop', filter: {_id: "
                                        + id + "}}"), new ClientContext(1, "test", "127.0.0.1", 0));
                                assertEquals(1, found.getDocument("cursor").getArray("firstBatch").size(), found.toJson());
                            }
                        }
                    } catch (Throwable x) {
                        synchronized (errors) {
                            errors.add(x);
                        }
                    }
                });
                th.start();
                ts.add(th);
            }
            for (Thread th : ts) {
                th.join();
            }
            assertEquals(List.of(), errors);
            assertEquals(threads * perThread / 2, acknowledged.size(), "one insert per u value");
            assertEquals(threads * perThread / 2, refusedDup.size());
            Set<Integer> stored = new HashSet<>();
            Set<Integer> us = new HashSet<>();
            CollectionInfo c = e.store().head(Branch.MAIN_ID).collection("shop", "items");
            try (DataView.DocumentScan s = e.store().head(Branch.MAIN_ID).documents(c)) {
                while (s.hasNext()) {
                    BsonDocument d = s.next();
                    stored.add(d.getInt32("_id").getValue());
                    assertTrue(us.add(d.getInt32("u").getValue()), "u " + d.get("u") + " stored twice");
                }
            }
            assertEquals(acknowledged, stored);
        }
        // The log, commit records, heads and indexes agree.
        FsckReport report = StoreChecker.check(engineDir);
        assertTrue(report.problems().isEmpty(), report.problems().toString());
        store = new Store(dir);
    }

    private static void run(Engine e, String json) {
        BsonDocument reply = e.commands().execute(BsonDocument.parse(json), new ClientContext(1, "test", "127.0.0.1", 0));
        assertEquals(1.0, reply.getNumber("ok").doubleValue(), json + " -> " + reply.toJson());
        assertNotNull(reply);
    }
}
