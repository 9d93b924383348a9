package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Sorts;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TTL indexes: the background pass deletes expired documents (the earliest date of an array; non-dates never)
 * on every branch that has the index, protected ones included, as commits with actor {@code ttl}; collMod
 * changes the expiry; serverStatus counts passes and deletions. The pass runs every second here
 * ({@code setParameter ttlMonitorSleepSecs: 1}); the tests wait for its effect, never for a time.
 */
class TtlIT extends ArgonTestBase {
    private static final long HOUR = TimeUnit.HOURS.toMillis(1);

    @BeforeAll
    void fastPasses() {
        Document was = admin("{setParameter: 1, ttlMonitorSleepSecs: 1}");
        assertEquals(60, was.getInteger("was"));
    }

    private Document admin(String json) {
        return db("admin").runCommand(doc(json));
    }

    private Document ttlMetrics() {
        return admin("{serverStatus: 1}").get("metrics", Document.class).get("ttl", Document.class);
    }

    private long passes() {
        return ttlMetrics().get("passes", Number.class).longValue();
    }

    /** Waits (up to a minute) until the condition holds. */
    private static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within a minute: " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Waits until two more passes have run, so that one ran entirely after this call. */
    private void awaitFullPass() throws InterruptedException {
        long p = passes();
        await(() -> passes() >= p + 2, "two TTL passes");
    }

    private static List<Object> ids(MongoCollection<Document> c) {
        return c.find().sort(Sorts.ascending("_id")).map(d -> d.get("_id")).into(new ArrayList<>());
    }

    @Test
    void expiredDocumentsGoAsCommitsOfTheTtlActor() throws Exception {
        MongoCollection<Document> c = db("ttl1").getCollection("sessions");
        long now = System.currentTimeMillis();
        c.insertMany(List.of(
                new Document("_id", 1).append("at", new Date(now - 2 * HOUR)),
                new Document("_id", 2).append("at", new Date(now + HOUR)),
                new Document("_id", 3).append("at", List.of(new Date(now + HOUR), new Date(now - 3 * HOUR))),
                new Document("_id", 4).append("at", List.of(new Date(now + HOUR), new Date(now + 2 * HOUR))),
                new Document("_id", 5).append("at", "2020-01-01T00:00:00Z"),
                new Document("_id", 6).append("at", now - 2 * HOUR),
                new Document("_id", 7),
                new Document("_id", 8).append("at", List.of("old", 5))));
        long deletedBefore = ttlMetrics().get("deletedDocuments", Number.class).longValue();
        c.createIndex(new Document("at", 1), new IndexOptions().expireAfter(60L, TimeUnit.SECONDS));
        await(() -> c.countDocuments() == 6, "the expired documents deleted");
        awaitFullPass();
        assertEquals(List.of(2, 4, 5, 6, 7, 8), ids(c), "dates expire, the earliest of an array decides, other values never");
        assertTrue(ttlMetrics().get("deletedDocuments", Number.class).longValue() >= deletedBefore + 2, ttlMetrics().toJson());

        List<Document> log = db("ttl1").runCommand(doc("{branchLog: 'main', actor: 'ttl', ns: 'ttl1.sessions'}"))
                .get("cursor", Document.class).getList("firstBatch", Document.class);
        assertEquals(1, log.size(), log.toString());
        assertEquals("ttl", log.get(0).getString("actor"));
        assertEquals("expired by TTL index at_1", log.get(0).getString("comment"));
        assertEquals(2, log.get(0).get("counts", Document.class).get("ttl1.sessions", Document.class).getInteger("delete"));
    }

    @Test
    void everyBranchWithTheIndexExpiresItsOwnDocumentsProtectedOnesToo() throws Exception {
        MongoCollection<Document> main = db("ttl2").getCollection("events");
        long now = System.currentTimeMillis();
        main.createIndex(new Document("at", 1), new IndexOptions().expireAfter(3600L, TimeUnit.SECONDS));
        main.insertOne(new Document("_id", "fresh").append("at", new Date(now)));
        admin("{createBranch: 'ttl2-a'}");
        admin("{createBranch: 'ttl2-noindex'}");
        MongoCollection<Document> a = db("ttl2~ttl2-a").getCollection("events");
        MongoCollection<Document> noIndex = db("ttl2~ttl2-noindex").getCollection("events");
        noIndex.dropIndex("at_1");
        admin("{setParameter: 1, ttlMonitorEnabled: false}");
        try {
            for (MongoCollection<Document> c : List.of(main, a, noIndex)) {
                c.insertOne(new Document("_id", "old").append("at", new Date(now - 2 * HOUR)));
            }
            admin("{protectBranch: 'ttl2-a', protect: true}");
        } finally {
            admin("{setParameter: 1, ttlMonitorEnabled: true}");
        }
        await(() -> main.countDocuments() == 1 && a.countDocuments() == 1, "expired on main and on the protected branch");
        awaitFullPass();
        assertEquals(List.of("fresh"), ids(main));
        assertEquals(List.of("fresh"), ids(a));
        assertEquals(List.of("fresh", "old"), ids(noIndex), "a branch that dropped the index keeps its documents");
        List<Document> log = db("ttl2").runCommand(doc("{branchLog: 'ttl2-a', limit: 1}"))
                .get("cursor", Document.class).getList("firstBatch", Document.class);
        assertEquals("ttl", log.get(0).getString("actor"));
        assertEquals(13, assertThrows(MongoCommandException.class,
                () -> db("ttl2~ttl2-a").runCommand(doc("{delete: 'events', deletes: [{q: {}, limit: 0}]}"))).getErrorCode(),
                "the branch is still protected against users' writes");
    }

