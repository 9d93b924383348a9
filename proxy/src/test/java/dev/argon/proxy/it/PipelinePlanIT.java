package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.ExplainVerbosity;
import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Indexes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;

/**
 * The rest of aggregation pushdown through the Java driver, asserting results and what explain shows: the $lookup
 * pipeline form that starts with {@code $expr} equality on a let variable reads the foreign index per input
 * document; $unionWith reads the other collection only as far as the pipeline pulls; $sample takes a sample without
 * sorting the collection; $match and $sort after an $addFields that they do not read run in the plan.
 */
class PipelinePlanIT extends ArgonTestBase {

    private static Document explain(MongoCollection<Document> c, List<? extends Bson> pipeline) {
        return c.aggregate(pipeline).explain(ExplainVerbosity.EXECUTION_STATS);
    }

    /** The explained stage document whose name is stage (e.g. "$lookup"). */
    private static Document stage(Document explain, String name) {
        for (Document s : explain.getList("stages", Document.class)) {
            if (s.containsKey(name)) {
                return s;
            }
        }
        throw new AssertionError("no " + name + " in " + explain.toJson());
    }

    private static long number(Document d, String field) {
        return ((Number) d.get(field)).longValue();
    }

    @Test
    void lookupPipelineFormReadsTheForeignIndexPerDocument() {
        MongoCollection<Document> orders = db("pp").getCollection("orders");
        MongoCollection<Document> items = db("pp").getCollection("items");
        List<Document> o = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            o.add(new Document("_id", i).append("sku", "s" + i));
        }
        o.add(new Document("_id", 50)); // no sku: the let variable is missing
        o.add(new Document("_id", 51).append("sku", 7L)); // 7L equals the items' 7 and 7.0
        orders.insertMany(o);
        List<Document> it = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            it.add(new Document("_id", i).append("sku", "s" + (i % 1000)).append("qty", i));
        }
        it.add(new Document("_id", 5000).append("sku", List.of("s1", "s2"))); // find equality would match; $expr $eq not
        it.add(new Document("_id", 5001).append("sku", 7));
        it.add(new Document("_id", 5002).append("sku", 7.0));
        items.insertMany(it);
        List<Document> pipeline = List.of(new Document("$lookup", new Document("from", "items").append("let", new Document("s", "$sku"))
                .append("pipeline", List.of(new Document("$match", new Document("$expr", new Document("$eq", List.of("$sku", "$$s")))),
                        new Document("$project", new Document("qty", 1))))
                .append("as", "hits")), new Document("$sort", new Document("_id", 1)));
        List<Document> scanned = orders.aggregate(pipeline).into(new ArrayList<>());
        Document scanStage = stage(explain(orders, pipeline), "$lookup");
        assertEquals(1, number(scanStage, "collectionScans"));
        assertEquals(List.of(), scanStage.getList("indexesUsed", String.class));

        items.createIndex(Indexes.ascending("sku"));
        List<Document> indexed = orders.aggregate(pipeline).into(new ArrayList<>());
        assertEquals(scanned, indexed);
        assertEquals(List.of(new Document("_id", 1).append("qty", 1), new Document("_id", 1001).append("qty", 1001)),
                indexed.get(1).getList("hits", Document.class));
        assertEquals(List.of(), indexed.get(50).getList("hits", Document.class));
        assertEquals(List.of(5001, 5002), indexed.get(51).getList("hits", Document.class).stream().map(d -> d.getInteger("_id")).toList());

        // Only the two documents with no usable value would make it scan; without them, index reads only.
        List<Document> onlyValues = List.of(new Document("$match", new Document("_id", new Document("$lt", 50))), pipeline.get(0));
        Document ix = stage(explain(orders, onlyValues), "$lookup");
        assertEquals(List.of("sku_1"), ix.getList("indexesUsed", String.class));
        assertEquals(0, number(ix, "collectionScans"));
        // Two items per sku, plus the array item for s1 and s2 (fetched, then dropped by the $match): 102, not 2003.
        assertEquals(102, number(ix, "totalDocsExamined"));
        assertEquals(50, number(ix, "nReturned"));
    }

    @Test
    void unionWithReadsOnlyWhatThePipelinePulls() {
        MongoCollection<Document> a = db("pp").getCollection("ua");
        MongoCollection<Document> b = db("pp").getCollection("ub");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            docs.add(new Document("_id", i).append("v", i));
        }
        b.insertMany(docs);
        a.insertMany(List.of(new Document("_id", "a1"), new Document("_id", "a2")));
        List<Document> pipeline = List.of(new Document("$unionWith", "ub"), new Document("$limit", 7));
        List<Document> out = a.aggregate(pipeline).into(new ArrayList<>());
        assertEquals(List.of("a1", "a2", 0, 1, 2, 3, 4), out.stream().map(d -> d.get("_id")).toList());
        Document union = stage(explain(a, pipeline), "$unionWith");
        assertEquals(5, number(union, "totalDocsExamined"));
        // Read to the end, all of it, in the other collection's order.
        List<Document> all = a.aggregate(List.of(new Document("$unionWith", new Document("coll", "ub")
                .append("pipeline", List.of(new Document("$match", new Document("v", new Document("$gte", 2990)))))))).into(new ArrayList<>());
        assertEquals(12, all.size());
        assertEquals(2999, all.get(11).getInteger("_id"));
        // A cursor closed half way through the other collection frees its scan; the server answers on.
        try (var cursor = a.aggregate(List.of(new Document("$unionWith", "ub"))).batchSize(10).iterator()) {
            cursor.next();
        }
        assertEquals(3002, a.aggregate(List.of(new Document("$unionWith", "ub"), new Document("$count", "n"))).first().getInteger("n"));
    }

    @Test
    void sampleNeedsNoSortOfTheCollection() {
        MongoCollection<Document> c = db("pp").getCollection("sample");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            docs.add(new Document("_id", i).append("pad", "p".repeat(100)));
        }
        c.insertMany(docs);
        db("admin").runCommand(new Document("setParameter", 1).append("internalQueryMaxBlockingSortMemoryUsageBytes", 16 * 1024));
        try {
            // 20 documents fit in 16 KiB: no sort of the 3000, so no disk is needed.
            List<Document> sample = c.aggregate(List.of(new Document("$sample", new Document("size", 20)))).allowDiskUse(false)
                    .into(new ArrayList<>());
            assertEquals(20, sample.size());
            Set<Object> ids = new HashSet<>();
            sample.forEach(d -> ids.add(d.get("_id")));
            assertEquals(20, ids.size(), "distinct documents");
            assertTrue(ids.stream().allMatch(id -> (Integer) id >= 0 && (Integer) id < 3000));
            List<Document> again = c.aggregate(List.of(new Document("$sample", new Document("size", 20)))).into(new ArrayList<>());
            assertNotEquals(sample, again, "two samples of 20 out of 3000 are the same only by a 1e-60 chance");
            // A sample larger than the limit is a random order cut short: spilled with disk use, 292 without.
            List<Document> big = c.aggregate(List.of(new Document("$sample", new Document("size", 2000)))).into(new ArrayList<>());
            Set<Object> bigIds = new HashSet<>();
            big.forEach(d -> bigIds.add(d.get("_id")));
            assertEquals(2000, bigIds.size());
            MongoCommandException e = assertThrows(MongoCommandException.class, () -> c.aggregate(List.of(
                    new Document("$sample", new Document("size", 2000)))).allowDiskUse(false).into(new ArrayList<>()));
            assertEquals(292, e.getErrorCode());
        } finally {
            db("admin").runCommand(new Document("setParameter", 1).append("internalQueryMaxBlockingSortMemoryUsageBytes", 100L << 20));
        }
    }

    @Test
    void matchAndSortAfterAddFieldsRunInThePlan() {
        MongoCollection<Document> c = db("pp").getCollection("af");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            docs.add(new Document("_id", i).append("label", "l" + (i % 100)).append("score", i));
        }
        c.insertMany(docs);
        c.createIndex(Indexes.ascending("label", "score"));
        List<Document> pipeline = List.of(new Document("$addFields", new Document("double", new Document("$multiply", List.of("$score", 2)))),
                new Document("$match", new Document("label", "l7")), new Document("$sort", new Document("score", -1)),
                new Document("$limit", 3));
        List<Document> out = c.aggregate(pipeline).into(new ArrayList<>());
        assertEquals(List.of(907, 807, 707), out.stream().map(d -> d.getInteger("_id")).toList());
        assertEquals(1814, out.get(0).getInteger("double"));
        Document e = explain(c, pipeline);
        Document cursor = e.getList("stages", Document.class).get(0).get("$cursor", Document.class);
        String plan = cursor.get("queryPlanner", Document.class).get("winningPlan", Document.class).toJson();
        assertTrue(plan.contains("\"IXSCAN\"") && plan.contains("label_1_score_1"), plan);
        assertEquals(3, number(cursor.get("executionStats", Document.class), "totalDocsExamined"));
        assertTrue(stage(e, "$addFields").containsKey("$addFields"));
        // A $match on the added field reads it: it stays after the $addFields, and the plan scans everything.
        List<Document> onAdded = List.of(pipeline.get(0), new Document("$match", new Document("double", 14)));
        assertEquals(List.of(7), c.aggregate(onAdded).into(new ArrayList<>()).stream().map(d -> d.getInteger("_id")).toList());
        Document e2 = explain(c, onAdded);
        assertEquals(1000, number(e2.getList("stages", Document.class).get(0).get("$cursor", Document.class)
                .get("executionStats", Document.class), "totalDocsExamined"));
        assertEquals("$addFields", e2.getList("stages", Document.class).get(1).keySet().iterator().next());
        // A stage Argon does not run is shown, not run: explain still answers.
        List<Document> withOut = explain(c, List.of(new Document("$addFields", new Document("x", 1)), new Document("$out", "other")))
                .getList("stages", Document.class);
        assertEquals("$out", withOut.get(withOut.size() - 1).keySet().iterator().next());
    }
}
