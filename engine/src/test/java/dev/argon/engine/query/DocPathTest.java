package dev.argon.engine.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

class DocPathTest {
    static BsonDocument json(String s) {
        return BsonDocument.parse(s);
    }

    private static List<BsonValue> list(String json) {
        return json("{v: " + json + "}").getArray("v").getValues();
    }

    private static BsonValue v(String json) {
        return json("{v: " + json + "}").get("v");
    }

    /** (value or "missing", index) pairs reported by traverse. */
    private static List<String> visits(String path, String doc, boolean expand) {
        List<String> out = new ArrayList<>();
        DocPath.of(path).traverse(json(doc), expand, (value, index) -> {
            out.add((value == null ? "missing" : Args.json(value)) + "@" + index);
            return false;
        });
        return out;
    }

    @Test
    void valuesWithImplicitArrayTraversal() {
        assertEquals(list("[1, 2]"), DocPath.values(json("{a: [1, 2]}"), "a"));
        assertEquals(list("[1, [2]]"), DocPath.values(json("{a: [1, [2]]}"), "a"));
        assertEquals(list("[1, 3]"), DocPath.values(json("{a: [{b: 1}, {c: 2}, {b: 3}]}"), "a.b"));
        assertEquals(list("[1, 2, 3]"), DocPath.values(json("{a: [{b: [1, 2]}, {b: 3}]}"), "a.b"));
        assertEquals(list("[5]"), DocPath.values(json("{a: [5, 6]}"), "a.0"));
        assertEquals(list("[1, 2]"), DocPath.values(json("{a: [[1, 2]]}"), "a.0"));
        assertEquals(list("[]"), DocPath.values(json("{a: []}"), "a"));
        assertEquals(list("[]"), DocPath.values(json("{a: [[{b: 1}]]}"), "a.b"));
        assertEquals(list("[]"), DocPath.values(json("{a: 1}"), "a.b"));
        assertEquals(list("[{b: 1}]"), DocPath.of("a").values(json("{a: {b: 1}}")));
    }

    @Test
    void traversalReportsMissingAndOutermostIndexes() {
        assertEquals(List.of("missing@-1"), visits("a.b", "{a: 1}", true));
        assertEquals(List.of("1@0", "missing@1"), visits("a.b", "{a: [{b: 1}, {c: 1}]}", true));
        assertEquals(List.of("1@0", "2@0", "[1, 2]@0"), visits("a.b", "{a: [{b: [1, 2]}]}", true));
        assertEquals(List.of(), visits("a.b", "{a: [1, 2]}", true));
        assertEquals(List.of(), visits("a.b", "{a: []}", true));
        assertEquals(List.of("[]@-1"), visits("a", "{a: []}", true));
        // An explicit index is not an implicit traversal, so it reports no position.
        assertEquals(List.of("6@-1"), visits("a.1", "{a: [5, 6]}", true));
        assertEquals(List.of("missing@0", "1@-1"), visits("a.0.b", "{a: [{b: 1}]}", true));
    }

    @Test
    void traversalStopsWhenTheVisitorSaysSo() {
        List<BsonValue> seen = new ArrayList<>();
        boolean stopped = DocPath.of("a").traverse(json("{a: [1, 2, 3]}"), true, (value, index) -> {
            seen.add(value);
            return index == 1;
        });
        assertTrue(stopped);
        assertEquals(list("[1, 2]"), seen);
    }

    @Test
    void exactNavigation() {
        BsonDocument doc = json("{a: {b: [10, {c: 5}]}, x: [[1, 2]]}");
        assertEquals(v("5"), DocPath.get(doc, "a.b.1.c"));
        assertEquals(v("10"), DocPath.get(doc, "a.b.0"));
        assertEquals(v("2"), DocPath.get(doc, "x.0.1"));
        assertNull(DocPath.get(doc, "a.b.c"));
        assertNull(DocPath.get(doc, "a.b.7"));
        assertNull(DocPath.get(doc, "a.b.0.c"));
        assertNull(DocPath.get(doc, "nope"));
    }

    @Test
    void aggregationFieldPath() {
        assertEquals(v("[1, 3]"), DocPath.of("a.b").fieldPathValue(json("{a: [{b: 1}, {c: 2}, {b: 3}, 4]}")));
        assertEquals(v("[[1], 2]"), DocPath.of("a.b").fieldPathValue(json("{a: [[{b: 1}], {b: 2}]}")));
        assertEquals(v("5"), DocPath.of("a.b").fieldPathValue(json("{a: {b: 5}}")));
        assertNull(DocPath.of("a.b").fieldPathValue(json("{a: 5}")));
        assertNull(DocPath.of("a.0").fieldPathValue(json("{a: {b: 5}}")));
        assertEquals(v("[]"), DocPath.of("a.0").fieldPathValue(json("{a: [5]}")));
    }

    @Test
    void arrayIndexComponents() {
        assertEquals(0, DocPath.arrayIndex("0"));
        assertEquals(12, DocPath.arrayIndex("12"));
        assertEquals(-1, DocPath.arrayIndex("01"));
        assertEquals(-1, DocPath.arrayIndex("-1"));
        assertEquals(-1, DocPath.arrayIndex(""));
        assertEquals(-1, DocPath.arrayIndex("a"));
        assertEquals(List.of("a", "b", "0"), DocPath.of("a.b.0").parts());
        assertEquals(3, DocPath.of("a.b.0").length());
    }
}
