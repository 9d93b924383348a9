package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.ExplainVerbosity;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code explain} with verbosity {@code allPlansExecution} through the Java driver, mongosh and pymongo: every candidate
 * plan (the winner first) runs for the multi-planner's trial period, the same number of works each, until one has
 * returned 101 documents or reached its end, and its entry reports what it examined and returned in that period;
 * {@code executionStats} stays the winner's full run. A query with one candidate has an empty list, as on mongod.
 * Candidates the cost model scores alike are ranked by that trial, so the selective index wins whichever is older.
 */
class AllPlansExplainIT extends ArgonTestBase {
    private static final int N = 6000;
    private MongoCollection<Document> coll;
    private final List<Document> docs = new ArrayList<>();

    @BeforeAll
    void load() {
        coll = db("allplans").getCollection("c");
        for (int i = 0; i < N; i++) {
            // rare: 10 documents, the last ids; common: 5,000 documents, the 10 rare ones among its last.
            boolean rare = i >= N - 10;
            docs.add(new Document("_id", i).append("rare", rare ? 1 : 0).append("common", i < 4990 || rare ? 1 : 0)
                    .append("x", i % 4 == 0 ? 1 : 0).append("y", i % 2 == 0 ? 1 : 0).append("s", (i * 7919) % N));
        }
        coll.insertMany(docs);
        coll.createIndex(Indexes.ascending("rare"));
        coll.createIndex(Indexes.ascending("common"));
        coll.createIndex(Indexes.ascending("x"));
        coll.createIndex(Indexes.ascending("y"));
        coll.createIndex(Indexes.ascending("s"));
    }

    private Document explain(Bson filter, Bson sort) {
        return coll.find(filter).sort(sort).explain(ExplainVerbosity.ALL_PLANS_EXECUTIONS);
    }

    @SuppressWarnings("unchecked")
    private static List<Document> allPlans(Document explain) {
        List<Document> all = (List<Document>) explain.get("executionStats", Document.class).get("allPlansExecution");
        assertNotNull(all, explain.toJson());
        for (Document e : all) {
            assertEquals(Set.of("nReturned", "executionTimeMillisEstimate", "totalKeysExamined", "totalDocsExamined",
                    "executionStages"), e.keySet(), e.toJson());
        }
        return all;
    }

    /** The index an entry's stage tree reads. */
    private static String index(Document tree) {
        for (Document s = tree; s != null; s = s.get("inputStage", Document.class)) {
            if (s.containsKey("indexName")) {
                return s.getString("indexName");
            }
        }
        return null;
    }

    private static Document entry(List<Document> all, String index) {
        for (Document e : all) {
            if (index.equals(index(e.get("executionStages", Document.class)))) {
                return e;
            }
        }
        throw new AssertionError("no candidate reads " + index + ": " + all);
    }

    private static long num(Document d, String field) {
        return ((Number) d.get(field)).longValue();
    }

    /** Of the first {@code works} documents an index scan of {@code field = 1} meets (in _id order), those the filter matches. */
    private long matchesInFirst(String field, long works, java.util.function.Predicate<Document> filter) {
        return docs.stream().filter(d -> d.getInteger(field) == 1).limit(works).filter(filter).count();
    }

    @Test
    void theTrialEndsWhenTheSelectivePlanReachesItsEndAndEveryCandidateReportsItsOwnWorks() {
        Document e = explain(Filters.and(Filters.eq("rare", 1), Filters.eq("common", 1)), null);
        Document stats = e.get("executionStats", Document.class);
        List<Document> all = allPlans(e);
        assertEquals(2, all.size(), all.toString());
        String winner = index(e.get("queryPlanner", Document.class).get("winningPlan", Document.class));
        assertEquals("rare_1", winner);
        assertEquals(winner, index(all.get(0).get("executionStages", Document.class)), "the winner comes first");

        Document rare = entry(all, "rare_1");
        assertEquals(10, num(rare, "totalKeysExamined"));
        assertEquals(10, num(rare, "totalDocsExamined"));
        assertEquals(10, num(rare, "nReturned"));
        // The other index ran as many works (10 keys) and met none of the rare documents in them.
        Document common = entry(all, "common_1");
        assertEquals(10, num(common, "totalKeysExamined"));
        assertEquals(10, num(common, "totalDocsExamined"));
        assertEquals(matchesInFirst("common", 10, d -> d.getInteger("rare") == 1), num(common, "nReturned"));
        assertEquals(0, num(common, "nReturned"));
        assertEquals(0, common.get("executionStages", Document.class).getInteger("isEOF"), "cut off, not finished");
        // executionStats is the winner's whole run.
        assertEquals(10, num(stats, "nReturned"));
        assertEquals(10, num(stats, "totalKeysExamined"));
    }

