package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.ExplainVerbosity;
import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The limits of what a query builds and cannot spill, through the Java driver, made small with {@code setParameter}
 * as mongod's own tests do: a {@code $push} or {@code $addToSet} array (146 ExceededMemoryLimit, also when a spilled
 * {@code $group} merges its partial arrays), a {@code $lookup}'s matches per document (4568, not when an
 * {@code $unwind} of them follows and is absorbed), the {@code $facet} document (4031700), {@code distinct}'s values
 * (17217) and a result document past 16 MiB (10334). A {@code $lookup} whose foreign collection passes its table
 * limit reads it once per input document and answers what the in-memory table answers.
 */
class StageLimitsIT extends ArgonTestBase {
    private static final long DEFAULT = 100L * 1024 * 1024;
    private static final List<String> LIMITS = List.of("internalQueryMaxPushBytes", "internalQueryMaxAddToSetBytes",
            "internalLookupStageIntermediateDocumentMaxSizeBytes", "internalQueryFacetMaxOutputDocSizeBytes",
            "internalQuerySBELookupApproxMemoryUseInBytesBeforeSpill", "internalDocumentSourceGroupMaxMemoryBytes");
    private static final int N = 200;

    private MongoCollection<Document> coll;
    private MongoCollection<Document> foreign;
    private final List<Document> local = new ArrayList<>();
    private final List<Document> foreignDocs = new ArrayList<>();

