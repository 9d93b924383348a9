package dev.argon.engine.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

class ProjectionTest {
    static BsonDocument json(String s) {
        return BsonDocument.parse(s);
    }

    private static void project(String spec, String doc, String expected) {
        BsonDocument actual = Projection.compile(json(spec)).apply(json(doc), null);
        assertEquals(json(expected), actual, () -> spec + " on " + doc);
        // BsonDocument equality ignores order; field order is part of the contract.
        assertEquals(new ArrayList<>(json(expected).keySet()), new ArrayList<>(actual.keySet()), spec);
    }

    private static void projectAfterFilter(String spec, String filter, String doc, String expected) {
        MatchDetails details = new MatchDetails();
        assertTrue(Matcher.compile(json(filter)).matches(json(doc), details));
        BsonDocument actual = Projection.compile(json(spec)).apply(json(doc), details);
        assertEquals(json(expected), actual, () -> spec + " on " + doc);
    }

    private static void err(String spec, MongoErrorCode code, String message) {
        ArgonException e = assertThrows(ArgonException.class, () -> Projection.compile(json(spec)));
        assertEquals(code, e.error(), () -> spec + ": " + e.getMessage());
        if (message != null) {
            assertEquals(message, e.getMessage(), spec);
        }
    }

    @Test
    void emptySpecReturnsTheDocument() {
        BsonDocument doc = json("{_id: 1, a: 1}");
        assertSame(doc, Projection.compile(null).apply(doc, null));
        assertSame(doc, Projection.compile(json("{}")).apply(doc, null));
        assertTrue(Projection.compile(null).isIdentity());
    }

    @Test
    void inclusionKeepsDocumentOrderAndId() {
        project("{a: 1}", "{_id: 1, a: 1, b: 2}", "{_id: 1, a: 1}");
        project("{b: 1, a: true}", "{_id: 1, a: 1, b: 2, c: 3}", "{_id: 1, a: 1, b: 2}");
        project("{a: 1, _id: 0}", "{_id: 1, a: 1, b: 2}", "{a: 1}");
        project("{_id: 1}", "{_id: 1, a: 1}", "{_id: 1}");
        project("{a: 1}", "{b: 1}", "{}");
        project("{a: {$numberLong: '5'}}", "{_id: 1, a: 1, b: 2}", "{_id: 1, a: 1}");
    }

    @Test
    void exclusion() {
        project("{b: 0}", "{_id: 1, a: 1, b: 2}", "{_id: 1, a: 1}");
        project("{_id: 0}", "{_id: 1, a: 1}", "{a: 1}");
        project("{_id: 1, b: 0}", "{_id: 1, a: 1, b: 2}", "{_id: 1, a: 1}");
        project("{b: false, _id: 0}", "{_id: 1, a: 1, b: 2}", "{a: 1}");
    }

    @Test
    void dottedInclusionIntoDocumentsAndArrays() {
        project("{'a.b': 1}", "{_id: 1, a: {b: 1, c: 2}}", "{_id: 1, a: {b: 1}}");
        project("{'a.b': 1}", "{_id: 1, a: [{b: 1, c: 2}, {c: 3}, 5, [{b: 4, d: 1}]]}",
                "{_id: 1, a: [{b: 1}, {}, [{b: 4}]]}");
        project("{'a.b': 1}", "{_id: 1, a: 5}", "{_id: 1}");
        project("{'a.b': 1}", "{_id: 1, a: {c: 1}}", "{_id: 1, a: {}}");
        project("{a: {b: 1}}", "{_id: 1, a: {b: 1, c: 2}}", "{_id: 1, a: {b: 1}}");
        project("{'a.b': 1, 'a.c': 1}", "{_id: 1, a: {c: 3, d: 4, b: 2}}", "{_id: 1, a: {c: 3, b: 2}}");
    }

