package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoCommandException;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cursors belong to their session; session kills, the open-cursor cap and cursor parameters, through the Java driver. */
class CursorSessionIT extends ArgonTestBase {

    @BeforeAll
    void data() {
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            docs.add(new Document("_id", i));
        }
        db("cs").getCollection("c").insertMany(docs);
    }

    private long find(ClientSession s) {
        return db("cs").runCommand(s, doc("{find: 'c', batchSize: 2}")).get("cursor", Document.class).getLong("id");
    }

    private Document getMore(ClientSession s, long id) {
        return db("cs").runCommand(s, new Document("getMore", id).append("collection", "c").append("batchSize", 1));
    }

    private static Document lsid(ClientSession s) {
        BsonBinary id = s.getServerSession().getIdentifier().getBinary("id");
        return new Document("id", id);
    }

    private int code(Runnable r) {
        return assertThrows(MongoCommandException.class, r::run).getErrorCode();
    }

    @Test
    void aCursorBelongsToTheSessionThatOpenedIt() {
        try (ClientSession a = client.startSession(); ClientSession b = client.startSession()) {
            long id = find(a);
            MongoCommandException e = assertThrows(MongoCommandException.class, () -> getMore(b, id));
            assertEquals(50738, e.getErrorCode());
            assertTrue(e.getErrorMessage().contains("which was created in session"), e.getErrorMessage());
            assertEquals(1, getMore(a, id).get("cursor", Document.class).getList("nextBatch", Document.class).size());
        }
    }

    @Test
    void killSessionsKillsTheSessionsCursorsAtOnce() {
        try (ClientSession a = client.startSession(); ClientSession b = client.startSession()) {
            long inA = find(a);
            long inB = find(b);
            db("admin").runCommand(new Document("killSessions", List.of(lsid(a))));
            assertEquals(43, code(() -> getMore(a, inA)));
            getMore(b, inB);
        }
    }

    @Test
    void killAllSessionsKillsEverySessionsCursors() {
        try (ClientSession a = client.startSession(); ClientSession b = client.startSession()) {
            long inA = find(a);
            long inB = find(b);
            db("admin").runCommand(new Document("killAllSessions", List.of()));
            assertEquals(43, code(() -> getMore(a, inA)));
            assertEquals(43, code(() -> getMore(b, inB)));
        }
    }

    @Test
    void endSessionsHasTheSessionsCursorsCleanedUp() throws Exception {
        try (ClientSession a = client.startSession()) {
            long id = find(a);
            db("admin").runCommand(new Document("endSessions", List.of(lsid(a))));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    getMore(a, id);
                } catch (MongoCommandException e) {
                    assertEquals(43, e.getErrorCode());
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "the ended session's cursor was never cleaned up");
                Thread.sleep(100);
            }
        }
    }

    @Test
    void startSessionAnswersANewSessionId() {
        Document r = db("admin").runCommand(doc("{startSession: 1}"));
        assertEquals(30, r.getInteger("timeoutMinutes"));
        BsonDocument id = r.toBsonDocument().getDocument("id");
        assertEquals(16, id.getBinary("id").getData().length);
        db("admin").runCommand(new Document("refreshSessions", List.of(new Document("id", id.getBinary("id")))));
        assertEquals(14, code(() -> db("admin").runCommand(doc("{endSessions: 'x'}"))));
    }

    @Test
    void theOpenCursorCapAnswersAClearErrorAndParametersRoundTrip() {
        MongoDatabase admin = db("admin");
        long open = admin.runCommand(doc("{serverStatus: 1}")).get("metrics", Document.class).get("cursor", Document.class)
                .get("open", Document.class).get("total", Number.class).longValue();
        Document was = admin.runCommand(new Document("setParameter", 1).append("maxOpenCursors", (int) open + 2));
        assertEquals(100_000, was.get("was", Number.class).intValue());
        try (ClientSession s = client.startSession()) {
            long first = find(s);
            find(s);
            MongoCommandException e = assertThrows(MongoCommandException.class, () -> find(s));
            assertEquals(96, e.getErrorCode());
            assertTrue(e.getErrorMessage().contains("too many open cursors"), e.getErrorMessage());
            assertEquals(open + 2, admin.runCommand(doc("{serverStatus: 1}")).get("metrics", Document.class)
                    .get("cursor", Document.class).get("open", Document.class).get("total", Number.class).longValue());
            db("cs").runCommand(s, new Document("killCursors", "c").append("cursors", List.of(first)));
            find(s);
        } finally {
            admin.runCommand(new Document("setParameter", 1).append("maxOpenCursors", 100_000));
        }
        admin.runCommand(new Document("setParameter", 1).append("cursorTimeoutMillis", 60_000));
        try {
            Document p = admin.runCommand(new Document("getParameter", 1).append("cursorTimeoutMillis", 1).append("maxOpenCursors", 1));
            assertEquals(60_000L, p.get("cursorTimeoutMillis", Number.class).longValue());
            assertEquals(100_000, p.get("maxOpenCursors", Number.class).intValue());
        } finally {
            admin.runCommand(new Document("setParameter", 1).append("cursorTimeoutMillis", 600_000));
        }
        assertEquals(72, code(() -> admin.runCommand(new Document("setParameter", 1).append("noSuchParameter", 1))));
        assertEquals(2, code(() -> admin.runCommand(new Document("setParameter", 1).append("cursorTimeoutMillis", -5))));
    }
}
