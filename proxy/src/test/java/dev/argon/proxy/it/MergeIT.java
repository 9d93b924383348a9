package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.ValidationLevel;
import com.mongodb.client.model.ValidationOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** Merge correctness through the Java driver: a moving source, collection-level conflicts, resets, both directions. */
class MergeIT extends ArgonTestBase {

    private Document admin(Document cmd) {
        return db("admin").runCommand(cmd);
    }

    private Document admin(String json) {
        return admin(doc(json));
    }

    private List<Document> all(MongoCollection<Document> c) {
        return c.find().sort(Sorts.ascending("_id")).into(new ArrayList<>());
    }

    private List<Document> previewConflicts(String source, String into) {
        return CommandCursor.all(client, new Document("mergeBranch", source).append("into", into).append("preview", true));
    }

    private long head(String branch) {
        for (Document b : admin("{listBranches: 1}").getList("branches", Document.class)) {
            if (b.getString("name").equals(branch)) {
                return b.getLong("headLsn");
            }
        }
        throw new AssertionError("no branch " + branch);
    }

    @Test
    void writesLandingOnTheSourceDuringRepeatedMergesAreNeverLost() throws Exception {
        MongoCollection<Document> main = db("mv").getCollection("c");
        main.insertOne(doc("{_id: 'seed'}"));
        admin("{createBranch: 'mv-src'}");
        MongoCollection<Document> src = db("mv~mv-src").getCollection("c");
        int writers = 3;
        int opsPerWriter = 400;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            running.add(pool.submit(() -> {
                Random rnd = new Random(writer);
                for (int i = 0; i < opsPerWriter; i++) {
                    // Each writer owns its ids, so the writers never collide with each other.
                    String id = writer + "-" + rnd.nextInt(40);
                    switch (rnd.nextInt(3)) {
                        case 0 -> src.replaceOne(Filters.eq("_id", id), new Document("_id", id).append("v", i),
                                new com.mongodb.client.model.ReplaceOptions().upsert(true));
                        case 1 -> src.updateOne(Filters.eq("_id", id), Updates.inc("n", 1));
                        default -> src.deleteOne(Filters.eq("_id", id));
                    }
                }
                return null;
            }));
        }
        pool.shutdown();
        int mergesWhileWriting = 0;
        while (!pool.isTerminated()) {
            // Default strategy fail: a merge must never fail just because the source moved while it ran.
            admin("{mergeBranch: 'mv-src', into: 'main'}");
            mergesWhileWriting++;
        }
        for (Future<?> f : running) {
            f.get(1, TimeUnit.MINUTES);
        }
        admin("{mergeBranch: 'mv-src', into: 'main'}");
        assertTrue(mergesWhileWriting >= 1, "merges ran while the writers wrote");
        assertEquals(all(src), all(main), "after the last merge the target has every write of the source");
        assertTrue(CommandCursor.all(client, doc("{diff: 'mv-src', to: 'main'}")).isEmpty());
        assertEquals(0L, admin("{mergeBranch: 'mv-src', into: 'main', preview: true}").getLong("conflictCount"));
    }

    @Test
    void aCollectionDroppedOnOneSideAndChangedOnTheOtherIsAConflict() {
        MongoCollection<Document> main = db("dc").getCollection("c");
        main.insertMany(List.of(doc("{_id: 1, v: 0}"), doc("{_id: 2, v: 0}")));
        admin("{createBranch: 'dc-x'}");
        db("dc~dc-x").getCollection("c").drop();
        main.insertOne(doc("{_id: 3, v: 'only on main'}"));

        List<Document> conflicts = previewConflicts("dc-x", "main");
        assertEquals(1, conflicts.size(), conflicts.toString());
        assertEquals("collection", conflicts.get(0).getString("kind"));
        assertEquals("dc.c", conflicts.get(0).getString("ns"));
        assertNull(conflicts.get(0).get("theirs"));
        MongoCommandException fail = assertThrows(MongoCommandException.class, () -> admin("{mergeBranch: 'dc-x', into: 'main'}"));
        assertEquals(96, fail.getErrorCode());
        assertEquals(3, main.countDocuments(), "nothing applied");

        Document ours = admin("{mergeBranch: 'dc-x', into: 'main', strategy: 'ours'}");
        assertEquals(1L, ours.getLong("conflictCount"));
        assertEquals(3, main.countDocuments(), "ours: the target kept the collection, its insert included");

        admin("{mergeBranch: 'dc-x', into: 'main', strategy: 'theirs'}");
        assertTrue(!db("dc").listCollectionNames().into(new ArrayList<>()).contains("c"), "theirs: the source dropped it");
    }

    @Test
    void underTheirsACollectionTheTargetDroppedComesBackWithOptionsIndexesAndAllDocuments() {
        db("dt").createCollection("c", new CreateCollectionOptions().validationOptions(
                new ValidationOptions().validator(doc("{v: {$type: 'number'}}")).validationLevel(ValidationLevel.MODERATE)));
        MongoCollection<Document> main = db("dt").getCollection("c");
        main.insertMany(List.of(doc("{_id: 1, v: 1}"), doc("{_id: 2, v: 2}"), doc("{_id: 3, v: 3}")));
        main.createIndex(Indexes.ascending("v"));
        admin("{createBranch: 'dt-x'}");
        db("dt~dt-x").getCollection("c").updateOne(Filters.eq("_id", 2), Updates.set("v", 20));
        main.drop();

        assertEquals(1, previewConflicts("dt-x", "main").size());
        admin("{mergeBranch: 'dt-x', into: 'main', strategy: 'ours'}");
        assertTrue(!db("dt").listCollectionNames().into(new ArrayList<>()).contains("c"), "ours: the target dropped it");

        admin("{mergeBranch: 'dt-x', into: 'main', strategy: 'theirs'}");
        assertEquals(List.of(doc("{_id: 1, v: 1}"), doc("{_id: 2, v: 20}"), doc("{_id: 3, v: 3}")), all(main));
        List<String> indexes = new ArrayList<>();
        main.listIndexes().forEach(i -> indexes.add(i.getString("name")));
        assertEquals(List.of("_id_", "v_1"), indexes);
        Document options = db("dt").listCollections().filter(Filters.eq("name", "c")).first().get("options", Document.class);
        assertEquals("moderate", options.getString("validationLevel"));
        assertEquals(doc("{v: {$type: 'number'}}"), options.get("validator", Document.class));
    }

    @Test
    void marksSurviveResetsOfEitherSide() {
        MongoCollection<Document> main = db("rm").getCollection("c");
        main.insertOne(doc("{_id: 1, v: 0}"));
        admin("{createBranch: 'rm-t'}");
        admin("{createBranch: 'rm-s', from: 'rm-t'}");
        MongoCollection<Document> s = db("rm~rm-s").getCollection("c");
        MongoCollection<Document> t = db("rm~rm-t").getCollection("c");
        s.updateOne(Filters.eq("_id", 1), Updates.set("v", 1));
        long merged = head("rm-s");
        long mergeCommit = admin("{mergeBranch: 'rm-s', into: 'rm-t'}").getLong("headLsn");

        // The source abandons a later write; the target abandons one made after the merge and edits _id 1.
        s.insertOne(doc("{_id: 'junk-s'}"));
        admin(new Document("resetBranch", "rm-s").append("to", merged));
        t.insertOne(doc("{_id: 'junk-t'}"));
        admin(new Document("resetBranch", "rm-t").append("to", mergeCommit));
        t.updateOne(Filters.eq("_id", 1), Updates.set("v", 2));
        s.insertOne(doc("{_id: 7}"));

        assertTrue(previewConflicts("rm-s", "rm-t").isEmpty(), "no false conflict on _id 1 after the resets");
        admin("{mergeBranch: 'rm-s', into: 'rm-t'}");
        assertEquals(List.of(doc("{_id: 1, v: 2}"), doc("{_id: 7}")), all(t));
    }

    @Test
    void crissCrossMergesGiveNoFalseConflicts() {
        MongoCollection<Document> main = db("cx").getCollection("c");
        main.insertOne(doc("{_id: 1, x: 0, y: 0}"));
        admin("{createBranch: 'cx-a'}");
        admin("{createBranch: 'cx-b'}");
        MongoCollection<Document> a = db("cx~cx-a").getCollection("c");
        MongoCollection<Document> b = db("cx~cx-b").getCollection("c");
        a.updateOne(Filters.eq("_id", 1), Updates.set("x", 1));
        b.updateOne(Filters.eq("_id", 1), Updates.set("y", 1));
        admin("{mergeBranch: 'cx-a', into: 'cx-b'}");
        a.updateOne(Filters.eq("_id", 1), Updates.set("x", 2));
        assertTrue(previewConflicts("cx-b", "cx-a").isEmpty());
        admin("{mergeBranch: 'cx-b', into: 'cx-a'}");
        b.updateOne(Filters.eq("_id", 1), Updates.set("y", 2));
        assertTrue(previewConflicts("cx-a", "cx-b").isEmpty());
        admin("{mergeBranch: 'cx-a', into: 'cx-b'}");
        assertEquals(doc("{_id: 1, x: 2, y: 2}"), b.find().first());
    }
}
