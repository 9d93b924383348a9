package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import dev.argon.engine.gc.GcSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Change streams against history GC (a 2 s retention, as SnapshotReadsIT uses): a resume point below the history
 * horizon answers 286 ChangeStreamHistoryLost with the NonResumableChangeStreamError label, and many watchers
 * waiting in getMore at once leave ordinary commands to run.
 */
class ChangeStreamHistoryIT extends ArgonTestBase {
    @Override
    protected GcSettings gcSettings() {
        return new GcSettings(2000, 1000, 0, 5000);
    }

    private static ChangeStreamDocument<Document> next(MongoChangeStreamCursor<ChangeStreamDocument<Document>> c) {
        for (int i = 0; i < 50; i++) {
            ChangeStreamDocument<Document> e = c.tryNext();
            if (e != null) {
                return e;
            }
        }
        throw new AssertionError("no event");
    }

    @Test
    void aResumePointBelowTheHorizonIsHistoryLost() throws Exception {
        MongoCollection<Document> c = db("lost").getCollection("c");
        BsonDocument token;
        try (var s = c.watch().maxAwaitTime(200, TimeUnit.MILLISECONDS).cursor()) {
            c.insertOne(doc("{_id: 1, v: 0}"));
            c.updateOne(doc("{_id: 1}"), doc("{$set: {v: 1}}"));
            token = next(s).getResumeToken();
        }
        db("admin").runCommand(doc("{gc: 1}"));
        // Within the retention GC keeps the history: resuming works.
        try (var s = c.watch().resumeAfter(token).maxAwaitTime(200, TimeUnit.MILLISECONDS).cursor()) {
            assertEquals(1, next(s).getUpdateDescription().getUpdatedFields().getInt32("v").getValue());
        }
        // A stream left open with an event it has not read yet, which GC will take.
        var behind = c.watch().maxAwaitTime(200, TimeUnit.MILLISECONDS).cursor();
        c.updateOne(doc("{_id: 1}"), doc("{$set: {v: 2}}"));

        Thread.sleep(2500);
        // The versions the retention no longer keeps go: the images of the events the token and the stream point into.
        c.updateOne(doc("{_id: 1}"), doc("{$set: {v: 3}}"));
        Document gc = db("admin").runCommand(doc("{gc: 1}"));
        assertTrue(((Number) gc.get("versions")).longValue() > 0, gc.toJson());

        MongoCommandException lost = assertThrows(MongoCommandException.class,
                () -> c.watch().resumeAfter(token).cursor().close());
        assertEquals(286, lost.getErrorCode());
        assertEquals("ChangeStreamHistoryLost", lost.getErrorCodeName());
        assertTrue(lost.hasErrorLabel("NonResumableChangeStreamError"), lost.getMessage());
        assertTrue(lost.getErrorMessage().contains("history horizon"), lost.getErrorMessage());

        MongoCommandException open = assertThrows(MongoCommandException.class, behind::tryNext);
        assertEquals(286, open.getErrorCode(), "the driver does not resume a NonResumableChangeStreamError");
        behind.close();

        // A new stream from now works.
        try (var s = c.watch().maxAwaitTime(200, TimeUnit.MILLISECONDS).cursor()) {
            c.insertOne(doc("{_id: 4}"));
            assertEquals(4, next(s).getDocumentKey().getInt32("_id").getValue());
        }
    }

    @Test
    void manyWaitingWatchersDoNotStarveOrdinaryCommands() throws Exception {
        int watchers = 32;
        MongoCollection<Document> watched = db("many").getCollection("quiet");
        watched.insertOne(doc("{_id: 0}"));
        List<MongoChangeStreamCursor<ChangeStreamDocument<Document>>> cursors = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(watchers);
        try (var clients = com.mongodb.client.MongoClients.create(uri() + "?maxPoolSize=" + (watchers + 4))) {
            MongoCollection<Document> q = clients.getDatabase("many").getCollection("quiet");
            for (int i = 0; i < watchers; i++) {
                cursors.add(q.watch().maxAwaitTime(20, TimeUnit.SECONDS).cursor());
            }
            List<Future<ChangeStreamDocument<Document>>> waits = new ArrayList<>();
            for (var cur : cursors) {
                waits.add(pool.submit(cur::tryNext));
            }
            // Every watcher's getMore is in the server, waiting for a commit on 'quiet'.
            long pinned = 0;
            for (int i = 0; i < 200 && pinned < watchers; i++) {
                Thread.sleep(50);
                pinned = pinnedCursors();
            }
            assertEquals(watchers, pinned, "all watchers waiting in getMore");

            // Meanwhile ordinary commands on another collection are answered...
            MongoCollection<Document> busy = db("many").getCollection("busy");
            for (int i = 0; i < 20; i++) {
                busy.insertOne(doc("{_id: " + i + "}"));
            }
            assertEquals(20, busy.countDocuments());
            assertEquals(1.0, db("admin").runCommand(doc("{ping: 1}")).get("ok", Number.class).doubleValue());
            // ...while the watchers still wait (none has been answered: nothing happened on 'quiet').
            assertEquals(watchers, pinnedCursors(), "the watchers were still waiting when the commands were answered");
            for (Future<ChangeStreamDocument<Document>> w : waits) {
                assertTrue(!w.isDone(), "a watcher's getMore returned before anything was written to its collection");
            }

            // One write to the watched collection wakes every watcher with its event.
            watched.insertOne(doc("{_id: 1}"));
            for (Future<ChangeStreamDocument<Document>> w : waits) {
                ChangeStreamDocument<Document> e = w.get(30, TimeUnit.SECONDS);
                assertEquals(1, e.getDocumentKey().getInt32("_id").getValue());
            }
            for (var cur : cursors) {
                cur.close();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private long pinnedCursors() {
        Document status = db("admin").runCommand(doc("{serverStatus: 1}"));
        Document open = status.get("metrics", Document.class).get("cursor", Document.class).get("open", Document.class);
        return open.get("pinned", Number.class).longValue();
    }
}