    @Test
    void dottedExclusion() {
        project("{'a.b': 0}", "{_id: 1, a: [{b: 1, c: 2}, 5, [{b: 3}]]}", "{_id: 1, a: [{c: 2}, 5, [{}]]}");
        project("{'a.b': 0}", "{_id: 1, a: {b: 1, c: 2}, d: 1}", "{_id: 1, a: {c: 2}, d: 1}");
        project("{a: {b: 0}}", "{_id: 1, a: 5}", "{_id: 1, a: 5}");
    }

    @Test
    void mixingInclusionAndExclusionIsAnError() {
        err("{a: 1, b: 0}", MongoErrorCode.LOCATION_31254, "Cannot do exclusion on field b in inclusion projection");
        err("{a: 0, b: 1}", MongoErrorCode.LOCATION_31253, "Cannot do inclusion on field b in exclusion projection");
        err("{a: {b: 1, c: 0}}", MongoErrorCode.LOCATION_31254,
                "Cannot do exclusion on field c in inclusion projection");
    }

    @Test
    void pathCollisions() {
        err("{a: 1, 'a.b': 1}", MongoErrorCode.LOCATION_31249, "Path collision at a.b remaining portion b");
        err("{'a.b': 1, a: 1}", MongoErrorCode.LOCATION_31250, "Path collision at a");
    }

    @Test
    void emptySubProjectionIsAnError() {
        err("{a: {}}", MongoErrorCode.LOCATION_51270,
                "An empty sub-projection is not a valid value. Found empty object at path a");
        err("{a: {b: {}}}", MongoErrorCode.LOCATION_51270,
                "An empty sub-projection is not a valid value. Found empty object at path a.b");
    }

    @Test
    void invalidFieldPaths() {
        err("{$a: 1}", MongoErrorCode.LOCATION_16410, null);
        err("{'': 1}", MongoErrorCode.LOCATION_40352, null);
        err("{'a..b': 1}", MongoErrorCode.LOCATION_15998, null);
    }

    @Test
    void slice() {
        project("{a: {$slice: 2}}", "{_id: 1, a: [1, 2, 3], b: 1}", "{_id: 1, a: [1, 2], b: 1}");
        project("{a: {$slice: -2}}", "{_id: 1, a: [1, 2, 3]}", "{_id: 1, a: [2, 3]}");
        project("{a: {$slice: -5}}", "{_id: 1, a: [1, 2, 3]}", "{_id: 1, a: [1, 2, 3]}");
        project("{a: {$slice: [1, 1]}}", "{_id: 1, a: [1, 2, 3]}", "{_id: 1, a: [2]}");
        project("{a: {$slice: [-2, 1]}}", "{_id: 1, a: [1, 2, 3]}", "{_id: 1, a: [2]}");
        project("{a: {$slice: [5, 2]}}", "{_id: 1, a: [1, 2, 3]}", "{_id: 1, a: []}");
        project("{a: {$slice: [-9, 2]}}", "{_id: 1, a: [1, 2, 3]}", "{_id: 1, a: [1, 2]}");
        project("{a: {$slice: 1}}", "{_id: 1, a: 5}", "{_id: 1, a: 5}");
        project("{'a.b': {$slice: 1}}", "{_id: 1, a: [{b: [1, 2]}, {b: [3, 4]}, 7], c: 1}",
                "{_id: 1, a: [{b: [1]}, {b: [3]}, 7], c: 1}");
        project("{a: {$slice: 1}, b: 1}", "{_id: 1, a: [1, 2], b: 2, c: 3}", "{_id: 1, a: [1], b: 2}");
        project("{_id: 1, a: {$slice: 1}}", "{_id: 1, a: [1, 2], c: 3}", "{_id: 1, a: [1]}");
        project("{a: {$slice: 1}, c: 0}", "{_id: 1, a: [1, 2], c: 3}", "{_id: 1, a: [1]}");
    }

    @Test
    void sliceErrors() {
        err("{a: {$slice: [1]}}", MongoErrorCode.BAD_VALUE, "$slice array argument should be of form [skip, limit]");
        err("{a: {$slice: [1, 0]}}", MongoErrorCode.BAD_VALUE, "$slice limit must be positive, got 0");
        err("{a: {$slice: ['x', 1]}}", MongoErrorCode.BAD_VALUE, null);
        err("{a: {$slice: 'x'}}", MongoErrorCode.LOCATION_31273,
                "$slice only supports numbers and [skip, limit] arrays");
    }

