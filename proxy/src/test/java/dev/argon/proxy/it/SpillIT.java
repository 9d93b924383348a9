package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.ExplainVerbosity;
import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Sorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Memory limits of blocking stages through the Java driver: a find's sort, {@code $sort} and {@code $group} past
 * their limit (made small with {@code setParameter}, as mongod's tests do, instead of building 100 MB) spill to
 * {@code <data>/_tmp} and give the same results as in memory; with {@code allowDiskUse: false} (or
 * {@code allowDiskUseByDefault: false}) they fail with 292; the folder is empty once the cursor is done, killed
 * or failed, and cleared at startup.
 */
class SpillIT extends ArgonTestBase {
    private static final int N = 3000;
    /** About 300 bytes a document: 3000 of them are ~900 KB, many times the 32 KiB limits below. */
    private static final long SMALL = 32 * 1024;
    private static final long DEFAULT = 100L * 1024 * 1024;

    private MongoCollection<Document> coll;
    private final List<Document> inserted = new ArrayList<>();

    @BeforeAll
    void load() {
        coll = db("spill").getCollection("c");
        Random rnd = new Random(20261201);
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            // k has many ties (50 values), r few, g 300 groups.
            Document d = new Document("_id", i).append("k", rnd.nextInt(50)).append("r", rnd.nextInt(1_000_000))
                    .append("g", rnd.nextInt(300)).append("pad", "x".repeat(200 + rnd.nextInt(100)));
            batch.add(d);
            inserted.add(d);
        }
        coll.insertMany(batch);
    }

    @AfterEach
    void defaults() {
        setParameters(DEFAULT, DEFAULT, true);
    }

    private void setParameters(long sortBytes, long groupBytes, boolean diskByDefault) {
        db("admin").runCommand(new Document("setParameter", 1).append("internalQueryMaxBlockingSortMemoryUsageBytes", sortBytes)
                .append("internalDocumentSourceGroupMaxMemoryBytes", groupBytes).append("allowDiskUseByDefault", diskByDefault));
    }

    private Path tmp() {
        return dataDir.resolve("_tmp");
    }

    private List<String> tmpFiles() {
        if (!Files.isDirectory(tmp())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(tmp())) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The documents in _id order stably sorted by k ascending then r descending: what a blocking sort must give. */
    private List<Document> expectedSort() {
        List<Document> out = new ArrayList<>(inserted);
        out.sort(Comparator.comparingInt((Document d) -> d.getInteger("k")).thenComparing(d -> -d.getInteger("r")));
        return out;
    }

    private static final Bson SORT = Sorts.orderBy(Sorts.ascending("k"), Sorts.descending("r"));

    @Test
    void findSortSpillsAndGivesTheInMemoryOrder() {
        List<Document> inMemory = coll.find().sort(SORT).into(new ArrayList<>());
        assertEquals(expectedSort(), inMemory);
        setParameters(SMALL, DEFAULT, true);
        List<Document> spilled = coll.find().sort(SORT).batchSize(50).into(new ArrayList<>());
        assertEquals(inMemory, spilled);
        // Ties on k alone keep the scan's (_id) order, spilled or not.
        List<Document> byK = coll.find().sort(Sorts.ascending("k")).into(new ArrayList<>());
        List<Document> expected = new ArrayList<>(inserted);
        expected.sort(Comparator.comparingInt(d -> d.getInteger("k")));
        assertEquals(expected, byK);
        Document sortStage = sortStage(coll.find().sort(SORT).explain(ExplainVerbosity.EXECUTION_STATS));
        assertEquals(true, sortStage.getBoolean("usedDisk"));
        assertTrue(((Number) sortStage.get("spills")).intValue() > 1, sortStage.toJson());
        assertEquals(List.of(), tmpFiles());
    }

    private static Document sortStage(Document explain) {
        for (Document s = explain.get("executionStats", Document.class).get("executionStages", Document.class); s != null;
             s = s.get("inputStage", Document.class)) {
            if ("SORT".equals(s.getString("stage"))) {
                return s;
            }
        }
        throw new AssertionError("no SORT stage in " + explain.toJson());
    }

    @Test
    void aggregateSortSpillsAndGivesTheInMemoryOrder() {
        // A $match that the plan cannot take ($expr stays in the pipeline) keeps the $sort in the pipeline.
        List<Bson> pipeline = List.of(new Document("$match", new Document("$expr", true)), new Document("$sort", SORT),
                new Document("$project", new Document("pad", 0)));
        List<Document> inMemory = coll.aggregate(pipeline).into(new ArrayList<>());
        setParameters(SMALL, DEFAULT, true);
        List<Document> spilled = coll.aggregate(pipeline).batchSize(20).into(new ArrayList<>());
        assertEquals(N, spilled.size());
        assertEquals(inMemory, spilled);
        List<Document> expected = new ArrayList<>();
        for (Document d : expectedSort()) {
            Document p = new Document(d);
            p.remove("pad");
            expected.add(p);
        }
        assertEquals(expected, spilled);
        // Pushed into the plan (a leading $sort), the same.
        assertEquals(inMemory, coll.aggregate(List.of(new Document("$sort", SORT), new Document("$project", new Document("pad", 0))))
                .into(new ArrayList<>()));
        assertEquals(List.of(), tmpFiles());
    }

    @Test
    void groupSpillsAndGivesTheInMemoryGroups() {
        Document group = new Document("_id", "$g").append("n", new Document("$sum", 1)).append("sumR", new Document("$sum", "$r"))
                .append("avgR", new Document("$avg", "$r")).append("minK", new Document("$min", "$k"))
                .append("maxR", new Document("$max", "$r")).append("first", new Document("$first", "$_id"))
                .append("last", new Document("$last", "$_id")).append("ids", new Document("$push", "$_id"))
                .append("ks", new Document("$addToSet", "$k")).append("c", new Document("$count", new Document()))
                .append("m", new Document("$mergeObjects", new Document("k", "$k")));
        List<Bson> pipeline = List.of(new Document("$group", group), new Document("$sort", new Document("_id", 1)));
        List<Document> inMemory = coll.aggregate(pipeline).into(new ArrayList<>());
        assertEquals(300, inMemory.size());
        setParameters(DEFAULT, 16 * 1024, true);
        List<Document> spilled = coll.aggregate(pipeline).into(new ArrayList<>());
        assertEquals(inMemory, spilled);
        // Group order is unspecified; spilled, groups come in key order.
        List<Document> unsorted = coll.aggregate(List.of(new Document("$group", group))).into(new ArrayList<>());
        unsorted.sort(Comparator.comparingInt(d -> d.getInteger("_id")));
        assertEquals(inMemory, unsorted);
        // Both limits small: the $sort after $group spills too.
        setParameters(SMALL, 16 * 1024, true);
        assertEquals(inMemory, coll.aggregate(pipeline).into(new ArrayList<>()));
        assertEquals(List.of(), tmpFiles());
    }

    @Test
    void withoutDiskUseTheSameQueriesFailWith292() {
        setParameters(SMALL, 16 * 1024, true);
        MongoCommandException find = assertThrows(MongoCommandException.class,
                () -> coll.find().sort(SORT).allowDiskUse(false).into(new ArrayList<>()));
        assertEquals(292, find.getErrorCode());
        assertEquals("QueryExceededMemoryLimitNoDiskUseAllowed", find.getErrorCodeName());
        assertTrue(find.getErrorMessage().contains("Sort exceeded memory limit of 32768 bytes"), find.getErrorMessage());
        MongoCommandException sort = assertThrows(MongoCommandException.class, () -> coll.aggregate(List.of(
                new Document("$match", new Document("$expr", true)), new Document("$sort", SORT))).allowDiskUse(false).first());
        assertEquals(292, sort.getErrorCode());
        MongoCommandException group = assertThrows(MongoCommandException.class, () -> coll.aggregate(List.of(
                new Document("$group", new Document("_id", "$_id").append("p", new Document("$push", "$pad"))))).allowDiskUse(false).first());
        assertEquals(292, group.getErrorCode());
        assertTrue(group.getErrorMessage().contains("Exceeded memory limit for $group"), group.getErrorMessage());
        // A top-k sort ($sort then $limit) holds only k documents: no disk needed.
        List<Document> top = coll.find().sort(SORT).limit(5).allowDiskUse(false).into(new ArrayList<>());
        assertEquals(expectedSort().subList(0, 5), top);
        // The server default off: the same without the option, and the option still wins.
        setParameters(SMALL, 16 * 1024, false);
        assertEquals(292, assertThrows(MongoCommandException.class, () -> coll.find().sort(SORT).into(new ArrayList<>())).getErrorCode());
        assertEquals(expectedSort(), coll.find().sort(SORT).allowDiskUse(true).into(new ArrayList<>()));
        Document params = db("admin").runCommand(new Document("getParameter", 1).append("allowDiskUseByDefault", 1)
                .append("internalQueryMaxBlockingSortMemoryUsageBytes", 1));
        assertEquals(false, params.getBoolean("allowDiskUseByDefault"));
        assertEquals(SMALL, ((Number) params.get("internalQueryMaxBlockingSortMemoryUsageBytes")).longValue());
        assertEquals(List.of(), tmpFiles());
    }

    @Test
    void aTopKPastTheLimitSpillsOrFailsWith292() {
        // 400 documents of ~300 bytes are ~120 KB: the top-k heap itself passes the 32 KiB limit.
        int k = 400;
        List<Document> expected = expectedSort().subList(0, k);
        assertEquals(expected, coll.find().sort(SORT).limit(k).into(new ArrayList<>()));
        setParameters(SMALL, DEFAULT, true);
        assertEquals(expected, coll.find().sort(SORT).limit(k).batchSize(50).into(new ArrayList<>()));
        // With a skip the heap keeps skip + limit documents, and the answer is the same slice.
        assertEquals(expectedSort().subList(100, 100 + k), coll.find().sort(SORT).skip(100).limit(k).into(new ArrayList<>()));
        Document sortStage = sortStage(coll.find().sort(SORT).limit(k).explain(ExplainVerbosity.EXECUTION_STATS));
        assertEquals(true, sortStage.getBoolean("usedDisk"), sortStage.toJson());
        List<Bson> pipeline = List.of(new Document("$match", new Document("$expr", true)), new Document("$sort", SORT),
                new Document("$limit", k));
        assertEquals(expected, coll.aggregate(pipeline).into(new ArrayList<>()));
        // Ties on k alone keep the scan's order through the spill.
        List<Document> byK = new ArrayList<>(inserted);
        byK.sort(Comparator.comparingInt(d -> d.getInteger("k")));
        assertEquals(byK.subList(0, k), coll.find().sort(Sorts.ascending("k")).limit(k).into(new ArrayList<>()));
        assertEquals(List.of(), tmpFiles());
        MongoCommandException find = assertThrows(MongoCommandException.class,
                () -> coll.find().sort(SORT).limit(k).allowDiskUse(false).into(new ArrayList<>()));
        assertEquals(292, find.getErrorCode());
        assertTrue(find.getErrorMessage().contains("Sort exceeded memory limit of 32768 bytes"), find.getErrorMessage());
        MongoCommandException agg = assertThrows(MongoCommandException.class,
                () -> coll.aggregate(pipeline).allowDiskUse(false).first());
        assertEquals(292, agg.getErrorCode());
        // Within the limit the same top-k needs no disk.
        assertEquals(expectedSort().subList(0, 20), coll.find().sort(SORT).limit(20).allowDiskUse(false).into(new ArrayList<>()));
    }

    @Test
    void oneDocumentWriteSortsKeepOnlyTheBestCandidate() {
        MongoCollection<Document> w = db("spill").getCollection("writes");
        w.drop();
        w.insertMany(inserted.stream().map(Document::new).toList());
        List<Document> order = expectedSort();
        // A limit below one document and no disk: a sort that held more than its best candidate would fail with 292.
        setParameters(100, DEFAULT, false);
        Document first = w.findOneAndUpdate(new Document(), new Document("$set", new Document("seen", true)),
                new com.mongodb.client.model.FindOneAndUpdateOptions().sort(SORT));
        assertEquals(order.get(0), first);
        Document last = w.findOneAndDelete(new Document("k", new Document("$gte", 10)),
                new com.mongodb.client.model.FindOneAndDeleteOptions().sort(Sorts.orderBy(Sorts.descending("k"), Sorts.ascending("r"))));
        List<Document> reversed = new ArrayList<>(inserted);
        reversed.sort(Comparator.comparingInt((Document d) -> -d.getInteger("k")).thenComparing(d -> d.getInteger("r")));
        assertEquals(reversed.get(0), last);
        Document replaced = w.findOneAndReplace(new Document("k", 3), new Document("k", 3).append("replaced", true),
                new com.mongodb.client.model.FindOneAndReplaceOptions().sort(Sorts.descending("r"))
                        .returnDocument(com.mongodb.client.model.ReturnDocument.AFTER));
        Document expectedTarget = inserted.stream().filter(d -> d.getInteger("k") == 3)
                .max(Comparator.comparingInt(d -> d.getInteger("r"))).orElseThrow();
        assertEquals(new Document("_id", expectedTarget.get("_id")).append("k", 3).append("replaced", true), replaced);
        // What was written is what the sorts chose.
        assertEquals(1, w.countDocuments(new Document("seen", true)));
        assertEquals(true, w.find(new Document("_id", order.get(0).get("_id"))).first().getBoolean("seen"));
        assertEquals(0, w.countDocuments(new Document("_id", last.get("_id"))));
        assertEquals(N - 1, w.countDocuments());
        assertEquals(List.of(), tmpFiles());
        w.drop();
    }

    @Test
    void runFilesAreRemovedWhenTheCursorIsKilledOrFails() {
        setParameters(SMALL, DEFAULT, true);
        try (MongoCursor<Document> cursor = coll.find().sort(SORT).batchSize(10).iterator()) {
            assertEquals(expectedSort().get(0), cursor.next());
            assertFalse(tmpFiles().isEmpty(), "the open cursor reads its runs from the temporary folder");
        } // close: killCursors
        assertEquals(List.of(), tmpFiles());
        // An error after the sort spilled: the failed command leaves nothing either.
        MongoCommandException e = assertThrows(MongoCommandException.class, () -> coll.aggregate(List.of(
                new Document("$match", new Document("$expr", true)), new Document("$sort", SORT),
                new Document("$project", new Document("x", new Document("$divide", List.of(1, 0)))))).first());
        assertEquals(16608, e.getErrorCode(), e.getErrorMessage()); // can't $divide by zero
        assertEquals(List.of(), tmpFiles());
        MongoCommandException bad = assertThrows(MongoCommandException.class, () -> db("admin").runCommand(
                new Document("setParameter", 1).append("internalQueryMaxBlockingSortMemoryUsageBytes", 0)));
        assertEquals(2, bad.getErrorCode());
    }

    @Test
    void facetSpoolsItsInputPastTheLimit() {
        List<Bson> pipeline = List.of(new Document("$facet", new Document("all", List.of(new Document("$count", "n")))
                .append("k3", List.of(new Document("$match", new Document("k", 3)), new Document("$project", new Document("pad", 0))))));
        Document inMemory = coll.aggregate(pipeline).first();
        long k3 = inserted.stream().filter(d -> d.getInteger("k") == 3).count();
        assertEquals(k3, inMemory.getList("k3", Document.class).size());
        assertEquals(N, inMemory.getList("all", Document.class).get(0).getInteger("n"));
        setParameters(SMALL, DEFAULT, true);
        assertEquals(inMemory, coll.aggregate(pipeline).first());
        MongoCommandException e = assertThrows(MongoCommandException.class, () -> coll.aggregate(pipeline).allowDiskUse(false).first());
        assertEquals(292, e.getErrorCode());
        assertTrue(e.getErrorMessage().contains("$facet"), e.getErrorMessage());
        assertEquals(List.of(), tmpFiles());
    }

    @Test
    void leftoversAreDeletedAtStartup() throws IOException {
        Files.createDirectories(tmp());
        Files.writeString(tmp().resolve("left-by-a-crash.run"), "junk");
        restart();
        coll = db("spill").getCollection("c");
        assertEquals(List.of(), tmpFiles());
        assertEquals(N, coll.countDocuments());
    }
}
