package dev.argon.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.engine.bson.KeyEncoder;
import dev.argon.engine.query.Matcher;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonUndefined;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

/**
 * Index keys agree with the filter language: a document an equality (null included) or {@code $exists: true}
 * matches has the key an index scan looks for, and an empty array's key is not null's.
 */
class IndexKeysTest {
    private static final String[] PATHS = {"a", "a.b", "a.b.c", "b"};

    private static IndexInfo index(String path, boolean sparse, boolean nullKeys) {
        BsonDocument key = new BsonDocument(path, new BsonInt32(1));
        BsonDocument spec = new BsonDocument("v", new BsonInt32(2)).append("key", key).append("name", new BsonString(path + "_1"));
        return new IndexInfo(7, path + "_1", key, false, sparse, null, spec, true, nullKeys);
    }

    private static Set<ByteBuffer> keys(IndexInfo index, String json) {
        return IndexKeys.of(index, null, BsonDocument.parse(json));
    }

    private static ByteBuffer key(BsonValue v) {
        return ByteBuffer.wrap(KeyEncoder.encodeCompound(List.of(v), new boolean[] {false}));
    }

    @Test
    void anArrayElementWithoutThePathIndexesAsNull() {
        IndexInfo ab = index("a.b", false, true);
        Set<ByteBuffer> k = keys(ab, "{_id: 1, a: [{b: 1}, {c: 2}]}");
        assertTrue(k.contains(key(BsonNull.VALUE)), "null key for the element without b");
        assertTrue(k.contains(key(new BsonInt32(1))));
        // Scalars in the array are skipped by the filter language, so they add nothing but the marker.
        assertFalse(keys(ab, "{_id: 1, a: [1, {b: 2}]}").contains(key(BsonNull.VALUE)));
        // The layout before nullKeys wrote no key for the element without b.
        assertFalse(keys(index("a.b", false, false), "{_id: 1, a: [{b: 1}, {c: 2}]}").contains(key(BsonNull.VALUE)));
    }

    @Test
    void anEmptyArrayIsNotTheNullKey() {
        Set<ByteBuffer> k = keys(index("a", false, true), "{_id: 1, a: []}");
        assertTrue(k.contains(key(new BsonArray())));
        assertFalse(k.contains(key(BsonNull.VALUE)));
        // Before nullKeys an empty array indexed as undefined, which encodes as null.
        assertTrue(keys(index("a", false, false), "{_id: 1, a: []}").contains(key(new BsonUndefined())));
        assertEquals(key(BsonNull.VALUE), key(new BsonUndefined()));
    }

    /** Random documents: every equality, null and $exists match has the key the planner's bounds read. */
    @Test
    void everyMatchHasTheKeyItsBoundsRead() {
        Random r = new Random(7);
        List<BsonValue> probes = List.of(BsonNull.VALUE, new BsonInt32(1), new BsonDouble(2), new BsonString("x"));
        int nullMatches = 0;
        for (int n = 0; n < 3_000; n++) {
            BsonDocument doc = new BsonDocument("_id", new BsonInt32(n));
            for (String f : new String[] {"a", "b"}) {
                if (r.nextInt(5) > 0) {
                    doc.append(f, value(r, 3));
                }
            }
            for (String path : PATHS) {
                Set<ByteBuffer> k = IndexKeys.of(index(path, false, true), null, doc);
                for (BsonValue v : probes) {
                    if (Matcher.compile(new BsonDocument(path, v)).matches(doc)) {
                        assertTrue(k.contains(key(v)), path + " = " + v + " in " + doc.toJson());
                        nullMatches += v.isNull() ? 1 : 0;
                    }
                }
                boolean exists = Matcher.compile(BsonDocument.parse("{'" + path + "': {$exists: true}}")).matches(doc);
                if (exists) {
                    assertFalse(IndexKeys.of(index(path, true, true), null, doc).isEmpty(), path + " exists in " + doc.toJson());
                }
            }
        }
        assertTrue(nullMatches > 500, "null matches seen: " + nullMatches);
    }