    @Test
    void elemMatch() {
        String doc = "{_id: 1, a: [{b: 1}, {b: 2, c: 1}, {b: 2}], z: 1}";
        project("{a: {$elemMatch: {b: 2}}}", doc, "{_id: 1, a: [{b: 2, c: 1}]}");
        project("{a: {$elemMatch: {b: 9}}}", doc, "{_id: 1}");
        // An $elemMatch field comes after the other included fields.
        project("{a: {$elemMatch: {b: 2}}, z: 1}", doc, "{_id: 1, z: 1, a: [{b: 2, c: 1}]}");
        // In an exclusion projection it stays in place.
        project("{z: 0, a: {$elemMatch: {b: 2}}}", "{_id: 1, a: [{b: 2}], y: 1, z: 1}",
                "{_id: 1, a: [{b: 2}], y: 1}");
        project("{a: {$elemMatch: {$gt: 1}}}", "{_id: 1, a: [1, 5, 7]}", "{_id: 1, a: [5]}");
        project("{a: {$elemMatch: {$gt: 1}}}", "{_id: 1, a: 5}", "{_id: 1}");
        err("{'a.b': {$elemMatch: {c: 1}}}", MongoErrorCode.LOCATION_31275,
                "Cannot use $elemMatch projection on a nested field.");
        err("{a: {b: {$elemMatch: {c: 1}}}}", MongoErrorCode.LOCATION_31275, null);
        err("{a: {$elemMatch: 1}}", MongoErrorCode.LOCATION_31274, null);
    }

    @Test
    void positional() {
        projectAfterFilter("{'a.$': 1}", "{a: 2}", "{_id: 1, a: [1, 2, 3], b: 1}", "{_id: 1, a: [2]}");
        projectAfterFilter("{'a.b.$': 1}", "{'a.b': 3}", "{_id: 1, a: [{b: 1, c: 1}, {b: 3, c: 2}]}",
                "{_id: 1, a: [{b: 3}]}");
        projectAfterFilter("{'a.b.$': 1}", "{'a.b': 3}", "{_id: 1, a: {b: [1, 3]}}", "{_id: 1, a: {b: [3]}}");
        projectAfterFilter("{'a.$': 1, b: 1}", "{a: {$gt: 1}}", "{_id: 1, a: [1, 5], b: 2}",
                "{_id: 1, a: [5], b: 2}");
        projectAfterFilter("{'a.$': 1}", "{a: 5}", "{_id: 1, a: 5}", "{_id: 1, a: 5}");
        projectAfterFilter("{'a.$.b': 1}", "{a: 2}", "{_id: 1, a: [1, 2]}", "{_id: 1, a: [2]}");
    }

    @Test
    void positionalErrors() {
        ArgonException noMatch = assertThrows(ArgonException.class,
                () -> Projection.compile(json("{'a.$': 1}")).apply(json("{a: [1, 2]}"), new MatchDetails()));
        assertEquals(MongoErrorCode.LOCATION_51246, noMatch.error());
        MatchDetails beyond = new MatchDetails();
        beyond.arrayIndex(7);
        ArgonException mismatch = assertThrows(ArgonException.class,
                () -> Projection.compile(json("{'a.$': 1}")).apply(json("{a: [1, 2]}"), beyond));
        assertEquals(MongoErrorCode.LOCATION_51247, mismatch.error());
        err("{'a.$': 1, 'b.$': 1}", MongoErrorCode.LOCATION_31276,
                "Cannot specify more than one positional projection per query.");
        err("{'a.$.$': 1}", MongoErrorCode.BAD_VALUE, "Cannot use positional operator twice: a.$.$");
        err("{'a.$': 1, b: {$elemMatch: {c: 1}}}", MongoErrorCode.LOCATION_31255,
                "Cannot specify positional operator and $elemMatch.");
        err("{b: {$elemMatch: {c: 1}}, 'a.$': 1}", MongoErrorCode.LOCATION_31256,
                "Cannot specify positional operator and $elemMatch.");
        err("{b: 0, 'a.$': 1}", MongoErrorCode.LOCATION_31253, null);
        err("{'a.$': {$slice: 1}}", MongoErrorCode.BAD_VALUE, null);
    }