    @Test
    void collModChangesTheExpiry() throws Exception {
        MongoCollection<Document> c = db("ttl3").getCollection("tokens");
        long now = System.currentTimeMillis();
        c.createIndex(new Document("at", -1), new IndexOptions().expireAfter(3 * 3600L, TimeUnit.SECONDS));
        c.insertMany(List.of(new Document("_id", 1).append("at", new Date(now - 2 * HOUR)),
                new Document("_id", 2).append("at", new Date(now - 4 * HOUR))));
        await(() -> c.countDocuments() == 1, "the four-hour-old token expired");
        awaitFullPass();
        assertEquals(List.of(1), ids(c));
        Document r = db("ttl3").runCommand(doc("{collMod: 'tokens', index: {keyPattern: {at: -1}, expireAfterSeconds: 3600}}"));
        assertEquals(10800, r.getInteger("expireAfterSeconds_old"));
        assertEquals(3600, r.getInteger("expireAfterSeconds_new"));
        await(() -> c.countDocuments() == 0, "the two-hour-old token expired under the new expiry");
        assertEquals(3600, c.listIndexes().into(new ArrayList<>()).get(1).getInteger("expireAfterSeconds"));
        assertEquals(67, assertThrows(MongoCommandException.class,
                () -> db("ttl3").runCommand(doc("{collMod: 'tokens', index: {name: 'at_-1', expireAfterSeconds: -5}}"))).getErrorCode());
    }

    @Test
    void invalidTtlOptionsAreRefused() {
        MongoCollection<Document> c = db("ttl4").getCollection("c");
        for (String spec : List.of("{key: {a: 1, b: 1}, name: 'ab', expireAfterSeconds: 10}",
                "{key: {a: 1}, name: 'neg', expireAfterSeconds: -1}",
                "{key: {a: 1}, name: 'str', expireAfterSeconds: '10'}",
                "{key: {a: 1}, name: 'big', expireAfterSeconds: 9999999999999999}",
                "{key: {_id: 1}, name: 'id', expireAfterSeconds: 10}")) {
            MongoCommandException e = assertThrows(MongoCommandException.class,
                    () -> db("ttl4").runCommand(new Document("createIndexes", "c").append("indexes", List.of(doc(spec)))), spec);
            assertEquals(67, e.getErrorCode(), spec);
            assertEquals("CannotCreateIndex", e.getErrorCodeName());
        }
        db("ttl4").runCommand(doc("{createIndexes: 'c', indexes: [{key: {a: 1}, name: 'a_1', expireAfterSeconds: 10.7}]}"));
        assertEquals(10, c.listIndexes().into(new ArrayList<>()).get(1).getInteger("expireAfterSeconds"));
        assertEquals(85, assertThrows(MongoCommandException.class,
                () -> db("ttl4").runCommand(doc("{createIndexes: 'c', indexes: [{key: {a: 1}, name: 'a_1', expireAfterSeconds: 20}]}")))
                .getErrorCode());
    }

    @Test
    void manyExpiredDocumentsGoInOneStreamedCommit() throws Exception {
        MongoCollection<Document> c = db("ttl5").getCollection("log");
        admin("{setParameter: 1, ttlMonitorEnabled: false}");
        long chunks;
        try {
            long old = System.currentTimeMillis() - 2 * HOUR;
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 12_000; i++) {
                docs.add(new Document("_id", i).append("at", new Date(old + i)));
            }
            c.insertMany(docs);
            c.insertOne(new Document("_id", -1).append("at", new Date(System.currentTimeMillis() + HOUR)));
            c.createIndex(new Document("at", 1), new IndexOptions().expireAfter(0L, TimeUnit.SECONDS));
            chunks = staging().get("chunks", Number.class).longValue();
        } finally {
            admin("{setParameter: 1, ttlMonitorEnabled: true}");
        }
        await(() -> c.countDocuments() == 1, "12,000 expired documents deleted");
        assertEquals(List.of(-1), ids(c));
        assertTrue(staging().get("chunks", Number.class).longValue() > chunks, "the deletion streamed in chunks: " + staging().toJson());
        List<Document> log = db("ttl5").runCommand(doc("{branchLog: 'main', actor: 'ttl', ns: 'ttl5.log'}"))
                .get("cursor", Document.class).getList("firstBatch", Document.class);
        assertEquals(1, log.size(), "one commit");
        assertEquals(12_000, log.get(0).get("counts", Document.class).get("ttl5.log", Document.class).getInteger("delete"));
    }

    private Document staging() {
        return admin("{serverStatus: 1}").get("argon", Document.class).get("staging", Document.class);
    }
}
