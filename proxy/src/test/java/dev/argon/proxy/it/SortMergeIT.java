package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.ExplainVerbosity;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SORT_MERGE through the Java driver: an {@code $or} whose every clause has an index whose order serves the sort
 * merges the clauses' index scans in sort order (no blocking sort) and returns what a collection scan with a
 * blocking sort returns, on random data; explain shows {@code SORT_MERGE} over the clauses' {@code IXSCAN}s; a
 * clause whose index does not serve the sort keeps the union and the {@code SORT}.
 */
class SortMergeIT extends ArgonTestBase {
    private static final int N = 3000;
    private MongoCollection<Document> coll;

    @BeforeAll
    void load() {
        coll = db("merge").getCollection("c");
        Random rnd = new Random(20261201);
        List<Integer> perm = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            perm.add(i);
        }
        Collections.shuffle(perm, rnd);
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            // s is unique (ties have no order MongoDB specifies); one in a hundred is a string, which sorts after numbers.
            Object s = i % 100 == 7 ? "s" + perm.get(i) : (Object) (perm.get(i) * 1.5);
            docs.add(new Document("_id", i).append("a", rnd.nextInt(30)).append("b", rnd.nextInt(30))
                    .append("c", rnd.nextDouble()).append("s", s));
        }
        coll.insertMany(docs);
        coll.createIndex(Indexes.compoundIndex(Indexes.ascending("a"), Indexes.ascending("s")));
        coll.createIndex(Indexes.compoundIndex(Indexes.ascending("b"), Indexes.descending("s")));
        coll.createIndex(Indexes.ascending("c"));
    }

    private static Document winning(Document explain) {
        return explain.get("queryPlanner", Document.class).get("winningPlan", Document.class);
    }

    /** The first stage with that name down the tree's inputStage chain, or null. */
    private static Document stage(Document tree, String name) {
        for (Document s = tree; s != null; s = s.get("inputStage", Document.class)) {
            if (name.equals(s.getString("stage"))) {
                return s;
            }
        }
        return null;
    }

    private List<Document> collScan(Bson q, Bson sort, int limit) {
        FindIterable<Document> f = coll.find(q).sort(sort).hint(new Document("$natural", 1));
        return (limit > 0 ? f.limit(limit) : f).into(new ArrayList<>());
    }

    private List<Document> planned(Bson q, Bson sort, int limit) {
        FindIterable<Document> f = coll.find(q).sort(sort);
        return (limit > 0 ? f.limit(limit) : f).into(new ArrayList<>());
    }

    @Test
    void randomOrsMergeInSortOrderAndMatchTheCollectionScan() {
        Random rnd = new Random(99);
        int merged = 0;
        for (int round = 0; round < 30; round++) {
            List<Bson> clauses = new ArrayList<>();
            int n = 2 + rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
                clauses.add(switch (rnd.nextInt(3)) {
                    case 0 -> Filters.eq("a", rnd.nextInt(30));
                    case 1 -> Filters.eq("b", rnd.nextInt(30));
                    default -> Filters.and(Filters.eq("a", rnd.nextInt(30)), Filters.eq("b", rnd.nextInt(30)));
                });
            }
            Bson q = Filters.or(clauses);
            Bson sort = rnd.nextBoolean() ? Sorts.ascending("s") : Sorts.descending("s");
            int limit = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(20) : 0;
            List<Document> expected = collScan(q, sort, limit);
            assertEquals(expected, planned(q, sort, limit), "round " + round);
            Document plan = winning(coll.find(q).sort(sort).explain(ExplainVerbosity.QUERY_PLANNER));
            assertNull(stage(plan, "SORT"), plan.toJson());
            Document sm = stage(plan, "SORT_MERGE");
            assertNotNull(sm, plan.toJson());
            assertEquals(n, sm.getList("inputStages", Document.class).size());
            merged++;
        }
        assertEquals(30, merged);
    }

    @Test
    void explainShowsSortMergeOverTheClausesIndexScans() {
        Bson q = Filters.or(Filters.eq("a", 3), Filters.eq("b", 4));
        Document e = coll.find(q).sort(Sorts.ascending("s")).explain(ExplainVerbosity.EXECUTION_STATS);
        Document plan = winning(e);
        assertEquals("FETCH", plan.getString("stage"), plan.toJson());
        Document sm = plan.get("inputStage", Document.class);
        assertEquals("SORT_MERGE", sm.getString("stage"));
        assertEquals(new Document("s", 1), sm.get("sortPattern", Document.class));
        List<Document> inputs = sm.getList("inputStages", Document.class);
        assertEquals(List.of("IXSCAN", "IXSCAN"), inputs.stream().map(d -> d.getString("stage")).toList());
        assertEquals(List.of("a_1_s_1", "b_1_s_-1"), inputs.stream().map(d -> d.getString("indexName")).toList());
        // The second clause's index runs s descending: read backward for an ascending sort.
        assertEquals(List.of("forward", "backward"), inputs.stream().map(d -> d.getString("direction")).toList());
        long union = coll.countDocuments(q);
        Document stats = e.get("executionStats", Document.class);
        assertEquals(union, ((Number) stats.get("nReturned")).longValue());
        // Under a limit the merge stops early: about limit + one head per clause documents read, not the union.
        Document limited = coll.find(q).sort(Sorts.ascending("s")).limit(5).explain(ExplainVerbosity.EXECUTION_STATS)
                .get("executionStats", Document.class);
        assertTrue(union > 100, "union " + union);
        assertTrue(((Number) limited.get("totalDocsExamined")).longValue() <= 5 + 2 + 2, limited.toJson());
    }

    @Test
    void aClauseWhoseIndexDoesNotServeTheSortKeepsTheUnionAndTheSort() {
        Bson q = Filters.or(Filters.eq("a", 3), Filters.lt("c", 0.02));
        Bson sort = Sorts.ascending("s");
        Document plan = winning(coll.find(q).sort(sort).explain(ExplainVerbosity.QUERY_PLANNER));
        assertNotNull(stage(plan, "SORT"), plan.toJson());
        assertNull(stage(plan, "SORT_MERGE"), plan.toJson());
        assertEquals(collScan(q, sort, 0), planned(q, sort, 0));
        // Without a sort an $or stays a plain union.
        assertNotNull(stage(winning(coll.find(Filters.or(Filters.eq("a", 3), Filters.eq("b", 4)))
                .explain(ExplainVerbosity.QUERY_PLANNER)), "OR"));
    }
}
