package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.ExplainVerbosity;
import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;

/**
 * The query planner through the Java driver: results with an index are the same as with a collection scan
 * ({@code hint: {$natural: 1}}), and {@code explain} shows the plan and what it examined.
 */
class QueryPlannerIT extends ArgonTestBase {

    private Document admin(String json) {
        return db("admin").runCommand(doc(json));
    }

    private static Document explain(MongoCollection<Document> c, Bson filter) {
        return c.find(filter).explain(ExplainVerbosity.EXECUTION_STATS);
    }

    private static Document winning(Document explain) {
        return explain.get("queryPlanner", Document.class).get("winningPlan", Document.class);
    }

    private static Document stats(Document explain) {
        return explain.get("executionStats", Document.class);
    }

    /** The first stage with that name in a plan tree, or null. */
    private static Document stage(Document tree, String name) {
        for (Document s = tree; s != null; s = s.get("inputStage", Document.class)) {
            if (name.equals(s.getString("stage"))) {
                return s;
            }
        }
        return null;
    }

    private static long number(Document d, String field) {
        return ((Number) d.get(field)).longValue();
    }

    private static MongoCollection<Document> labelled(MongoCollection<Document> c, int n) {
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            docs.add(new Document("_id", i).append("label", "l" + (i % (n / 10))).append("split", i % 3 == 0 ? "test" : "train")
                    .append("score", (i * 7919 % n) / (double) n));
            if (docs.size() == 1000) {
                c.insertMany(docs);
                docs.clear();
            }
        }
        if (!docs.isEmpty()) {
            c.insertMany(docs);
        }
        return c;
    }

    @Test
    void equalityThroughAnIndexExaminesOnlyItsMatches() {
        MongoCollection<Document> c = labelled(db("plan").getCollection("eq"), 10_000);
        c.createIndex(Indexes.ascending("label"));
        Bson q = Filters.eq("label", "l7");
        List<Document> indexed = c.find(q).into(new ArrayList<>());
        assertEquals(10, indexed.size());
        assertEquals(c.find(q).hint(new Document("$natural", 1)).into(new ArrayList<>()), indexed);

        Document e = explain(c, q);
        Document ixscan = stage(winning(e), "IXSCAN");
        assertEquals("label_1", ixscan.getString("indexName"));
        assertEquals(new Document("label", 1), ixscan.get("keyPattern"));
        assertFalse(ixscan.getBoolean("isMultiKey"));
        assertEquals("forward", ixscan.getString("direction"));
        assertEquals(List.of("[\"l7\", \"l7\"]"), ixscan.get("indexBounds", Document.class).getList("label", String.class));
        assertEquals("FETCH", winning(e).getString("stage"));
        assertEquals(10, number(stats(e), "nReturned"));
        assertEquals(10, number(stats(e), "totalKeysExamined"));
        assertEquals(10, number(stats(e), "totalDocsExamined"));
        assertEquals("plan.eq", e.get("queryPlanner", Document.class).getString("namespace"));
        assertTrue(e.containsKey("serverInfo") && e.containsKey("command"));

        Document natural = c.find(q).hint(new Document("$natural", 1)).explain(ExplainVerbosity.EXECUTION_STATS);
        assertEquals("COLLSCAN", winning(natural).getString("stage"));
        assertEquals(10_000, number(stats(natural), "totalDocsExamined"));

        assertEquals(10, c.countDocuments(q));
        assertEquals(List.of("test", "train"), c.distinct("split", q, String.class).into(new ArrayList<>()));
    }

    @Test
    void compoundPrefixRangeAndServedSort() {
        MongoCollection<Document> c = labelled(db("plan").getCollection("compound"), 5_000);
        c.createIndex(Indexes.compoundIndex(Indexes.ascending("split"), Indexes.descending("score")));
        Bson q = Filters.and(Filters.eq("split", "train"), Filters.gte("score", 0.25), Filters.lt("score", 0.5));
        List<Document> expected = c.find(q).hint(new Document("$natural", 1)).sort(Sorts.descending("score")).into(new ArrayList<>());
        assertFalse(expected.isEmpty());
        assertEquals(expected, c.find(q).sort(Sorts.descending("score")).into(new ArrayList<>()));

        Document e = c.find(q).sort(Sorts.descending("score")).limit(20).explain(ExplainVerbosity.EXECUTION_STATS);
        assertNull(stage(winning(e), "SORT"), "the index order serves the sort: " + winning(e).toJson());
        Document ixscan = stage(winning(e), "IXSCAN");
        assertEquals("split_1_score_-1", ixscan.getString("indexName"));
        assertEquals(List.of("(0.5, 0.25]"), ixscan.get("indexBounds", Document.class).getList("score", String.class));
        assertEquals(20, number(stats(e), "nReturned"));
        assertTrue(number(stats(e), "totalKeysExamined") <= 20, e.toJson());
        assertEquals(expected.subList(0, 20), c.find(q).sort(Sorts.descending("score")).limit(20).into(new ArrayList<>()));

        // Ascending score is the reverse of the index order: the same index read backward, no blocking sort.
        Document asc = c.find(q).sort(Sorts.ascending("score")).explain(ExplainVerbosity.QUERY_PLANNER);
        assertNull(stage(winning(asc), "SORT"), winning(asc).toJson());
        assertEquals("backward", stage(winning(asc), "IXSCAN").getString("direction"));
        assertEquals(List.of("[0.25, 0.5)"), stage(winning(asc), "IXSCAN").get("indexBounds", Document.class).getList("score", String.class));
        List<Document> reversed = new ArrayList<>(expected);
        java.util.Collections.reverse(reversed);
        List<Double> scores = c.find(q).sort(Sorts.ascending("score")).map(d -> d.getDouble("score")).into(new ArrayList<>());
        assertEquals(reversed.stream().map(d -> d.getDouble("score")).toList(), scores);

        // $in on the prefix: one interval per value, deduplicated, same documents.
        Bson in = Filters.and(Filters.in("split", "train", "test", "train"), Filters.gt("score", 0.9));
        assertEquals(c.find(in).hint(new Document("$natural", 1)).into(new ArrayList<>()),
                c.find(in).sort(Sorts.ascending("_id")).into(new ArrayList<>()));
        assertEquals("IXSCAN", stage(winning(explain(c, in)), "IXSCAN").getString("stage"));
    }

    @Test
    void multikeyRangesFindDocumentsWhoseElementsSatisfyEachEnd() {
        MongoCollection<Document> c = db("plan").getCollection("multi");
        c.createIndex(Indexes.ascending("a"));
        c.insertMany(List.of(doc("{_id: 1, a: 5}"), doc("{_id: 2, a: 50}")));
        Bson range = Filters.and(Filters.gt("a", 3), Filters.lt("a", 6));
        assertFalse(stage(winning(explain(c, range)), "IXSCAN").getBoolean("isMultiKey"));
        // Neither element lies in (3, 6), yet the document matches: 10 > 3 and 1 < 6.
        c.insertOne(doc("{_id: 3, a: [1, 10]}"));
        c.insertOne(doc("{_id: 4, a: [4, 5]}"));
        Document e = explain(c, range);
        assertTrue(stage(winning(e), "IXSCAN").getBoolean("isMultiKey"));
        assertEquals(List.of(1, 3, 4), c.find(range).map(d -> d.getInteger("_id")).into(new ArrayList<>()).stream().sorted().toList());
        assertEquals(3, number(stats(e), "nReturned"));
        // Equality on an element; a document with two matching elements comes once.
        assertEquals(List.of(1, 4), c.find(Filters.in("a", 4, 5)).map(d -> d.getInteger("_id")).into(new ArrayList<>()).stream()
                .sorted().toList());
        assertEquals(2, c.countDocuments(Filters.in("a", 4, 5)));
        // A sort over a multikey index cannot come from the index order.
        Document sorted = c.find(range).sort(Sorts.ascending("a")).explain(ExplainVerbosity.QUERY_PLANNER);
        assertTrue(stage(winning(sorted), "SORT") != null);
        assertEquals(List.of(3, 4, 1), c.find(range).sort(Sorts.ascending("a")).map(d -> d.getInteger("_id")).into(new ArrayList<>()));
    }

    @Test
    void sparseAndPartialIndexesAreUsedOnlyWhenTheyCannotMiss() {
        MongoCollection<Document> c = db("plan").getCollection("sparse");
        c.createIndex(Indexes.ascending("s"), new IndexOptions().sparse(true));
        c.createIndex(Indexes.ascending("p"), new IndexOptions().partialFilterExpression(doc("{k: true}")));
        c.insertMany(List.of(doc("{_id: 1, s: 1, p: 1, k: true}"), doc("{_id: 2, p: 1, k: false}"), doc("{_id: 3}")));
        // {s: null} matches documents without s, which the sparse index does not hold.
        assertEquals(List.of(2, 3), c.find(Filters.eq("s", null)).map(d -> d.getInteger("_id")).into(new ArrayList<>()));
        assertEquals("COLLSCAN", winning(explain(c, Filters.eq("s", null))).getString("stage"));
        assertEquals("s_1", stage(winning(explain(c, Filters.eq("s", 1))), "IXSCAN").getString("indexName"));
        // p: 1 without k: true would miss _id 2.
        assertEquals(List.of(1, 2), c.find(Filters.eq("p", 1)).map(d -> d.getInteger("_id")).into(new ArrayList<>()));
        assertEquals("COLLSCAN", winning(explain(c, Filters.eq("p", 1))).getString("stage"));
        Bson implied = Filters.and(Filters.eq("p", 1), Filters.eq("k", true));
        assertEquals("p_1", stage(winning(explain(c, implied)), "IXSCAN").getString("indexName"));
        assertEquals(List.of(1), c.find(implied).map(d -> d.getInteger("_id")).into(new ArrayList<>()));
        // A sort alone never picks a sparse index (it would drop documents without the field).
        Document sortOnly = c.find().sort(Sorts.ascending("s")).explain(ExplainVerbosity.QUERY_PLANNER);
        assertEquals(null, stage(winning(sortOnly), "IXSCAN"));
        assertEquals(3, c.find().sort(Sorts.ascending("s")).into(new ArrayList<>()).size());
    }

    @Test
    void hintsForceAPlanAndUnknownOnesAreRefused() {
        MongoCollection<Document> c = labelled(db("plan").getCollection("hint"), 1_000);
        c.createIndex(Indexes.ascending("label"));
        c.createIndex(Indexes.ascending("split"));
        Bson q = Filters.and(Filters.eq("label", "l3"), Filters.eq("split", "train"));
        Document byName = c.find(q).hintString("split_1").explain(ExplainVerbosity.EXECUTION_STATS);
        assertEquals("split_1", stage(winning(byName), "IXSCAN").getString("indexName"));
        Document byKey = c.find(q).hint(Indexes.ascending("split")).explain(ExplainVerbosity.EXECUTION_STATS);
        assertEquals("split_1", stage(winning(byKey), "IXSCAN").getString("indexName"));
        assertTrue(number(stats(byKey), "totalDocsExamined") > number(stats(explain(c, q)), "totalDocsExamined"));
        assertEquals(c.find(q).into(new ArrayList<>()), c.find(q).hintString("split_1").sort(Sorts.ascending("_id")).into(new ArrayList<>()));

        List<Integer> backward = c.find(Filters.lt("_id", 5)).hint(new Document("$natural", -1)).map(d -> d.getInteger("_id"))
                .into(new ArrayList<>());
        assertEquals(List.of(4, 3, 2, 1, 0), backward);

        MongoCommandException bad = assertThrows(MongoCommandException.class, () -> c.find(q).hintString("nope").first());
        assertEquals(2, bad.getErrorCode());
        assertEquals("BadValue", bad.getErrorCodeName());
        assertTrue(bad.getErrorMessage().contains("hint provided does not correspond to an existing index"), bad.getErrorMessage());
        MongoCommandException badKey = assertThrows(MongoCommandException.class,
                () -> c.countDocuments(q, new com.mongodb.client.model.CountOptions().hint(Indexes.ascending("zzz"))));
        assertEquals(2, badKey.getErrorCode());

        // The planner picks the index with the most equality fields over a less selective one.
        c.createIndex(Indexes.compoundIndex(Indexes.ascending("label"), Indexes.ascending("split")));
        Document e = explain(c, q);
        assertEquals("label_1_split_1", stage(winning(e), "IXSCAN").getString("indexName"));
        assertEquals(2, e.get("queryPlanner", Document.class).getList("rejectedPlans", Document.class).size());
    }

    /**
     * A sort opposite to the index order reads the index backward (no blocking sort, keys examined bounded by the
     * limit), {@code $natural: -1} and {@code _id} descending read the collection backward; the answers equal a
     * collection scan's sorted, on main, on a branch that changed the keys, at an older point and inside a
     * transaction that wrote keys of its own.
     */
    @Test
    void reverseTraversalServesTheOppositeSort() {
        MongoCollection<Document> c = labelled(db("plan").getCollection("reverse"), 3_000);
        c.createIndex(Indexes.ascending("score"));
        c.createIndex(Indexes.compoundIndex(Indexes.ascending("split"), Indexes.ascending("label"), Indexes.ascending("score")));
        Bson range = Filters.and(Filters.gt("score", 0.2), Filters.lte("score", 0.6));
        Bson desc = Sorts.descending("score");
        List<Object> expected = c.find(range).sort(desc).hint(new Document("$natural", 1)).map(d -> d.get("_id")).into(new ArrayList<>());
        assertEquals(1_200, expected.size());
        assertEquals(expected, c.find(range).sort(desc).map(d -> d.get("_id")).into(new ArrayList<>()));

        Document top = c.find(range).sort(desc).limit(15).explain(ExplainVerbosity.EXECUTION_STATS);
        assertNull(stage(winning(top), "SORT"), winning(top).toJson());
        Document ixscan = stage(winning(top), "IXSCAN");
        assertEquals("score_1", ixscan.getString("indexName"));
        assertEquals("backward", ixscan.getString("direction"));
        assertEquals(List.of("[0.6, 0.2)"), ixscan.get("indexBounds", Document.class).getList("score", String.class));
        assertEquals(15, number(stats(top), "nReturned"));
        assertTrue(number(stats(top), "totalKeysExamined") <= 15, stats(top).toJson());
        assertEquals(expected.subList(0, 15), c.find(range).sort(desc).limit(15).map(d -> d.get("_id")).into(new ArrayList<>()));

        // Points on a prefix ($in: several intervals), descending on the rest: intervals last first.
        Bson in = Filters.and(Filters.in("split", "train", "test"), Filters.in("label", "l7", "l3"));
        Bson order = Sorts.descending("split", "label", "score");
        List<Object> inExpected = c.find(in).sort(order).hint(new Document("$natural", 1)).map(d -> d.get("_id")).into(new ArrayList<>());
        assertEquals(inExpected, c.find(in).sort(order).map(d -> d.get("_id")).into(new ArrayList<>()));
        Document inPlan = c.find(in).sort(order).explain(ExplainVerbosity.QUERY_PLANNER);
        assertNull(stage(winning(inPlan), "SORT"), winning(inPlan).toJson());
        assertEquals("backward", stage(winning(inPlan), "IXSCAN").getString("direction"));

        // $natural: -1 and _id descending: the collection backward, not sorted.
        List<Object> all = c.find().hint(new Document("$natural", 1)).map(d -> d.get("_id")).into(new ArrayList<>());
        java.util.Collections.reverse(all);
        assertEquals(all, c.find().hint(new Document("$natural", -1)).map(d -> d.get("_id")).into(new ArrayList<>()));
        Document natural = c.find().hint(new Document("$natural", -1)).limit(5).explain(ExplainVerbosity.EXECUTION_STATS);
        assertNull(stage(winning(natural), "SORT"), winning(natural).toJson());
        assertEquals("backward", stage(winning(natural), "COLLSCAN").getString("direction"));
        assertEquals(5, number(stats(natural), "totalDocsExamined"));
        assertEquals(all, c.find().sort(Sorts.descending("_id")).map(d -> d.get("_id")).into(new ArrayList<>()));
        Document byId = c.find(Filters.lt("_id", 100)).sort(Sorts.descending("_id")).limit(3).explain(ExplainVerbosity.EXECUTION_STATS);
        assertNull(stage(winning(byId), "SORT"), winning(byId).toJson());
        assertEquals("backward", stage(winning(byId), "IXSCAN").getString("direction"));
        assertEquals(List.of(99, 98, 97), c.find(Filters.lt("_id", 100)).sort(Sorts.descending("_id")).limit(3)
                .map(d -> d.get("_id")).into(new ArrayList<>()));

        // A branch that moved keys and deleted documents, and the point before it did.
        long before = admin("{argonStatus: 1}").getLong("headLsn");
        admin("{createBranch: 'plan-rev'}");
        MongoCollection<Document> br = db("plan~plan-rev").getCollection("reverse");
        br.updateMany(Filters.lt("score", 0.3), new Document("$set", new Document("score", 0.55)));
        br.deleteMany(Filters.gt("score", 0.58));
        br.insertOne(new Document("_id", -5).append("score", 0.41).append("split", "train").append("label", "l1"));
        for (MongoCollection<Document> view : List.of(br, db("plan~plan-rev@" + before).getCollection("reverse"))) {
            // Many documents now tie on score, and ties may come in any order: compare the scores in order and the ids as a set.
            List<Document> want = view.find(range).sort(desc).hint(new Document("$natural", 1)).into(new ArrayList<>());
            List<Document> got = view.find(range).sort(desc).into(new ArrayList<>());
            assertEquals(want.stream().map(d -> d.getDouble("score")).toList(), got.stream().map(d -> d.getDouble("score")).toList());
            assertEquals(new java.util.HashSet<>(want), new java.util.HashSet<>(got));
            assertEquals("backward", stage(winning(view.find(range).sort(desc).explain(ExplainVerbosity.QUERY_PLANNER)), "IXSCAN")
                    .getString("direction"));
        }
        assertEquals(expected, db("plan~plan-rev@" + before).getCollection("reverse").find(range).sort(desc)
                .map(d -> d.get("_id")).into(new ArrayList<>()));

        // Inside a transaction, the backward read sees the transaction's own keys merged in order.
        try (com.mongodb.client.ClientSession s = client.startSession()) {
            s.startTransaction();
            c.insertOne(s, new Document("_id", 10_001).append("score", 0.45017));
            c.deleteOne(s, Filters.eq("_id", expected.get(0)));
            List<Object> inTxn = c.find(s, range).sort(desc).map(d -> d.get("_id")).into(new ArrayList<>());
            List<Object> scanTxn = c.find(s, range).sort(desc).hint(new Document("$natural", 1)).map(d -> d.get("_id")).into(new ArrayList<>());
            assertEquals(scanTxn, inTxn, "a unique score each: one order");
            assertTrue(inTxn.contains(10_001) && !inTxn.contains(expected.get(0)), inTxn.toString());
            s.abortTransaction();
        }
    }

    /**
     * count whose filter the index bounds answer exactly counts keys (COUNT_SCAN, no document fetched), and
     * distinct on an indexed field reads one key per value (DISTINCT_SCAN); filters the bounds cannot answer
     * exactly (another field, a multikey index, NaN below every number) fetch and re-check as before. Every
     * answer equals the collection scan's, on main and on a branch.
     */
    @Test
    void countAndDistinctReadKeysWhenTheIndexAnswersExactly() {
        MongoCollection<Document> c = labelled(db("plan").getCollection("keys"), 4_000);
        c.insertMany(List.of(new Document("_id", -1).append("label", null).append("score", Double.NaN).append("tags", List.of("a", "b")),
                new Document("_id", -2).append("split", "train").append("score", -1.0).append("tags", "a")));
        c.createIndex(Indexes.ascending("label"));
        c.createIndex(Indexes.compoundIndex(Indexes.ascending("split"), Indexes.ascending("score")));
        c.createIndex(Indexes.ascending("score"));
        c.createIndex(Indexes.ascending("tags"));
        String[] exact = {"{label: 'l3'}", "{label: {$in: ['l3', 'l7', 'none']}}", "{split: 'train', score: {$gte: 0.2, $lt: 0.4}}",
            "{$and: [{split: 'test'}, {score: {$gt: 0.5}}]}", "{score: {$gte: -5, $lte: 0.1}}"};
        for (String q : exact) {
            Document cmd = doc("{count: 'keys'}").append("query", doc(q));
            int natural = db("plan").runCommand(Document.parse(cmd.toJson()).append("hint", new Document("$natural", 1))).getInteger("n");
            assertTrue(natural > 0, q);
            assertEquals(natural, db("plan").runCommand(cmd).getInteger("n"), q);
            Document e = db("plan").runCommand(new Document("explain", cmd).append("verbosity", "executionStats"));
            Document count = winning(e);
            assertEquals("COUNT", count.getString("stage"), q + " " + count.toJson());
            assertEquals("COUNT_SCAN", count.get("inputStage", Document.class).getString("stage"), q);
            assertEquals(0, number(stats(e), "totalDocsExamined"), q);
            assertEquals(natural, number(stats(e), "totalKeysExamined"), q);
            Document page = Document.parse(cmd.toJson()).append("skip", 2).append("limit", 5);
            assertEquals(Math.max(0, Math.min(5, natural - 2)), db("plan").runCommand(page).getInteger("n"), q);
        }
        // Not answered by the bounds alone: fetched and re-checked, still the same count.
        String[] fetched = {"{label: 'l3', split: 'test'}", "{score: {$lt: 0.3}}", "{tags: 'a'}", "{label: null}", "{label: {$ne: 'l3'}}"};
        for (String q : fetched) {
            Document cmd = doc("{count: 'keys'}").append("query", doc(q));
            int natural = db("plan").runCommand(Document.parse(cmd.toJson()).append("hint", new Document("$natural", 1))).getInteger("n");
            assertEquals(natural, db("plan").runCommand(cmd).getInteger("n"), q);
            Document e = db("plan").runCommand(new Document("explain", cmd).append("verbosity", "queryPlanner"));
            assertNotEquals("COUNT", winning(e).getString("stage"), q + " " + winning(e).toJson());
        }

        // distinct: one key per value, null (explicit or missing) once, the same values as a collection scan.
        for (String json : new String[] {"{distinct: 'keys', key: 'label'}", "{distinct: 'keys', key: 'label', query: {label: {$in: ['l1', 'l2', null]}}}",
            "{distinct: 'keys', key: 'split', query: {split: {$gte: 'tesa'}}}"}) {
            Document cmd = doc(json);
            List<Object> natural = db("plan").runCommand(Document.parse(json).append("hint", new Document("$natural", 1))).getList("values", Object.class);
            assertEquals(natural, db("plan").runCommand(cmd).getList("values", Object.class), json);
            Document e = db("plan").runCommand(new Document("explain", cmd).append("verbosity", "executionStats"));
            Document scan = stage(winning(e), "DISTINCT_SCAN");
            if (json.contains("null")) {
                assertNull(scan, "null is not answered by the bounds alone: " + winning(e).toJson());
                continue;
            }
            assertTrue(scan != null, json + " " + winning(e).toJson());
            assertTrue(number(stats(e), "totalDocsExamined") <= natural.size() + 1, json + " " + stats(e).toJson());
        }
        assertEquals(401, db("plan").runCommand(doc("{distinct: 'keys', key: 'label'}")).getList("values", Object.class).size());
        Document multikey = db("plan").runCommand(doc("{explain: {distinct: 'keys', key: 'tags'}}"));
        assertNull(stage(winning(multikey), "DISTINCT_SCAN"), winning(multikey).toJson());
        assertEquals(List.of("a", "b"), db("plan").runCommand(doc("{distinct: 'keys', key: 'tags'}")).getList("values", Object.class));

        // On a branch that changed labels: its own keys.
        admin("{createBranch: 'plan-keys'}");
        MongoCollection<Document> br = db("plan~plan-keys").getCollection("keys");
        br.updateMany(Filters.in("label", "l3", "l4"), new Document("$set", new Document("label", "z")));
        br.deleteMany(Filters.eq("label", "l5"));
        Document brCount = db("plan~plan-keys").runCommand(doc("{count: 'keys', query: {label: {$in: ['l3', 'z', 'l5']}}}"));
        assertEquals(20, brCount.getInteger("n"));
        List<Object> brNatural = db("plan~plan-keys").runCommand(doc("{distinct: 'keys', key: 'label', hint: {$natural: 1}}")).getList("values", Object.class);
        assertEquals(brNatural, db("plan~plan-keys").runCommand(doc("{distinct: 'keys', key: 'label'}")).getList("values", Object.class));
        assertEquals(399, brNatural.size()); // 400 labels and null, less l3, l4 and l5, plus z
        assertEquals(10, db("plan").runCommand(doc("{count: 'keys', query: {label: 'l5'}}")).getInteger("n"));
    }

    /**
     * A plain {@code $project} after the pushed stages runs in the plan (explain PROJECTION_SIMPLE or
     * PROJECTION_DEFAULT) with the documents the stage gives; other forms stay in the pipeline.
     */
    @Test
    void aggregatePushesAPlainProjectIntoThePlan() {
        MongoCollection<Document> c = labelled(db("plan").getCollection("proj"), 1_000);
        c.insertOne(new Document("_id", -1).append("label", "l1").append("nested", new Document("x", 1).append("y", List.of(1, 2))));
        c.createIndex(Indexes.ascending("label"));
        for (String project : new String[] {"{label: 1, score: 1}", "{_id: 0, split: 1, nested: 1}", "{score: 0, nested: 0}", "{_id: 0}",
            "{label: true, _id: false}"}) {
            List<Document> pushed = c.aggregate(List.of(doc("{$match: {label: 'l1'}}"), doc("{$sort: {score: -1}}"),
                    doc("{$project: " + project + "}"))).into(new ArrayList<>());
            // $expr keeps every stage in the pipeline: the stage's own answer.
            List<Document> staged = c.aggregate(List.of(doc("{$match: {label: 'l1', $expr: {$eq: [1, 1]}}}"), doc("{$sort: {score: -1}}"),
                    doc("{$project: " + project + "}"))).into(new ArrayList<>());
            assertEquals(11, staged.size(), project);
            assertEquals(staged.stream().map(Document::toJson).toList(), pushed.stream().map(Document::toJson).toList(), project);
        }
        Document simple = db("plan").runCommand(doc("{explain: {aggregate: 'proj', pipeline: [{$match: {label: 'l1'}}, {$project: {label: 1}}], cursor: {}}}"));
        assertFalse(simple.containsKey("stages"), simple.toJson());
        assertEquals("PROJECTION_SIMPLE", winning(simple).getString("stage"), simple.toJson());
        assertEquals("label_1", stage(winning(simple), "IXSCAN").getString("indexName"));
        Document exclusion = db("plan").runCommand(doc("{explain: {aggregate: 'proj', pipeline: [{$match: {label: 'l1'}}, {$project: {score: 0}}], cursor: {}}}"));
        assertEquals("PROJECTION_DEFAULT", winning(exclusion).getString("stage"), exclusion.toJson());
        // An expression or a dotted path stays a pipeline stage after the $cursor.
        Document kept = db("plan").runCommand(doc("{explain: {aggregate: 'proj', pipeline: [{$match: {label: 'l1'}}, {$project: {'nested.x': 1}}], cursor: {}}}"));
        assertTrue(kept.containsKey("stages"), kept.toJson());
        assertEquals(List.of(new Document("_id", -1).append("nested", new Document("x", 1))),
                c.aggregate(List.of(doc("{$match: {_id: -1}}"), doc("{$project: {'nested.x': 1}}"))).into(new ArrayList<>()));
    }

    /** find's min/max bound the hinted index's keys (min inclusive, max exclusive), with mongod's errors. */
    @Test
    void minAndMaxBoundTheHintedIndex() {
        MongoCollection<Document> c = labelled(db("plan").getCollection("minmax"), 1_000);
        c.createIndex(Indexes.compoundIndex(Indexes.ascending("split"), Indexes.descending("score")));
        c.createIndex(Indexes.ascending("label"));
        Document min = new Document("split", "test").append("score", 0.5);
        Document max = new Document("split", "train").append("score", 0.9);
        List<Document> got = c.find().hintString("split_1_score_-1").min(min).max(max).into(new ArrayList<>());
        // In the index's order: test with score <= 0.5 (descending from 0.5), then train with score > 0.9.
        Bson same = Filters.or(Filters.and(Filters.eq("split", "test"), Filters.lte("score", 0.5)),
                Filters.and(Filters.eq("split", "train"), Filters.gt("score", 0.9)));
        List<Document> expected = c.find(same).sort(Sorts.orderBy(Sorts.ascending("split"), Sorts.descending("score")))
                .hint(new Document("$natural", 1)).into(new ArrayList<>());
        assertEquals(expected.size(), got.size());
        assertEquals(expected.stream().map(d -> d.get("score")).toList(), got.stream().map(d -> d.get("score")).toList());
        Document e = c.find().hintString("split_1_score_-1").min(min).max(max).explain(ExplainVerbosity.EXECUTION_STATS);
        assertEquals("split_1_score_-1", stage(winning(e), "IXSCAN").getString("indexName"));
        assertEquals(expected.size(), number(stats(e), "totalDocsExamined"));
        // The filter still applies; an open end reads to the index's edge.
        List<Document> filtered = c.find(Filters.eq("label", "l7")).hint(Indexes.ascending("label"))
                .max(new Document("label", "l70")).into(new ArrayList<>());
        assertEquals(c.countDocuments(Filters.eq("label", "l7")), filtered.size());
        assertEquals(0, c.find().hint(Indexes.ascending("label")).min(new Document("label", "l99x")).into(new ArrayList<>()).size());

        MongoCommandException noHint = assertThrows(MongoCommandException.class, () -> c.find().min(min).first());
        assertEquals(51173, noHint.getErrorCode());
        MongoCommandException natural = assertThrows(MongoCommandException.class,
                () -> c.find().hint(new Document("$natural", 1)).max(max).first());
        assertEquals(51173, natural.getErrorCode());
        MongoCommandException wrongFields = assertThrows(MongoCommandException.class,
                () -> c.find().hintString("split_1_score_-1").min(new Document("score", 0.5)).first());
        assertEquals(51174, wrongFields.getErrorCode());
        MongoCommandException reversed = assertThrows(MongoCommandException.class,
                () -> c.find().hintString("split_1_score_-1").min(max).max(min).first());
        assertEquals(51175, reversed.getErrorCode());
        assertEquals("Location51175", reversed.getErrorCodeName());
        assertEquals(1_000, c.countDocuments(), "refused queries change nothing");

        // The _id index (by key pattern or by name): min inclusive, max exclusive, in _id order.
        List<Object> ids = c.find().hint(new Document("_id", 1)).min(new Document("_id", 10)).max(new Document("_id", 15))
                .into(new ArrayList<>()).stream().map(d -> d.get("_id")).toList();
        assertEquals(List.of(10, 11, 12, 13, 14), ids);
        assertEquals(990, c.find().hintString("_id_").min(new Document("_id", 10)).into(new ArrayList<>()).size());
        assertEquals(51174, assertThrows(MongoCommandException.class,
                () -> c.find().hintString("_id_").min(new Document("score", 1)).first()).getErrorCode());
        assertEquals(51175, assertThrows(MongoCommandException.class,
                () -> c.find().hintString("_id_").min(new Document("_id", 5)).max(new Document("_id", 5)).first()).getErrorCode());
    }

    @Test
    void explainCoversCountDistinctWritesAndAggregate() {
        MongoCollection<Document> c = labelled(db("plan").getCollection("cmds"), 1_000);
        c.createIndex(Indexes.ascending("label"));
        for (String json : new String[] {
            "{count: 'cmds', query: {label: 'l1'}}",
            "{distinct: 'cmds', key: 'split', query: {label: 'l1'}}",
            "{update: 'cmds', updates: [{q: {label: 'l1'}, u: {$set: {x: 1}}, multi: true}]}",
            "{delete: 'cmds', deletes: [{q: {label: 'l1'}, limit: 0}]}",
            "{findAndModify: 'cmds', query: {label: 'l1'}, update: {$set: {x: 1}}}",
            "{aggregate: 'cmds', pipeline: [{$match: {label: 'l1'}}, {$group: {_id: '$split'}}], cursor: {}}"}) {
            Document e = db("plan").runCommand(new Document("explain", doc(json)).append("verbosity", "executionStats"));
            Document planner = e.containsKey("stages")
                    ? e.getList("stages", Document.class).get(0).get("$cursor", Document.class).get("queryPlanner", Document.class)
                    : e.get("queryPlanner", Document.class);
            // A count the index answers exactly reads keys only (COUNT_SCAN); the rest fetch through an IXSCAN.
            String scan = json.startsWith("{count") ? "COUNT_SCAN" : "IXSCAN";
            Document tree = planner.get("winningPlan", Document.class);
            assertEquals("label_1", stage(tree, scan).getString("indexName"), json);
            Document st = e.containsKey("stages")
                    ? e.getList("stages", Document.class).get(0).get("$cursor", Document.class).get("executionStats", Document.class)
                    : stats(e);
            assertTrue(number(st, "totalDocsExamined") <= 100, json + " " + st.toJson());
        }
        // Explaining a write changes nothing.
        assertEquals(0, c.countDocuments(Filters.exists("x")));
        assertEquals(10, c.countDocuments(Filters.eq("label", "l1")));
        // The aggregate itself runs through the index too, with the same answer.
        assertEquals(2, c.aggregate(List.of(doc("{$match: {label: 'l1'}}"), doc("{$group: {_id: '$split'}}"))).into(new ArrayList<>()).size());
        Document qp = db("plan").runCommand(doc("{explain: {find: 'cmds', filter: {label: 'l2'}}, verbosity: 'queryPlanner'}"));
        assertFalse(qp.containsKey("executionStats"));
        Document all = db("plan").runCommand(doc("{explain: {find: 'cmds', filter: {label: 'l2'}}}"));
        assertTrue(stats(all).containsKey("allPlansExecution"));
        MongoCommandException bad = assertThrows(MongoCommandException.class,
                () -> db("plan").runCommand(doc("{explain: {find: 'cmds'}, verbosity: 'loud'}")));
        assertEquals(2, bad.getErrorCode());
    }

    @Test
    void everyBranchAndTimeTravelViewReadsItsOwnIndexes() {
        MongoCollection<Document> main = labelled(db("planbr").getCollection("c"), 2_000);
        main.createIndex(Indexes.ascending("label"));
        long beforeDrop = admin("{argonStatus: 1}").getLong("headLsn");
        admin("{createBranch: 'plan-exp'}");
        MongoCollection<Document> exp = db("planbr~plan-exp").getCollection("c");
        Bson q = Filters.eq("label", "l5");
        exp.dropIndex("label_1");
        exp.createIndex(Indexes.ascending("split"));
        exp.updateMany(Filters.eq("label", "l5"), new Document("$set", new Document("label", "moved")));
        main.insertOne(new Document("_id", -1).append("label", "l5").append("split", "train"));

        assertEquals("COLLSCAN", winning(explain(exp, q)).getString("stage"));
        assertEquals(0, exp.countDocuments(q));
        Bson bySplit = Filters.and(Filters.eq("split", "test"), Filters.eq("label", "moved"));
        assertEquals("split_1", stage(winning(explain(exp, bySplit)), "IXSCAN").getString("indexName"));
        assertEquals(exp.find(bySplit).hint(new Document("$natural", 1)).into(new ArrayList<>()), exp.find(bySplit).into(new ArrayList<>()));

        Document onMain = explain(main, q);
        assertEquals("label_1", stage(winning(onMain), "IXSCAN").getString("indexName"));
        assertEquals(11, number(stats(onMain), "nReturned"));
        assertEquals(11, number(stats(onMain), "totalDocsExamined"));

        MongoCollection<Document> past = db("planbr~main@" + beforeDrop).getCollection("c");
        Document then = explain(past, q);
        assertEquals("label_1", stage(winning(then), "IXSCAN").getString("indexName"));
        assertEquals(10, number(stats(then), "totalKeysExamined"));
        assertEquals(past.find(q).hint(new Document("$natural", 1)).into(new ArrayList<>()), past.find(q).into(new ArrayList<>()));
        MongoCollection<Document> expPast = db("planbr~plan-exp@" + beforeDrop).getCollection("c");
        assertEquals(10, expPast.countDocuments(q));
    }

    /**
     * {@code null} and {@code $in} with null read the null key, which missing fields and array elements without the
     * path also have, and no empty array; {@code $exists: true} reads a sparse index. Each examines only its matches.
     */
    @Test
    void nullAndExistsReadOnlyTheKeysThatCanMatch() {
        MongoCollection<Document> c = db("plan").getCollection("nulls");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            Document d = new Document("_id", i);
            switch (i % 100) {
                case 0 -> { } // no a
                case 1 -> d.append("a", null);
                case 2 -> d.append("a", List.of());
                case 3 -> d.append("a", java.util.Arrays.asList(null, 5));
                default -> d.append("a", i);
            }
            d.append("n", i % 50 == 0 ? List.of(new Document("b", 1), new Document("c", 2)) : new Document("b", i + 1_000));
            if (i % 200 == 0) {
                d.append("s", i);
            }
            docs.add(d);
        }
        c.insertMany(docs);
        c.createIndex(Indexes.ascending("a"));
        c.createIndex(Indexes.ascending("n.b"));
        c.createIndex(Indexes.ascending("s"), new IndexOptions().sparse(true));

        Bson isNull = Filters.eq("a", null);
        List<Document> expected = c.find(isNull).hint(new Document("$natural", 1)).into(new ArrayList<>());
        assertEquals(30, expected.size());
        assertEquals(expected, c.find(isNull).into(new ArrayList<>()));
        Document e = explain(c, isNull);
        Document ix = stage(winning(e), "IXSCAN");
        assertEquals("a_1", ix.getString("indexName"));
        assertEquals(List.of("[null, null]"), ix.get("indexBounds", Document.class).getList("a", String.class));
        assertEquals(30, number(stats(e), "totalDocsExamined"), "the empty arrays are not under the null key");

        Bson in = Filters.in("a", null, 7);
        // The index yields null's documents before 7's: compare as sets.
        assertEquals(new java.util.HashSet<>(c.find(in).hint(new Document("$natural", 1)).into(new ArrayList<>())),
                new java.util.HashSet<>(c.find(in).into(new ArrayList<>())));
        assertEquals(31, number(stats(explain(c, in)), "totalDocsExamined"));

        Bson nested = Filters.eq("n.b", null);
        List<Document> nestedExpected = c.find(nested).hint(new Document("$natural", 1)).into(new ArrayList<>());
        assertEquals(20, nestedExpected.size(), "each array has an element without b");
        assertEquals(nestedExpected, c.find(nested).into(new ArrayList<>()));
        Document ne = explain(c, nested);
        assertEquals("n.b_1", stage(winning(ne), "IXSCAN").getString("indexName"));
        assertEquals(20, number(stats(ne), "totalDocsExamined"));

        Bson exists = Filters.exists("s");
        assertEquals(c.find(exists).hint(new Document("$natural", 1)).into(new ArrayList<>()), c.find(exists).into(new ArrayList<>()));
        Document xe = explain(c, exists);
        assertEquals("s_1", stage(winning(xe), "IXSCAN").getString("indexName"));
        assertEquals(5, number(stats(xe), "totalDocsExamined"));
        // Documents without s are not in the sparse index: these must scan the collection.
        assertEquals("COLLSCAN", winning(explain(c, Filters.exists("s", false))).getString("stage"));
        assertEquals(995, c.countDocuments(Filters.exists("s", false)));
        assertEquals("COLLSCAN", winning(explain(c, Filters.in("s", null, 0))).getString("stage"));
        assertEquals(996, c.countDocuments(Filters.in("s", null, 0)));
    }

    /** Random documents (arrays, nesting, mixed types, missing fields) and filters: index plans answer as scans do. */
    @Test
    void indexPlansAnswerAsCollectionScansDo() {
        MongoCollection<Document> c = db("plan").getCollection("fuzz");
        c.createIndex(Indexes.ascending("a"));
        c.createIndex(Indexes.compoundIndex(Indexes.ascending("a"), Indexes.descending("b")));
        c.createIndex(Indexes.ascending("n.x"));
        c.createIndex(Indexes.descending("b"), new IndexOptions().sparse(true));
        c.createIndex(Indexes.ascending("n.x", "b"), new IndexOptions().sparse(true));
        Random r = new Random(42);
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            Document d = new Document("_id", i);
            if (r.nextInt(6) > 0) {
                d.append("a", value(r, 2));
            }
            if (r.nextInt(3) > 0) {
                d.append("b", value(r, 0)); // a scalar: {a: 1, b: -1} cannot index two arrays
            }
            if (r.nextBoolean()) {
                Object x = value(r, 1);
                int shape = r.nextInt(6);
                d.append("n", shape == 0 ? List.of(new Document("x", x), new Document("y", 1))
                        : shape == 1 ? List.of() : shape == 2 ? List.of(new Document("y", 2)) : new Document("x", x));
            }
            docs.add(d);
        }
        c.insertMany(docs);
        int indexed = 0;
        for (int i = 0; i < 300; i++) {
            Bson f = filter(r);
            List<Object> scan = c.find(f).hint(new Document("$natural", 1)).map(d -> d.get("_id")).into(new ArrayList<>());
            List<Object> planned = c.find(f).map(d -> d.get("_id")).into(new ArrayList<>());
            planned.sort((x, y) -> Integer.compare((Integer) x, (Integer) y));
            String json = f.toBsonDocument(BsonDocument.class, com.mongodb.MongoClientSettings.getDefaultCodecRegistry()).toJson();
            assertEquals(scan, planned, json);
            if (stage(winning(c.find(f).explain(ExplainVerbosity.QUERY_PLANNER)), "IXSCAN") != null) {
                indexed++;
            }
            Bson order = Sorts.orderBy(Sorts.descending("b"), Sorts.ascending("_id"));
            List<Object> sortedScan = c.find(f).sort(order).hint(new Document("$natural", 1)).map(d -> d.get("_id"))
                    .into(new ArrayList<>());
            assertEquals(sortedScan, c.find(f).sort(order).map(d -> d.get("_id")).into(new ArrayList<>()), json);
        }
        assertTrue(indexed > 100, "index plans chosen: " + indexed);
    }

    private static Object value(Random r, int depth) {
        switch (r.nextInt(depth > 0 ? 7 : 5)) {
            case 0:
                return r.nextInt(10);
            case 1:
                return r.nextInt(10) + 0.5;
            case 2:
                return r.nextInt(12) == 0 ? new org.bson.BsonRegularExpression("^s1") : "s" + r.nextInt(5) + (r.nextBoolean() ? "x" : "");
            case 3:
                return null;
            case 4:
                return (long) r.nextInt(10);
            case 5:
                List<Object> a = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    a.add(value(r, depth - 1));
                }
                return a;
            default:
                return new Document("x", value(r, depth - 1));
        }
    }

    private static Bson filter(Random r) {
        String field = new String[] {"a", "a", "b", "n.x"}[r.nextInt(4)];
        Object v = r.nextInt(4) == 0 ? "s" + r.nextInt(5) : (Object) r.nextInt(10);
        Object w = v instanceof String ? "s" + r.nextInt(5) : (Object) (r.nextInt(10) + 0.5);
        Bson one = switch (r.nextInt(14)) {
            case 0 -> Filters.eq(field, v);
            case 1 -> Filters.in(field, v, w, 3);
            case 2 -> Filters.and(Filters.gt(field, v), Filters.lte(field, w));
            case 3 -> Filters.gte(field, v);
            case 4 -> Filters.lt(field, w);
            case 5 -> Filters.and(Filters.gte(field, v), Filters.lt(field, w), Filters.ne(field, 4));
            case 6 -> Filters.regex(field, r.nextBoolean() ? "^s" + r.nextInt(5) : "^s1x?");
            case 7 -> Filters.elemMatch(field, new Document("$gt", v).append("$lt", w));
            case 8 -> Filters.elemMatch("n", Filters.and(Filters.gte("x", v), Filters.lte("x", w)));
            case 9 -> Filters.in(field, null, v);
            case 10 -> Filters.exists(field);
            case 11 -> Filters.exists(field, false);
            case 12 -> Filters.elemMatch("n", Filters.eq("x", null));
            default -> Filters.eq(field, null);
        };
        switch (r.nextInt(5)) {
            case 0:
                return Filters.and(one, Filters.gte("b", r.nextInt(10)));
            case 1:
                return Filters.or(one, Filters.eq(r.nextBoolean() ? "b" : "n.x", r.nextInt(10)));
            case 2:
                return Filters.and(Filters.lt("_id", 400), Filters.or(one, Filters.in("a", 1, "s2")));
            default:
                return one;
        }
    }

    @Test
    void writesUseIndexesAndChangeOnlyTheirTargets() {
        MongoCollection<Document> c = labelled(db("plan").getCollection("writes"), 2_000);
        c.createIndex(Indexes.ascending("label"));
        assertEquals(10, c.updateMany(Filters.eq("label", "l9"), new Document("$set", new Document("label", "l9x"))).getModifiedCount());
        assertEquals(0, c.countDocuments(Filters.eq("label", "l9")));
        assertEquals(10, c.countDocuments(Filters.eq("label", "l9x")));
        Document one = c.findOneAndUpdate(Filters.eq("label", "l9x"), new Document("$set", new Document("label", "one")),
                new com.mongodb.client.model.FindOneAndUpdateOptions().sort(Sorts.descending("_id")));
        assertNotEquals(null, one);
        assertEquals(1, c.countDocuments(Filters.eq("label", "one")));
        assertEquals(9, c.deleteMany(Filters.eq("label", "l9x")).getDeletedCount());
        assertEquals(1, c.deleteOne(Filters.eq("label", "one")).getDeletedCount());
        assertEquals(1_990, c.countDocuments());
    }

    @Test
    void aggregateHandsItsLeadingMatchSortSkipAndLimitToThePlan() {
        MongoCollection<Document> c = labelled(db("plan").getCollection("aggpush"), 3_000);
        c.createIndex(Indexes.compoundIndex(Indexes.ascending("split"), Indexes.descending("score")));
        List<Document> pipeline = List.of(doc("{$match: {split: 'test'}}"), doc("{$sort: {score: -1}}"), doc("{$skip: 2}"),
                doc("{$limit: 5}"), doc("{$project: {_id: 1, score: 1}}"));
        List<Document> planned = c.aggregate(pipeline).into(new ArrayList<>());
        List<Document> scanned = c.aggregate(pipeline).hint(new Document("$natural", 1)).into(new ArrayList<>());
        assertEquals(5, planned.size());
        assertEquals(scanned, planned);
        Document e = db("plan").runCommand(new Document("explain", new Document("aggregate", "aggpush").append("pipeline", pipeline)
                .append("cursor", new Document())).append("verbosity", "executionStats"));
        // Every stage runs in the plan, the plain $project too: no pipeline is left after the cursor.
        assertFalse(e.containsKey("stages"), e.toJson());
        Document plan = winning(e);
        assertEquals("PROJECTION_SIMPLE", plan.getString("stage"), plan.toJson());
        assertNull(stage(plan, "SORT"), plan.toJson());
        assertEquals(2, number(stage(plan, "SKIP"), "skipAmount"));
        assertEquals("split_1_score_-1", stage(plan, "IXSCAN").getString("indexName"));
        assertTrue(number(stats(e), "totalKeysExamined") <= 7, e.toJson());

        // A $limit before a $skip folds too; a $skip past the limit leaves nothing.
        assertEquals(c.find(Filters.eq("split", "test")).sort(Sorts.descending("score")).skip(3).limit(4).into(new ArrayList<>()),
                c.aggregate(List.of(doc("{$match: {split: 'test'}}"), doc("{$sort: {score: -1}}"), doc("{$limit: 7}"), doc("{$skip: 3}")))
                        .into(new ArrayList<>()));
        assertEquals(0, c.aggregate(List.of(doc("{$sort: {score: -1}}"), doc("{$limit: 3}"), doc("{$skip: 3}"))).into(new ArrayList<>()).size());
        // $expr keeps its $match in the pipeline and still filters.
        assertEquals(c.countDocuments(Filters.and(Filters.eq("split", "test"), Filters.gt("score", 0.5))),
                c.aggregate(List.of(doc("{$match: {split: 'test', $expr: {$gt: ['$score', 0.5]}}}"))).into(new ArrayList<>()).size());
    }

    @Test
    void lookupReadsTheForeignIndexWithTheSameAnswer() {
        MongoCollection<Document> orders = db("plan").getCollection("orders");
        MongoCollection<Document> items = db("plan").getCollection("items");
        orders.insertMany(List.of(doc("{_id: 1, sku: 'a'}"), doc("{_id: 2, sku: ['b', 'c']}"), doc("{_id: 3}"),
                doc("{_id: 4, sku: null}"), doc("{_id: 5, sku: 7}"), doc("{_id: 6, sku: 'zz'}")));
        items.insertMany(List.of(doc("{_id: 10, sku: 'a'}"), doc("{_id: 11, sku: ['a', 'b']}"), doc("{_id: 12, sku: 'c'}"),
                doc("{_id: 13}"), doc("{_id: 14, sku: 7.0}"), doc("{_id: 15, sku: {$numberLong: '7'}}"), doc("{_id: 9, sku: 'b'}")));
        List<Document> pipeline = List.of(doc("{$lookup: {from: 'items', localField: 'sku', foreignField: 'sku', as: 'hits'}}"),
                doc("{$sort: {_id: 1}}"));
        List<Document> scanned = orders.aggregate(pipeline).into(new ArrayList<>());
        items.createIndex(Indexes.ascending("sku"));
        List<Document> indexed = orders.aggregate(pipeline).into(new ArrayList<>());
        assertEquals(scanned, indexed);
        assertEquals(List.of(10, 11), indexed.get(0).getList("hits", Document.class).stream().map(d -> d.getInteger("_id")).toList());
        assertEquals(List.of(9, 11, 12), indexed.get(1).getList("hits", Document.class).stream().map(d -> d.getInteger("_id")).toList());
        assertEquals(List.of(14, 15), indexed.get(4).getList("hits", Document.class).stream().map(d -> d.getInteger("_id")).toList());
        assertEquals(List.of(), indexed.get(5).getList("hits", Document.class));
        // Only orders without a usable value (null, missing) fall back to a scan: the answer is the same.
        List<Document> onlyValues = orders.aggregate(List.of(doc("{$match: {_id: {$in: [1, 2, 5, 6]}}}"), pipeline.get(0))).into(new ArrayList<>());
        assertEquals(List.of(scanned.get(0), scanned.get(1), scanned.get(4), scanned.get(5)), onlyValues);
    }

    @Test
    void anchoredRegexScansOnlyItsPrefix() {
        MongoCollection<Document> c = labelled(db("plan").getCollection("regex"), 2_000);
        c.createIndex(Indexes.ascending("label"));
        Bson q = Filters.regex("label", "^l19");
        List<Document> expected = c.find(q).hint(new Document("$natural", 1)).into(new ArrayList<>());
        assertEquals(110, expected.size()); // l19 and l190..l199: 11 labels of 10 documents
        assertEquals(expected, c.find(q).sort(Sorts.ascending("_id")).into(new ArrayList<>()));
        Document e = explain(c, q);
        Document ixscan = stage(winning(e), "IXSCAN");
        assertEquals(List.of("[\"l19\", \"l1:\")", "[/^l19/, /^l19/]"), ixscan.get("indexBounds", Document.class).getList("label", String.class));
        assertEquals(110, number(stats(e), "totalDocsExamined"));
        // Unanchored, case-insensitive or multiline patterns have no prefix: a collection scan.
        for (Bson other : List.of(Filters.regex("label", "l19"), Filters.regex("label", "^l19", "i"), Filters.regex("label", "^l19", "m"))) {
            assertEquals("COLLSCAN", winning(explain(c, other)).getString("stage"));
        }
        // A stored regular expression with the same pattern matches too, through the index as without it.
        c.insertOne(new Document("_id", -5).append("label", new org.bson.BsonRegularExpression("^l19")));
        assertEquals(111, c.countDocuments(q));
        assertEquals(c.find(q).hint(new Document("$natural", 1)).into(new ArrayList<>()).size(), c.find(q).into(new ArrayList<>()).size());
    }

    @Test
    void orIsAUnionOfIndexScansWhenEveryClauseHasOne() {
        MongoCollection<Document> c = labelled(db("plan").getCollection("or"), 2_000);
        c.createIndex(Indexes.ascending("label"));
        c.createIndex(Indexes.ascending("score"));
        Bson q = Filters.or(Filters.eq("label", "l3"), Filters.lt("score", 0.01), Filters.eq("label", "l4"));
        List<Document> expected = c.find(q).hint(new Document("$natural", 1)).into(new ArrayList<>());
        assertEquals(expected, c.find(q).sort(Sorts.ascending("_id")).into(new ArrayList<>()));
        Document e = explain(c, q);
        Document or = stage(winning(e), "OR");
        assertTrue(or != null, winning(e).toJson());
        assertEquals(List.of("label_1", "score_1", "label_1"),
                or.getList("inputStages", Document.class).stream().map(d -> d.getString("indexName")).toList());
        assertEquals(expected.size(), number(stats(e), "nReturned"));
        assertTrue(number(stats(e), "totalDocsExamined") <= expected.size() + 10, stats(e).toJson());
        // One clause without an index: the union would need a scan anyway.
        Bson mixed = Filters.or(Filters.eq("label", "l3"), Filters.eq("split", "test"));
        assertEquals("COLLSCAN", winning(explain(c, mixed)).getString("stage"));
        assertEquals(c.find(mixed).hint(new Document("$natural", 1)).into(new ArrayList<>()), c.find(mixed).into(new ArrayList<>()));
    }

    @Test
    void elemMatchIntersectsBothEndsOnOneElement() {
        MongoCollection<Document> c = db("plan").getCollection("elem");
        c.createIndex(Indexes.ascending("a"));
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            docs.add(new Document("_id", i).append("a", List.of(i % 50, 100 + i % 50)));
        }
        c.insertMany(docs);
        Bson q = Filters.elemMatch("a", doc("{$gt: 10, $lt: 12}"));
        List<Document> expected = c.find(q).hint(new Document("$natural", 1)).into(new ArrayList<>());
        assertEquals(10, expected.size());
        assertEquals(expected, c.find(q).sort(Sorts.ascending("_id")).into(new ArrayList<>()));
        Document e = explain(c, q);
        assertTrue(stage(winning(e), "IXSCAN").getBoolean("isMultiKey"));
        assertEquals(10, number(stats(e), "totalDocsExamined"), "one element meets both ends: no multikey documents read");
        // Without $elemMatch both ends may be met by different elements: 100 + x > 10 and x < 12.
        Bson apart = Filters.and(Filters.gt("a", 10), Filters.lt("a", 12));
        assertEquals(120, c.countDocuments(apart));
        assertEquals(c.find(apart).hint(new Document("$natural", 1)).into(new ArrayList<>()), c.find(apart).sort(Sorts.ascending("_id")).into(new ArrayList<>()));
    }
}
