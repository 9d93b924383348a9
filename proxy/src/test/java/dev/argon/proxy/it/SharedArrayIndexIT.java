package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compound indexes over fields that share an array, as mongod allows them: {@code {"a.b": 1, "a.c": 1}} indexes
 * {@code {a: [{b: 1, c: 2}, {b: 3, c: 4}]}} (one key per element of the shared array {@code a}), and only arrays on
 * different paths are refused with 171 "cannot index parallel arrays". Queries through such an index return what
 * a collection scan ({@code hint: {$natural: 1}}) returns on random documents: without {@code $elemMatch}, the
 * conditions on {@code a.b} and {@code a.c} may be met by different elements, so only the first field is bounded;
 * inside one {@code $elemMatch} on {@code a}, both are.
 */
class SharedArrayIndexIT extends ArgonTestBase {
    private static final int N = 2000;
    private MongoCollection<Document> coll;

    @BeforeAll
    void load() {
        coll = db("sharedarr").getCollection("c");
        coll.createIndex(Indexes.compoundIndex(Indexes.ascending("a.b"), Indexes.ascending("a.c")));
        coll.createIndex(Indexes.compoundIndex(Indexes.ascending("x"), Indexes.ascending("x.y")));
        Random rnd = new Random(20261202);
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            docs.add(new Document("_id", i).append("a", randomA(rnd)).append("x", randomX(rnd)));
        }
        coll.insertMany(docs);
    }

    /** a: an array of elements with b and c (sometimes missing, sometimes b an array), a plain document, or a scalar. */
    private static Object randomA(Random rnd) {
        int shape = rnd.nextInt(10);
        if (shape == 0) {
            return new Document("b", rnd.nextInt(5)).append("c", rnd.nextInt(5));
        }
        if (shape == 1) {
            return rnd.nextInt(5);
        }
        List<Object> elements = new ArrayList<>();
        for (int k = rnd.nextInt(4); k > 0; k--) {
            Document e = new Document();
            if (rnd.nextInt(6) > 0) {
                e.append("b", rnd.nextInt(8) == 0 ? List.of(rnd.nextInt(5), rnd.nextInt(5)) : rnd.nextInt(5));
            }
            if (rnd.nextInt(6) > 0) {
                e.append("c", rnd.nextInt(5));
            }
            elements.add(rnd.nextInt(15) == 0 ? (Object) rnd.nextInt(5) : e);
        }
        return elements;
    }

    private static Object randomX(Random rnd) {
        List<Object> elements = new ArrayList<>();
        for (int k = rnd.nextInt(3); k > 0; k--) {
            elements.add(new Document("y", rnd.nextInt(4)));
        }
        return rnd.nextBoolean() ? elements : new Document("y", rnd.nextInt(4));
    }

    /** The ids found through the planner's choice. */
    private List<Object> planned(Bson q) {
        return coll.find(q).sort(Sorts.ascending("_id")).map(d -> d.get("_id")).into(new ArrayList<>());
    }

    /** The ids a collection scan finds: the oracle. */
    private List<Object> scanned(Bson q) {
        return coll.find(q).sort(Sorts.ascending("_id")).hint(new Document("$natural", 1)).map(d -> d.get("_id")).into(new ArrayList<>());
    }

    private Document ixscan(Bson q) {
        Document e = coll.find(q).explain();
        for (Document s = e.get("queryPlanner", Document.class).get("winningPlan", Document.class); s != null;
             s = s.get("inputStage", Document.class)) {
            if ("IXSCAN".equals(s.getString("stage"))) {
                return s;
            }
        }
        throw new AssertionError("no index scan: " + e.toJson());
    }

    @Test
    void randomQueriesOverTheSharedArrayMatchTheCollectionScan() {
        Random rnd = new Random(7);
        int nonEmpty = 0;
        for (int t = 0; t < 150; t++) {
            int b = rnd.nextInt(5);
            int c = rnd.nextInt(5);
            Bson q = switch (t % 6) {
                case 0 -> Filters.and(Filters.eq("a.b", b), Filters.eq("a.c", c));
                case 1 -> Filters.elemMatch("a", Filters.and(Filters.eq("b", b), Filters.eq("c", c)));
                case 2 -> Filters.and(Filters.in("a.b", b, (b + 2) % 5), Filters.gte("a.c", c));
                case 3 -> Filters.elemMatch("a", Filters.and(Filters.eq("b", b), Filters.lt("c", c)));
                case 4 -> Filters.and(Filters.eq("x.y", c % 4), Filters.eq("x", new Document("y", b % 4)));
                default -> Filters.and(Filters.eq("a.b", b), Filters.eq("a.c", null));
            };
            List<Object> expected = scanned(q);
            nonEmpty += expected.isEmpty() ? 0 : 1;
            assertEquals(expected, planned(q), q.toString());
        }
        assertTrue(nonEmpty > 50, "the queries find documents: " + nonEmpty);
    }

    @Test
    void withoutElemMatchOnlyTheFirstFieldIsBoundedAndWithItBothAre() {
        Document plain = ixscan(Filters.and(Filters.eq("a.b", 1), Filters.eq("a.c", 4)));
        assertEquals(Document.parse("{'a.b': ['[1, 1]'], 'a.c': ['[MinKey, MaxKey]']}"), plain.get("indexBounds", Document.class));
        assertEquals(true, plain.getBoolean("isMultiKey"));
        Document within = ixscan(Filters.elemMatch("a", Filters.and(Filters.eq("b", 1), Filters.eq("c", 4))));
        assertEquals(Document.parse("{'a.b': ['[1, 1]'], 'a.c': ['[4, 4]']}"), within.get("indexBounds", Document.class));
        // Two $elemMatch on a may be met by two elements: the second field stays unbounded.
        Document two = ixscan(Filters.and(Filters.elemMatch("a", Filters.eq("b", 1)), Filters.elemMatch("a", Filters.eq("c", 4))));
        assertEquals(List.of("[MinKey, MaxKey]"), two.get("indexBounds", Document.class).getList("a.c", String.class));
    }

    @Test
    void conditionsMetByDifferentElementsStillMatch() {
        MongoCollection<Document> c = db("sharedarr").getCollection("two");
        c.createIndex(Indexes.compoundIndex(Indexes.ascending("a.b"), Indexes.ascending("a.c")));
        c.insertOne(Document.parse("{_id: 1, a: [{b: 1, c: 2}, {b: 3, c: 4}]}"));
        assertEquals(1, c.countDocuments(Filters.and(Filters.eq("a.b", 1), Filters.eq("a.c", 4))));
        assertEquals(0, c.countDocuments(Filters.elemMatch("a", Filters.and(Filters.eq("b", 1), Filters.eq("c", 4)))));
        assertEquals(1, c.countDocuments(Filters.elemMatch("a", Filters.and(Filters.eq("b", 3), Filters.eq("c", 4)))));
    }

    @Test
    void arraysOnDifferentPathsAreRefusedAndNothingIsStored() {
        MongoCollection<Document> c = db("sharedarr").getCollection("par");
        c.createIndex(Indexes.compoundIndex(Indexes.ascending("a.b"), Indexes.ascending("a.c")));
        c.createIndex(Indexes.compoundIndex(Indexes.ascending("p"), Indexes.ascending("q")));
        MongoWriteException nested = assertThrows(MongoWriteException.class,
                () -> c.insertOne(Document.parse("{_id: 1, a: [{b: [1], c: [2]}]}")));
        assertEquals(171, nested.getError().getCode());
        MongoWriteException top = assertThrows(MongoWriteException.class, () -> c.insertOne(Document.parse("{_id: 2, p: [1], q: [2]}")));
        assertEquals(171, top.getError().getCode());
        c.insertOne(Document.parse("{_id: 3, a: [{b: 1, c: 2}], p: [1, 2], q: 5}"));
        MongoWriteException update = assertThrows(MongoWriteException.class,
                () -> c.updateOne(Filters.eq("_id", 3), Document.parse("{$set: {q: [5, 6]}}")));
        assertEquals(171, update.getError().getCode());
        assertEquals(List.of(Document.parse("{_id: 3, a: [{b: 1, c: 2}], p: [1, 2], q: 5}")), c.find().into(new ArrayList<>()));
        // Building an index over documents that hold parallel arrays fails the same way.
        MongoCollection<Document> d = db("sharedarr").getCollection("build");
        d.insertOne(Document.parse("{_id: 1, a: {b: [1, 2], c: [3]}}"));
        MongoCommandException build = assertThrows(MongoCommandException.class,
                () -> d.createIndex(Indexes.compoundIndex(Indexes.ascending("a.b"), Indexes.ascending("a.c"))));
        assertEquals(171, build.getErrorCode());
        assertThrows(MongoBulkWriteException.class, () -> c.insertMany(List.of(Document.parse("{_id: 4, p: [1], q: [1]}"))));
    }
}
