package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.argon.engine.store.Store;
import dev.argon.wal.Branch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Small writes run on the event loop and journaled replies wait for their fsync without a command thread, as a
 * driver sees it: every acknowledged write is there, each counted once in {@code opcounters}, and a write whose
 * branch a longer write holds waits for it (on the pool) instead of holding the event loop.
 */
class QuickWritesIT extends ArgonTestBase {

    private Document status() {
        return db("admin").runCommand(new Document("serverStatus", 1));
    }

    private static long threads(Document status, String field) {
        return status.get("argon", Document.class).get("commandThreads", Document.class).get(field, Number.class).longValue();
    }

    private static long ops(Document status, String field) {
        return status.get("opcounters", Document.class).get(field, Number.class).longValue();
    }

    @Test
    void journaledInsertsAndUpdatesFromManyClientsAreAllThereAndCountedOnce() throws Exception {
        MongoCollection<Document> c = db("quick").getCollection("j").withWriteConcern(WriteConcern.ACKNOWLEDGED.withJournal(true));
        c.insertOne(new Document("_id", -1));
        Document before = status();
        int clients = 8;
        int each = 100;
        List<Throwable> errors = new ArrayList<>();
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            int base = t * 1000;
            Thread th = new Thread(() -> {
                try {
                    for (int i = 0; i < each; i++) {
                        c.insertOne(new Document("_id", base + i).append("v", 0));
                        assertEquals(1, c.updateOne(Filters.eq("_id", base + i), Updates.inc("v", 1)).getModifiedCount());
                    }
                    assertEquals(1, c.deleteOne(Filters.eq("_id", base)).getDeletedCount());
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            });
            th.start();
            all.add(th);
        }
        for (Thread th : all) {
            th.join(TimeUnit.MINUTES.toMillis(5));
        }
        assertEquals(List.of(), errors);
        Document after = status();
        // Every acknowledged write is there.
        assertEquals(clients * (each - 1) + 1, c.countDocuments());
        assertEquals(clients * (each - 1), c.countDocuments(Filters.eq("v", 1)));
        // Counted once each, whether it ran on the event loop or fell back to the pool.
        assertEquals(clients * each, ops(after, "insert") - ops(before, "insert"));
        assertEquals(clients * each, ops(after, "update") - ops(before, "update"));
        assertEquals(clients, ops(after, "delete") - ops(before, "delete"));
        long quick = threads(after, "quick") - threads(before, "quick");
        long fallbacks = threads(after, "quickFallbacks") - threads(before, "quickFallbacks");
        // A request that arrives while its connection's pool thread is still letting go of the previous one runs on
        // the pool without being tried quick: so at most every write, and not necessarily all, is one of the two.
        assertTrue(quick + fallbacks <= clients * (2L * each + 1) + 2, "quick " + quick + ", fallbacks " + fallbacks);
        assertTrue(quick > 0, "no write ran on the event loop");
        // Journaled: each reply waited for its fsync, none with a parked thread.
        assertTrue(threads(after, "deferredDurableReplies") - threads(before, "deferredDurableReplies") >= clients * (2L * each + 1));
    }

    @Test
    void aWriteWhoseBranchIsHeldByALongerWriteWaitsOnThePoolAndLandsOnce() throws Exception {
        MongoCollection<Document> c = db("quick").getCollection("held");
        c.insertOne(new Document("_id", 0));
        Document before = status();
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> error = new AtomicReference<>();
        // A long write on main, in-process: it holds the branch's write lock until closed.
        Store.Write held = server.engine().store().beginWrite(Branch.MAIN_ID);
        Thread writer = new Thread(() -> {
            try {
                c.withWriteConcern(WriteConcern.ACKNOWLEDGED.withJournal(true)).insertOne(new Document("_id", 1));
            } catch (Throwable e) {
                error.set(e);
            } finally {
                done.countDown();
            }
        });
        try {
            writer.start();
            assertFalse(done.await(500, TimeUnit.MILLISECONDS), "the insert did not wait for the branch's lock");
            // The event loop is free meanwhile: a read on another connection of the same client answers.
            assertEquals(1, c.countDocuments(Filters.eq("_id", 0)));
        } finally {
            held.close();
        }
        assertTrue(done.await(60, TimeUnit.SECONDS), "the insert never finished");
        assertEquals(null, error.get());
        assertEquals(1, c.countDocuments(Filters.eq("_id", 1)));
        Document after = status();
        assertEquals(1, ops(after, "insert") - ops(before, "insert"), "a fallen-back insert is counted once");
        assertTrue(threads(after, "quickFallbacks") - threads(before, "quickFallbacks") >= 1);
    }
}
