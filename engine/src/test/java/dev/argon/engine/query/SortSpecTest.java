package dev.argon.engine.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

class SortSpecTest {
    static BsonDocument json(String s) {
        return BsonDocument.parse(s);
    }

    /** Sorts the documents (given in shuffled order) and returns their _id values in sorted order. */
    private static List<BsonValue> ids(String spec, String... docs) {
        List<BsonDocument> list = new ArrayList<>();
        for (String d : docs) {
            list.add(json(d));
        }
        Collections.reverse(list);
        list.sort(SortSpec.compile(json(spec)).comparator());
        List<BsonValue> ids = new ArrayList<>();
        for (BsonDocument d : list) {
            ids.add(d.get("_id"));
        }
        return ids;
    }

    private static List<BsonValue> expect(String idsJson) {
        return json("{v: " + idsJson + "}").getArray("v").getValues();
    }

    @Test
    void ascendingAndDescendingAcrossTypes() {
        String[] docs = {"{_id: 1, a: 'x'}", "{_id: 2, a: 2}", "{_id: 3, a: null}", "{_id: 4, a: 1.5}",
            "{_id: 5, a: {}}", "{_id: 6, a: {$minKey: 1}}"};
        assertEquals(expect("[6, 3, 4, 2, 1, 5]"), ids("{a: 1}", docs));
        assertEquals(expect("[5, 1, 2, 4, 3, 6]"), ids("{a: -1}", docs));
    }

    @Test
    void missingSortsAsNull() {
        assertEquals(0, SortSpec.compile(json("{a: 1}")).comparator().compare(json("{}"), json("{a: null}")));
        assertEquals(expect("[1, 2]"), ids("{a: 1}", "{_id: 1}", "{_id: 2, a: 0}"));
    }

    @Test
    void arraysSortByMinimumAscendingAndMaximumDescending() {
        String[] docs = {"{_id: 1, a: [1, 5]}", "{_id: 2, a: 3}", "{_id: 3, a: [4, 2]}"};
        assertEquals(expect("[1, 3, 2]"), ids("{a: 1}", docs));
        assertEquals(expect("[1, 3, 2]"), ids("{a: -1}", docs));
        assertEquals(expect("[2, 1]"), ids("{a: -1}", "{_id: 1, a: [1, 2]}", "{_id: 2, a: [0, 3]}"));
        // The smallest element across types decides: null < numbers < strings.
        assertEquals(expect("[2, 1]"), ids("{a: 1}", "{_id: 1, a: [1, 'x']}", "{_id: 2, a: [null, 9]}"));
    }

    @Test
    void emptyArraySortsBelowNull() {
        String[] docs = {"{_id: 1, a: null}", "{_id: 2, a: []}", "{_id: 3, a: 1}", "{_id: 4}"};
        List<BsonValue> asc = ids("{a: 1}", docs);
        assertEquals(json("{v: 2}").get("v"), asc.get(0));
        assertEquals(json("{v: 3}").get("v"), asc.get(3));
        List<BsonValue> desc = ids("{a: -1}", docs);
        assertEquals(json("{v: 3}").get("v"), desc.get(0));
        assertEquals(json("{v: 2}").get("v"), desc.get(3));
        assertEquals(expect("[1, 2]"), ids("{a: 1}", "{_id: 1, a: {$minKey: 1}}", "{_id: 2, a: []}"));
    }

    @Test
    void dottedPathsReachIntoArraysOfDocuments() {
        String[] docs = {"{_id: 1, a: [{b: 5}, {b: 1}]}", "{_id: 2, a: {b: 3}}", "{_id: 3, a: [{b: 4}]}"};
        assertEquals(expect("[1, 2, 3]"), ids("{'a.b': 1}", docs));
        assertEquals(expect("[1, 3, 2]"), ids("{'a.b': -1}", docs));
        // An element without the path counts as null.
        assertEquals(expect("[1, 2]"), ids("{'a.b': 1}", "{_id: 1, a: [{c: 1}, {b: 9}]}", "{_id: 2, a: {b: 0}}"));
        assertEquals(expect("[2, 1]"), ids("{'a.1': 1}", "{_id: 1, a: [0, 5]}", "{_id: 2, a: [9, 2]}"));
    }

    @Test
    void compoundSort() {
        String[] docs = {"{_id: 1, a: 1, b: 1}", "{_id: 2, a: 1, b: 2}", "{_id: 3, a: 0, b: 0}",
            "{_id: 4, a: 2, b: 0}"};
        assertEquals(expect("[3, 2, 1, 4]"), ids("{a: 1, b: -1}", docs));
        assertEquals(expect("[4, 1, 2, 3]"), ids("{a: -1, b: 1}", docs));
    }

    @Test
    void numericTypesCompareByValue() {
        assertEquals(expect("[3, 1, 2]"), ids("{a: 1}", "{_id: 1, a: {$numberLong: '2'}}",
                "{_id: 2, a: {$numberDecimal: '2.5'}}", "{_id: 3, a: 1.5}"));
    }

    @Test
    void validation() {
        for (String bad : new String[] {"{a: 2}", "{a: 0}", "{a: 'asc'}", "{a: true}", "{a: {b: 1}}"}) {
            ArgonException e = assertThrows(ArgonException.class, () -> SortSpec.compile(json(bad)), bad);
            assertEquals(MongoErrorCode.BAD_VALUE, e.error(), bad);
        }
        assertEquals("$sort key ordering must be 1 (for ascending) or -1 (for descending)",
                assertThrows(ArgonException.class, () -> SortSpec.compile(json("{a: 2}"))).getMessage());
        assertEquals("Illegal key in $sort specification: a: \"asc\"",
                assertThrows(ArgonException.class, () -> SortSpec.compile(json("{a: 'asc'}"))).getMessage());
        assertEquals(238, assertThrows(ArgonException.class,
                () -> SortSpec.compile(json("{a: {$meta: 'textScore'}}"))).code());
        assertTrue(SortSpec.compile(json("{$natural: -1}")).isEmpty());
        assertTrue(SortSpec.compile(null).isEmpty());
        assertFalse(SortSpec.compile(json("{a: 1.0, b: {$numberLong: '-1'}}")).isEmpty());
    }

    @Test
    void precomputedKeysAgreeWithTheComparator() {
        SortSpec spec = SortSpec.compile(json("{a: 1, 'b.c': -1}"));
        Random random = new Random(5);
        List<BsonDocument> docs = new ArrayList<>();
        String[] values = {"1", "[]", "[2, 0]", "null", "'x'", "{c: 1}", "[{c: 2}, {c: 0}]"};
        for (int i = 0; i < 200; i++) {
            docs.add(json("{a: " + values[random.nextInt(values.length)] + ", b: "
                    + values[random.nextInt(values.length)] + "}"));
        }
        for (BsonDocument x : docs) {
            for (BsonDocument y : docs) {
                assertEquals(Integer.signum(spec.comparator().compare(x, y)),
                        Integer.signum(spec.compareKeys(spec.sortKey(x), spec.sortKey(y))));
                assertEquals(Integer.signum(spec.comparator().compare(x, y)),
                        -Integer.signum(spec.comparator().compare(y, x)));
            }
        }
    }
}