    @BeforeAll
    void load() {
        coll = db("limits").getCollection("c");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            docs.add(new Document("_id", i).append("g", i % 2).append("k", i % 10).append("s", i + "-" + "x".repeat(100)));
        }
        coll.insertMany(docs);
        // Local documents join on fk: a scalar, an array (an $in over its elements), null, missing, or nothing there.
        for (int i = 0; i < 40; i++) {
            Document d = new Document("_id", i);
            switch (i % 5) {
                case 0 -> d.append("fk", i % 25);
                case 1 -> d.append("fk", List.of(i % 25, (i + 7) % 25));
                case 2 -> d.append("fk", null);
                case 3 -> d.append("other", i);
                default -> d.append("fk", 1000 + i);
            }
            local.add(d);
        }
        db("limits").getCollection("local").insertMany(local);
        for (int i = 0; i < 500; i++) {
            Document d = new Document("_id", i).append("pad", "p".repeat(200));
            if (i % 50 != 49) {
                d.append("k", i % 25); // every 50th has no k: it matches a null or missing fk
            }
            foreignDocs.add(d);
        }
        foreign = db("limits").getCollection("f");
        foreign.insertMany(foreignDocs);
    }

    @AfterEach
    void defaults() {
        Document reset = new Document("setParameter", 1);
        LIMITS.forEach(p -> reset.append(p, DEFAULT));
        db("admin").runCommand(reset);
    }

    private void set(String parameter, long bytes) {
        db("admin").runCommand(new Document("setParameter", 1).append(parameter, bytes));
    }

    @Test
    void pushPastItsLimitFailsWith146EvenWhenGroupSpills() {
        set("internalQueryMaxPushBytes", 4096);
        // 200 strings of ~105 bytes in one array: ~21 KB.
        MongoCommandException e = assertThrows(MongoCommandException.class, () -> coll.aggregate(List.of(new Document("$group",
                new Document("_id", null).append("a", new Document("$push", "$s"))))).first());
        assertEquals(146, e.getErrorCode());
        assertEquals("ExceededMemoryLimit", e.getErrorCodeName());
        assertEquals("$push used too much memory and cannot spill to disk. Memory limit: 4096 bytes", e.getErrorMessage());
        // The limit is per array: 200 groups of one string each are fine.
        List<Document> one = coll.aggregate(List.of(new Document("$group", new Document("_id", "$_id").append("a",
                new Document("$push", "$s"))))).into(new ArrayList<>());
        assertEquals(N, one.size());
        one.forEach(d -> assertEquals(1, d.getList("a", String.class).size()));
        // Two arrays of ~10.6 KB under a 16 KiB limit; the group table spills every ~2 KB, each partial array
        // small, and the merged arrays are whole again.
        set("internalQueryMaxPushBytes", 16 * 1024);
        set("internalDocumentSourceGroupMaxMemoryBytes", 2048);
        List<Bson> byG = List.of(new Document("$group", new Document("_id", "$g").append("a", new Document("$push", "$_id"))
                .append("s", new Document("$push", "$s"))), new Document("$sort", new Document("_id", 1)));
        List<Document> groups = coll.aggregate(byG).into(new ArrayList<>());
        assertEquals(2, groups.size());
        for (Document g : groups) {
            List<Integer> ids = g.getList("a", Integer.class);
            assertEquals(N / 2, ids.size());
            for (int j = 0; j < ids.size(); j++) {
                assertEquals(2 * j + g.getInteger("_id"), ids.get(j), "input order kept across spills");
            }
        }
        // Merging the partial arrays passes an 8 KiB limit that no partial array reached.
        set("internalQueryMaxPushBytes", 8 * 1024);
        MongoCommandException merged = assertThrows(MongoCommandException.class, () -> coll.aggregate(byG).first());
        assertEquals(146, merged.getErrorCode());
        assertTrue(merged.getErrorMessage().startsWith("$push used too much memory"), merged.getErrorMessage());
    }

    @Test
    void addToSetCountsOnlyDistinctValues() {
        set("internalQueryMaxAddToSetBytes", 1024);
        // 200 inputs, 10 distinct small values: well under 1 KiB.
        Document ks = coll.aggregate(List.of(new Document("$group", new Document("_id", null).append("ks",
                new Document("$addToSet", "$k"))))).first();
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), new LinkedHashSet<>(ks.getList("ks", Integer.class)));
        MongoCommandException e = assertThrows(MongoCommandException.class, () -> coll.aggregate(List.of(new Document("$group",
                new Document("_id", null).append("ss", new Document("$addToSet", "$s"))))).first());
        assertEquals(146, e.getErrorCode());
        assertTrue(e.getErrorMessage().startsWith("$addToSet used too much memory and cannot spill to disk. Used: "),
                e.getErrorMessage());
        assertTrue(e.getErrorMessage().endsWith("bytes. Memory limit: 1024 bytes"), e.getErrorMessage());
    }

    @Test
    void limitsAreServerParameters() {
        set("internalQueryMaxPushBytes", 12345);
        Document got = db("admin").runCommand(new Document("getParameter", 1).append("internalQueryMaxPushBytes", 1)
                .append("internalQuerySBELookupApproxMemoryUseInBytesBeforeSpill", 1));
        assertEquals(12345L, ((Number) got.get("internalQueryMaxPushBytes")).longValue());
        assertEquals(DEFAULT, ((Number) got.get("internalQuerySBELookupApproxMemoryUseInBytesBeforeSpill")).longValue());
        Document all = db("admin").runCommand(new Document("getParameter", "*"));
        for (String p : LIMITS) {
            assertTrue(all.containsKey(p), p);
        }
        for (String p : LIMITS) {
            MongoCommandException bad = assertThrows(MongoCommandException.class,
                    () -> db("admin").runCommand(new Document("setParameter", 1).append(p, 0)));
            assertEquals(2, bad.getErrorCode(), p);
        }
    }

    /** What {@code {$lookup: {from: "f", localField: "fk", foreignField: "k", as: "m"}}} must give, from the data. */
    private List<Document> expectedJoin() {
        List<Document> out = new ArrayList<>();
        for (Document l : local) {
            Set<Object> wanted = new LinkedHashSet<>();
            Object fk = l.get("fk");
            if (fk instanceof List<?> list) {
                wanted.addAll(list);
            } else {
                wanted.add(fk); // null, or missing: both match a foreign document without k
            }
            List<Document> m = new ArrayList<>();
            for (Document f : foreignDocs) {
                if (wanted.contains(f.get("k"))) {
                    m.add(f);
                }
            }
            out.add(new Document(l).append("m", m));
        }
        return out;
    }

    private static final Document EQUALITY = new Document("$lookup", new Document("from", "f").append("localField", "fk")
            .append("foreignField", "k").append("as", "m"));

    @Test
    void lookupPastItsTableLimitReadsTheForeignCollectionPerDocument() {
        MongoCollection<Document> l = db("limits").getCollection("local");
        List<Bson> join = List.of(EQUALITY, new Document("$sort", new Document("_id", 1)));
        assertEquals(expectedJoin(), l.aggregate(join).into(new ArrayList<>()));
        Document table = lookupStage(l.aggregate(join).explain(ExplainVerbosity.EXECUTION_STATS));
        assertEquals(1L, ((Number) table.get("collectionScans")).longValue(), table.toJson());
        // The foreign collection is ~150 KB as a table. Under a 128 KiB limit it does not fit, and the first 10
        // local documents and their ~37 KB of matches do: one scan stopped at the limit, one for the first document,
        // one shared by the next nine (a block nested loop).
        set("internalQuerySBELookupApproxMemoryUseInBytesBeforeSpill", 128 * 1024);
        List<Bson> firstTen = List.of(new Document("$match", new Document("_id", new Document("$lt", 10))), EQUALITY,
                new Document("$sort", new Document("_id", 1)));
        assertEquals(expectedJoin().subList(0, 10), l.aggregate(firstTen).into(new ArrayList<>()));
        Document block = lookupStage(l.aggregate(firstTen).explain(ExplainVerbosity.EXECUTION_STATS));
        assertEquals(3L, ((Number) block.get("collectionScans")).longValue(), block.toJson());
        // Under 16 KiB no block's matches fit either: each local document scans the foreign collection.
        set("internalQuerySBELookupApproxMemoryUseInBytesBeforeSpill", 16 * 1024);
        assertEquals(expectedJoin(), l.aggregate(join).into(new ArrayList<>()));
        Document loop = lookupStage(l.aggregate(join).explain(ExplainVerbosity.EXECUTION_STATS));
        long scans = ((Number) loop.get("collectionScans")).longValue();
        assertTrue(scans > local.size() && scans <= local.size() + 3, loop.toJson());
        // The pipeline form, with and without the table, gives the same as the equality form.
        List<Bson> piped = List.of(new Document("$lookup", new Document("from", "f").append("let", new Document("v", "$fk"))
                .append("pipeline", List.of(new Document("$match", new Document("$expr", new Document("$eq", List.of("$k", "$$v")))),
                        new Document("$project", new Document("pad", 0))))
                .append("as", "m")), new Document("$sort", new Document("_id", 1)));
        List<Document> nested = l.aggregate(piped).into(new ArrayList<>());
        set("internalQuerySBELookupApproxMemoryUseInBytesBeforeSpill", DEFAULT);
        assertEquals(l.aggregate(piped).into(new ArrayList<>()), nested);
        // $expr's $eq compares whole values: a scalar fk finds its foreign documents (without pad).
        Document first = nested.get(0);
        assertEquals(20, first.getList("m", Document.class).size());
        first.getList("m", Document.class).forEach(m -> assertEquals(Set.of("_id", "k"), m.keySet()));
    }

    @Test
    void lookupMatchesPastTheirLimitFailWith4568UnlessUnwound() {
        MongoCollection<Document> l = db("limits").getCollection("local");
        // Separated by a $match, the $unwind is not absorbed: the reference answer, under the default limits.
        List<Document> expected = l.aggregate(List.of(EQUALITY, new Document("$match", new Document()),
                new Document("$unwind", new Document("path", "$m").append("includeArrayIndex", "i")
                        .append("preserveNullAndEmptyArrays", true)), new Document("$sort", new Document("_id", 1).append("i", 1))))
                .into(new ArrayList<>());
        long matches = expectedJoin().stream().mapToLong(d -> Math.max(1, d.getList("m", Document.class).size())).sum();
        assertEquals(matches, expected.size());
        // Each scalar fk matches 20 foreign documents of ~230 bytes: ~4.6 KB of matches.
        set("internalLookupStageIntermediateDocumentMaxSizeBytes", 2048);
        MongoCommandException e = assertThrows(MongoCommandException.class, () -> l.aggregate(List.of(EQUALITY)).into(new ArrayList<>()));
        assertEquals(4568, e.getErrorCode());
        assertEquals("Total size of documents in f matching pipeline's $lookup stage exceeds 2048 bytes", e.getErrorMessage());
        // Right after the $lookup, the $unwind is absorbed: no array, no limit, the same documents.
        for (String tableLimit : List.of("default", "small")) {
            if (tableLimit.equals("small")) {
                set("internalQuerySBELookupApproxMemoryUseInBytesBeforeSpill", 16 * 1024);
            }
            List<Document> unwound = l.aggregate(List.of(EQUALITY, new Document("$unwind", new Document("path", "$m")
                    .append("includeArrayIndex", "i").append("preserveNullAndEmptyArrays", true)),
                    new Document("$sort", new Document("_id", 1).append("i", 1)))).into(new ArrayList<>());
            assertEquals(expected, unwound, tableLimit);
            List<Document> plain = l.aggregate(List.of(EQUALITY, new Document("$unwind", "$m"))).into(new ArrayList<>());
            assertEquals(expected.stream().filter(d -> d.get("m") != null).count(), plain.size(), tableLimit);
        }
    }

    @Test
    void facetDocumentPastItsLimitFailsWith4031700() {
        List<Bson> facet = List.of(new Document("$facet", new Document("all", List.of()).append("ks",
                List.of(new Document("$group", new Document("_id", "$k"))))));
        Document whole = coll.aggregate(facet).first();
        assertEquals(N, whole.getList("all", Document.class).size());
        assertEquals(10, whole.getList("ks", Document.class).size());
        set("internalQueryFacetMaxOutputDocSizeBytes", 4096);
        MongoCommandException e = assertThrows(MongoCommandException.class, () -> coll.aggregate(facet).first());
        assertEquals(4031700, e.getErrorCode());
        assertTrue(e.getErrorMessage().startsWith("document constructed by $facet is "), e.getErrorMessage());
        assertTrue(e.getErrorMessage().endsWith(" bytes, which exceeds the limit of 4096 bytes"), e.getErrorMessage());
        // A small facet document is still fine under the small limit.
        Document ks = coll.aggregate(List.of(new Document("$facet", new Document("ks", List.of(new Document("$group",
                new Document("_id", "$k"))))))).first();
        assertEquals(10, ks.getList("ks", Document.class).size());
    }

    @Test
    void distinctPastSixteenMiBFailsWith17217AndABigResultDocumentWith10334() {
        MongoCollection<Document> big = db("limits").getCollection("big");
        String mb = "b".repeat(1024 * 1024);
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            docs.add(new Document("_id", i).append("v", i + mb));
        }
        big.insertMany(docs);
        assertEquals(4, big.distinct("v", Filters.lt("_id", 4), String.class).into(new ArrayList<>()).size());
        MongoCommandException e = assertThrows(MongoCommandException.class,
                () -> big.distinct("v", String.class).into(new ArrayList<>()));
        assertEquals(17217, e.getErrorCode());
        assertEquals("distinct too big, 16mb cap", e.getErrorMessage());
        // 18 MB in one $push: under the 100 MiB $push limit, but no reply can carry the document.
        MongoCommandException tooLarge = assertThrows(MongoCommandException.class, () -> big.aggregate(List.of(new Document("$group",
                new Document("_id", null).append("all", new Document("$push", "$v"))))).first());
        assertEquals(10334, tooLarge.getErrorCode());
        assertEquals("BSONObjectTooLarge", tooLarge.getErrorCodeName());
        assertTrue(tooLarge.getErrorMessage().contains("Size must be between 0 and 16793600(16MB)"), tooLarge.getErrorMessage());
        // The connection and the server go on.
        assertEquals(18, big.countDocuments());
    }

    private static Document lookupStage(Document explain) {
        for (Document s : explain.getList("stages", Document.class)) {
            if (s.containsKey("$lookup")) {
                return s;
            }
        }
        throw new AssertionError("no $lookup stage in " + explain.toJson());
    }
}