    @Test
    void computedFields() {
        project("{x: '$a.b'}", "{_id: 1, a: {b: 5}}", "{_id: 1, x: 5}");
        project("{x: '$a.b'}", "{_id: 1, a: [{b: 5}, {c: 1}, {b: 6}]}", "{_id: 1, x: [5, 6]}");
        project("{x: {$literal: 1}}", "{_id: 1}", "{_id: 1, x: 1}");
        project("{x: {$literal: '$a'}}", "{_id: 1}", "{_id: 1, x: '$a'}");
        project("{x: 'text'}", "{_id: 1}", "{_id: 1, x: 'text'}");
        project("{x: null}", "{_id: 1}", "{_id: 1, x: null}");
        project("{a: 1, x: ['$a', 2, '$nope']}", "{_id: 1, a: 7}", "{_id: 1, a: 7, x: [7, 2, null]}");
        project("{x: '$missing'}", "{_id: 1}", "{_id: 1}");
        project("{x: '$$ROOT.a'}", "{_id: 1, a: 3}", "{_id: 1, x: 3}");
        project("{x: [{y: '$a'}]}", "{_id: 1, a: 3}", "{_id: 1, x: [{y: 3}]}");
        // Computed fields are appended after the copied ones.
        project("{a: '$b', b: 1}", "{_id: 1, a: 1, b: 2}", "{_id: 1, b: 2, a: 2}");
        project("{'a.x': '$b'}", "{_id: 1, a: {y: 1}, b: 2}", "{_id: 1, a: {x: 2}}");
        project("{'a.x': '$b', 'a.y': 1}", "{_id: 1, a: [{y: 1}, 5], b: 2}", "{_id: 1, a: [{y: 1, x: 2}]}");
    }

    @Test
    void computedFieldErrors() {
        err("{a: 0, x: '$b'}", MongoErrorCode.LOCATION_31310, null);
        err("{a: 0, x: {$literal: 1}}", MongoErrorCode.LOCATION_31252,
                "Cannot use expression other than $meta in exclusion projection");
        err("{x: {$add: [1, 2]}}", MongoErrorCode.NOT_IMPLEMENTED, null);
        err("{x: {$meta: 'textScore'}}", MongoErrorCode.NOT_IMPLEMENTED, null);
        err("{x: '$$NOW'}", MongoErrorCode.NOT_IMPLEMENTED, null);
    }

    @Test
    void projectionDoesNotModifyItsInput() {
        BsonDocument doc = json("{_id: 1, a: [{b: [1, 2, 3]}], c: {d: [1, 2]}}");
        BsonDocument copy = doc.clone();
        Projection.compile(json("{'a.b': {$slice: 1}, 'c.d': {$slice: -1}}")).apply(doc, null);
        MatchDetails details = new MatchDetails();
        details.arrayIndex(0);
        Projection.compile(json("{'c.d.$': 1}")).apply(doc, details);
        Projection.compile(json("{'a.x': '$c'}")).apply(doc, null);
        assertEquals(copy, doc);
    }

    @Test
    void isThreadSafeForConcurrentUse() throws InterruptedException {
        Projection p = Projection.compile(json("{'a.b': 1, c: {$slice: 1}}"));
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 2000; i++) {
                    BsonDocument out = p.apply(json("{_id: " + i + ", a: {b: 1, x: 2}, c: [1, 2]}"), null);
                    if (!out.equals(json("{_id: " + i + ", a: {b: 1}, c: [1]}"))) {
                        synchronized (failures) {
                            failures.add(new AssertionError(out.toJson()));
                        }
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertTrue(failures.isEmpty(), failures::toString);
    }
}
