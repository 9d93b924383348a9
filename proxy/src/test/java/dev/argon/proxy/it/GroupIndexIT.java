package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Indexes;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code $group} after a {@code $sort} on its {@code _id} field: the group streams (one run of equal sort keys at a
 * time, so its memory is one group's, not all of them: it passes a group memory limit the same pipeline without
 * the sort fails with 292), the index serves the sort (IXSCAN, no blocking SORT), and a group that takes only
 * {@code $first} of sort fields reads one document per value (DISTINCT_SCAN). Results are those of the same pipeline
 * run without any of it (a collection scan, a blocking sort and a hashed group), on random pipelines and data.
 */
class GroupIndexIT extends ArgonTestBase {
    private static final int N = 4000;
    private static final long DEFAULT = 100L * 1024 * 1024;
    /** Documents (each its own group) of the streaming test; {@code -Dargon.group.docs=1000000} for a million. */
    private static final int BIG = Integer.getInteger("argon.group.docs", 100_000);
    private MongoCollection<Document> coll;
    private MongoCollection<Document> arrays;

    @BeforeAll
    void load() {
        coll = db("grp").getCollection("c");
        arrays = db("grp").getCollection("arrays");
        Random rnd = new Random(20261203);
        List<Document> docs = new ArrayList<>();
        List<Document> withArrays = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            Document d = new Document("_id", i);
            int shape = rnd.nextInt(20);
            if (shape == 0) {
                d.append("a", null);
            } else if (shape == 1) {
                d.append("a", "s" + rnd.nextInt(5));
            } else if (shape > 2) {
                d.append("a", rnd.nextInt(60)); // shape 2: no a at all
            }
            d.append("f", rnd.nextInt(1000)).append("g", rnd.nextInt(7));
            docs.add(d);
            Document e = new Document("_id", i).append("g", rnd.nextInt(7));
            // Arrays sort by their smallest (or largest) element, so [1, 5] ties with 1 but groups apart from it.
            e.append("a", rnd.nextInt(4) == 0 ? List.of(rnd.nextInt(6), rnd.nextInt(6)) : rnd.nextInt(6));
            withArrays.add(e);
        }
        coll.insertMany(docs);
        arrays.insertMany(withArrays);
        coll.createIndex(Indexes.compoundIndex(Indexes.ascending("a"), Indexes.ascending("f")));
        coll.createIndex(Indexes.descending("g"));
        arrays.createIndex(Indexes.ascending("a"));
    }

    @AfterEach
    void defaults() {
        db("admin").runCommand(new Document("setParameter", 1).append("internalDocumentSourceGroupMaxMemoryBytes", DEFAULT));
    }

    private static List<Document> pipeline(String... stages) {
        List<Document> out = new ArrayList<>();
        for (String s : stages) {
            out.add(Document.parse(s));
        }
        return out;
    }

    /** The pipeline as it runs (pushed down, streamed). */
    private static List<Document> run(MongoCollection<Document> c, List<Document> p) {
        return c.aggregate(p).into(new ArrayList<>());
    }

    /**
     * The oracle: a collection scan and an empty $match after the sort, which keeps the $group away from the
     * sorted input (a blocking sort, then a hashed group).
     */
    private static List<Document> plain(MongoCollection<Document> c, List<Document> p) {
        List<Document> barrier = new ArrayList<>(p);
        int group = 0;
        while (!barrier.get(group).containsKey("$group")) {
            group++;
        }
        barrier.add(group, new Document("$match", new Document()));
        return c.aggregate(barrier).hint(new Document("$natural", 1)).into(new ArrayList<>());
    }

    @Test
    void randomSortedGroupsGiveThePlainPipelinesAnswer() {
        Random rnd = new Random(11);
        String[] accumulators = {"n: {$sum: 1}", "s: {$sum: '$g'}", "lo: {$min: '$f'}", "hi: {$max: '$g'}", "c: {$count: {}}",
            "avg: {$avg: '$f'}"};
        for (int t = 0; t < 60; t++) {
            String dir = rnd.nextBoolean() ? "1" : "-1";
            String match = switch (rnd.nextInt(4)) {
                case 0 -> "{$match: {a: {$in: [" + rnd.nextInt(60) + ", " + rnd.nextInt(60) + ", null, 's1']}}}";
                case 1 -> "{$match: {g: {$lt: " + rnd.nextInt(7) + "}}}";
                default -> null;
            };
            List<String> stages = new ArrayList<>();
            if (match != null) {
                stages.add(match);
            }
            String group;
            if (t % 3 == 0) {
                // $first of sort fields: the answer does not depend on how ties are ordered.
                stages.add("{$sort: {a: " + dir + ", f: " + dir + "}}");
                group = switch (rnd.nextInt(3)) {
                    case 0 -> "{$group: {_id: '$a', x: {$first: '$f'}, y: {$first: '$a'}}}";
                    case 1 -> "{$group: {_id: '$a', z: {$last: '$f'}}}";
                    default -> "{$group: {_id: '$a', x: {$first: '$f'}, z: {$last: '$f'}, y: {$last: '$a'}}}";
                };
            } else {
                stages.add(t % 3 == 1 ? "{$sort: {a: " + dir + "}}" : "{$sort: {g: " + dir + ", f: 1}}");
                String acc = accumulators[rnd.nextInt(accumulators.length)] + ", " + accumulators[rnd.nextInt(accumulators.length)];
                group = "{$group: {_id: '$" + (t % 3 == 1 ? "a" : "g") + "', " + acc.replaceFirst("^(\\w+):", "$1x:") + "}}";
            }
            stages.add(group);
            if (rnd.nextBoolean()) {
                stages.add("{$limit: " + (1 + rnd.nextInt(30)) + "}");
            }
            List<Document> p = pipeline(stages.toArray(new String[0]));
            List<Document> expected = plain(coll, p);
            assertTrue(!expected.isEmpty() || match != null, p.toString());
            assertEquals(expected, run(coll, p), p.toString());
        }
    }

    @Test
    void arraysTieWithTheirSmallestElementAndStillGroupApart() {
        for (String dir : List.of("1", "-1")) {
            List<Document> p = pipeline("{$sort: {a: " + dir + "}}", "{$group: {_id: '$a', n: {$sum: 1}, g: {$sum: '$g'}}}");
            List<Document> expected = plain(arrays, p);
            assertTrue(expected.stream().anyMatch(d -> d.get("_id") instanceof List), "array groups");
            assertEquals(expected, run(arrays, p), dir);
        }
    }

    @Test
    void theIndexServesTheSortAndAFirstOnlyGroupReadsOneKeyPerValue() {
        Document streaming = explainOf(coll, pipeline("{$sort: {a: 1}}", "{$group: {_id: '$a', n: {$sum: 1}}}"));
        Document cursor = streaming.getList("stages", Document.class).get(0).get("$cursor", Document.class);
        Document plan = cursor.get("queryPlanner", Document.class).get("winningPlan", Document.class);
        assertNull(stage(plan, "SORT"), plan.toJson());
        assertEquals("a_1_f_1", stage(plan, "IXSCAN").getString("indexName"));

        List<Document> first = pipeline("{$sort: {a: 1, f: 1}}", "{$group: {_id: '$a', x: {$first: '$f'}}}");
        Document distinct = explainOf(coll, first);
        Document dcursor = distinct.getList("stages", Document.class).get(0).get("$cursor", Document.class);
        Document scan = stage(dcursor.get("queryPlanner", Document.class).get("winningPlan", Document.class), "DISTINCT_SCAN");
        assertEquals("a_1_f_1", scan.getString("indexName"));
        long groups = run(coll, first).size();
        long nulls = coll.countDocuments(new Document("a", null));
        Document stats = dcursor.get("executionStats", Document.class);
        // One document per value, and every document under the null key (missing and null share it).
        assertEquals(groups - 1 + nulls, ((Number) stats.get("totalDocsExamined")).longValue());
        assertTrue(((Number) stats.get("totalKeysExamined")).longValue() <= groups + nulls, stats.toJson());
        assertEquals(plain(coll, first), run(coll, first));

        // $last too: each value's last key as well, one backward seek per value.
        List<Document> ends = pipeline("{$sort: {a: 1, f: 1}}", "{$group: {_id: '$a', lo: {$first: '$f'}, hi: {$last: '$f'}}}");
        Document both = explainOf(coll, ends).getList("stages", Document.class).get(0).get("$cursor", Document.class);
        assertEquals("a_1_f_1", stage(both.get("queryPlanner", Document.class).get("winningPlan", Document.class), "DISTINCT_SCAN")
                .getString("indexName"));
        assertTrue(((Number) both.get("executionStats", Document.class).get("totalDocsExamined")).longValue() <= 2 * (groups - 1) + nulls);
        assertEquals(plain(coll, ends), run(coll, ends));
    }

    @Test
    void aSortedGroupStreamsWithinAGroupLimitThatTheUnsortedOneExceeds() {
        MongoCollection<Document> big = db("grp").getCollection("big");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < BIG; i++) {
            // k: a permutation of 0..BIG-1 (7919 is a prime that divides no size used here), so every group has one document.
            docs.add(new Document("_id", i).append("k", (int) ((i * 7919L) % BIG)).append("v", i % 10));
            if (docs.size() == 10_000) {
                big.insertMany(docs);
                docs.clear();
            }
        }
        big.createIndex(Indexes.ascending("k"));
        db("admin").runCommand(new Document("setParameter", 1).append("internalDocumentSourceGroupMaxMemoryBytes", 256 * 1024));
        List<Document> sorted = pipeline("{$sort: {k: 1}}", "{$group: {_id: '$k', n: {$sum: 1}, v: {$max: '$v'}}}");
        List<Document> out = big.aggregate(sorted).allowDiskUse(false).into(new ArrayList<>());
        assertEquals(BIG, out.size());
        for (int i = 0; i < out.size(); i++) {
            assertEquals(i, out.get(i).getInteger("_id"));
            assertEquals(1, out.get(i).getInteger("n"));
        }
        MongoCommandException refused = assertThrows(MongoCommandException.class,
                () -> big.aggregate(pipeline("{$group: {_id: '$k', n: {$sum: 1}, v: {$max: '$v'}}}")).allowDiskUse(false)
                        .into(new ArrayList<>()));
        assertEquals(292, refused.getErrorCode());
    }

    private Document explainOf(MongoCollection<Document> c, List<Document> p) {
        return db("grp").runCommand(new Document("explain",
                new Document("aggregate", c.getNamespace().getCollectionName()).append("pipeline", p).append("cursor", new Document()))
                .append("verbosity", "executionStats"));
    }

    private static Document stage(Document tree, String name) {
        for (Document s = tree; s != null; s = s.get("inputStage", Document.class)) {
            if (name.equals(s.getString("stage"))) {
                return s;
            }
        }
        return null;
    }
}