    @Test
    void theTrialEndsAt101ResultsAndTheOtherCandidateShowsWhatItsEqualWorksFound() {
        Bson q = Filters.and(Filters.eq("x", 1), Filters.eq("y", 1));
        Document e = explain(q, null);
        List<Document> all = allPlans(e);
        assertEquals(2, all.size(), all.toString());
        Document x = entry(all, "x_1");
        assertEquals(101, num(x, "nReturned"));
        assertEquals(101, num(x, "totalKeysExamined"));
        Document y = entry(all, "y_1");
        assertEquals(101, num(y, "totalKeysExamined"));
        assertEquals(101, num(y, "totalDocsExamined"));
        long expected = matchesInFirst("y", 101, d -> d.getInteger("x") == 1);
        assertEquals(expected, num(y, "nReturned"));
        assertTrue(expected < 101);
        Document stats = e.get("executionStats", Document.class);
        assertEquals(N / 4, num(stats, "nReturned"), "executionStats ran the winner to its end");
        assertEquals(coll.countDocuments(q), num(stats, "nReturned"));
    }

    @Test
    void aCandidateWhoseBlockingSortIsCutOffReturnsNothingInTheTrial() {
        Document e = explain(Filters.and(Filters.eq("rare", 1), Filters.eq("common", 1)), Sorts.ascending("s"));
        List<Document> all = allPlans(e);
        assertEquals(3, all.size(), all.toString());
        // s_1 serves the sort without bounds: its 10 works read the 10 smallest s, none of them a rare one.
        Document s = entry(all, "s_1");
        assertEquals(10, num(s, "totalKeysExamined"));
        // common_1 needs a blocking sort, which returns nothing before its input ends.
        Document common = entry(all, "common_1");
        assertEquals(0, num(common, "nReturned"));
        assertEquals(10, num(common, "totalKeysExamined"));
        assertEquals("SORT", common.get("executionStages", Document.class).getString("stage"));
        assertEquals(10, num(entry(all, "rare_1"), "nReturned"));
    }

    @Test
    void oneCandidateHasNoTrial() {
        Document e = explain(Filters.eq("rare", 1), null);
        assertEquals(List.of(), allPlans(e));
        Document hinted = coll.find(Filters.and(Filters.eq("rare", 1), Filters.eq("common", 1))).hint(new Document("common", 1))
                .explain(ExplainVerbosity.ALL_PLANS_EXECUTIONS);
        assertEquals(List.of(), allPlans(hinted));
        Document plain = coll.find(Filters.and(Filters.eq("rare", 1), Filters.eq("common", 1))).explain(ExplainVerbosity.EXECUTION_STATS);
        assertTrue(!plain.get("executionStats", Document.class).containsKey("allPlansExecution"));
    }

    @Test
    void aTieInTheCostModelGoesToTheCandidateTheTrialFavours() {
        // common_1 is the older index here, which the cost model alone would prefer among two equalities.
        MongoCollection<Document> c = db("allplans").getCollection("tie");
        c.createIndex(Indexes.ascending("common"));
        c.createIndex(Indexes.ascending("rare"));
        c.insertMany(docs);
        Bson q = Filters.and(Filters.eq("rare", 1), Filters.eq("common", 1));
        Document e = c.find(q).explain(ExplainVerbosity.EXECUTION_STATS);
        assertEquals("rare_1", index(e.get("queryPlanner", Document.class).get("winningPlan", Document.class)));
        assertEquals("common_1", index(e.get("queryPlanner", Document.class).getList("rejectedPlans", Document.class).get(0)));
        assertEquals(10, num(e.get("executionStats", Document.class), "totalKeysExamined"));
        assertEquals(10, c.countDocuments(q));
        assertEquals(c.find(q).hint(new Document("$natural", 1)).into(new ArrayList<>()), c.find(q).into(new ArrayList<>()));
    }

    @Test
    void mongoshShowsEveryCandidatesTrial() throws Exception {
        ExternalClient.require(ExternalClient.mongoshPresent(), "mongosh (npm package mongosh)");
        String out = ExternalClient.run(List.of(ExternalClient.NODE_MODULES.resolve(".bin/mongosh").toString(), "--quiet", "--norc",
                uri() + "xallplans", "--file", "allplans.mongosh.js"));
        ExternalClient.assertOk(out, "mongosh-allplans");
    }

    @Test
    void pymongoShowsEveryCandidatesTrialAndTheTieGoesToTheSelectiveIndex() throws Exception {
        ExternalClient.require(ExternalClient.pymongoPresent(), "pymongo (Debian package python3-pymongo)");
        String out = ExternalClient.run(List.of("/usr/bin/python3", "allplans.py", uri(), "xallplanspy"));
        ExternalClient.assertOk(out, "pymongo-allplans");
    }
}