    private static BsonValue value(Random r, int depth) {
        switch (r.nextInt(depth > 0 ? 7 : 4)) {
            case 0:
                return new BsonInt32(r.nextInt(3));
            case 1:
                return r.nextBoolean() ? new BsonString("x") : new BsonDouble(2);
            case 2:
                return r.nextInt(4) == 0 ? new BsonUndefined() : BsonNull.VALUE;
            case 3:
                return new BsonDocument();
            case 4:
            case 5: {
                List<BsonValue> a = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    a.add(value(r, depth - 1));
                }
                return new BsonArray(a);
            }
            default: {
                BsonDocument d = new BsonDocument();
                for (String f : new String[] {"b", "c"}) {
                    if (r.nextBoolean()) {
                        d.append(f, value(r, depth - 1));
                    }
                }
                return d;
            }
        }
    }

    private static IndexInfo compound(String... paths) {
        BsonDocument key = new BsonDocument();
        for (String p : paths) {
            key.append(p, new BsonInt32(1));
        }
        BsonDocument spec = new BsonDocument("v", new BsonInt32(2)).append("key", key).append("name", new BsonString("c"));
        return new IndexInfo(8, "c", key, false, false, null, spec, true, true);
    }

    /** The compound keys, without the multikey marker, as lists of values in BSON's JSON form for readable failures. */
    private static Set<ByteBuffer> compoundKeys(IndexInfo index, String json) {
        Set<ByteBuffer> k = new java.util.HashSet<>(keys(index, json));
        k.remove(ByteBuffer.wrap(IndexKeys.MARKER));
        return k;
    }

    private static ByteBuffer key(BsonValue... values) {
        return ByteBuffer.wrap(KeyEncoder.encodeCompound(List.of(values), new boolean[values.length]));
    }

    private static BsonValue v(String json) {
        return BsonDocument.parse("{v: " + json + "}").get("v");
    }

    @Test
    void fieldsUnderOneSharedArrayGiveOneKeyPerElementNotACrossProduct() {
        IndexInfo bc = compound("a.b", "a.c");
        assertEquals(Set.of(key(v("1"), v("2")), key(v("3"), v("4"))), compoundKeys(bc, "{_id: 1, a: [{b: 1, c: 2}, {b: 3, c: 4}]}"));
        // An element without one of the paths gives null for it (mongod's GetKeysAlternateMissing).
        assertEquals(Set.of(key(v("1"), v("null")), key(v("null"), v("2"))), compoundKeys(bc, "{_id: 1, a: [{b: 1}, {c: 2}]}"));
        assertEquals(Set.of(key(v("null"), v("null"))), compoundKeys(bc, "{_id: 1, a: []}"));
        assertEquals(Set.of(key(v("null"), v("null"))), compoundKeys(bc, "{_id: 1, a: [1, 2]}"));
        // Below the shared array, one element's own array expands with the other field's value of that element.
        assertEquals(Set.of(key(v("1"), v("5")), key(v("2"), v("5")), key(v("3"), v("6"))),
                compoundKeys(bc, "{_id: 1, a: [{b: [1, 2], c: 5}, {b: 3, c: 6}]}"));
        assertTrue(keys(bc, "{_id: 1, a: [{b: 1, c: 2}]}").contains(ByteBuffer.wrap(IndexKeys.MARKER)), "multikey");
    }

    @Test
    void aFieldEndingAtTheSharedArrayTakesEachElement() {
        IndexInfo aab = compound("a", "a.b");
        assertEquals(Set.of(key(v("{b: 1}"), v("1")), key(v("{b: 2}"), v("2"))), compoundKeys(aab, "{_id: 1, a: [{b: 1}, {b: 2}]}"));
        assertEquals(Set.of(key(new BsonArray(), BsonNull.VALUE)), compoundKeys(aab, "{_id: 1, a: []}"));
        assertEquals(Set.of(key(v("5"), v("null")), key(v("{b: 2}"), v("2"))), compoundKeys(aab, "{_id: 1, a: [5, {b: 2}]}"));
    }

    @Test
    void arraysOnDifferentPathsAreStillParallel() {
        for (String[] c : new String[][] {{"a", "b", "{_id: 1, a: [1, 2], b: [1, 2]}"},
                {"a.b", "a.c", "{_id: 1, a: {b: [1], c: [2]}}"},
                {"a.b", "a.c", "{_id: 1, a: [{b: [1], c: [2]}]}"}}) {
            dev.argon.engine.ArgonException e = org.junit.jupiter.api.Assertions.assertThrows(dev.argon.engine.ArgonException.class,
                    () -> keys(compound(c[0], c[1]), c[2]), c[2]);
            assertEquals(171, e.code(), c[2]);
        }
        // One array under a plain document, the other field a scalar: the usual multikey keys.
        assertEquals(Set.of(key(v("1"), v("3")), key(v("2"), v("3"))), compoundKeys(compound("a.b", "a.c"), "{_id: 1, a: {b: [1, 2], c: 3}}"));
    }
}
