package dev.argon.engine.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

/** The documents and expectations of mongod's jstests/core/null_query_semantics.js. */
class NullSemanticsTest {
    private static final String[] DOCS = {
        "{_id: 'a_empty_subobject', a: {}}",
        "{_id: 'a_null', a: null}",
        "{_id: 'a_number', a: 4}",
        "{_id: 'a_subobject_b_not_null', a: {b: 'hi'}}",
        "{_id: 'a_subobject_b_null', a: {b: null}}",
        "{_id: 'a_subobject_b_undefined', a: {b: {$undefined: true}}}",
        "{_id: 'a_undefined', a: {$undefined: true}}",
        "{_id: 'no_a'}",
        "{_id: 'a_double_array', a: [[]]}",
        "{_id: 'a_empty_array', a: []}",
        "{_id: 'a_object_array_all_b_nulls', a: [{b: null}, {b: {$undefined: true}}, {b: null}, {}]}",
        "{_id: 'a_object_array_no_b_nulls', a: [{b: 1}, {b: 3}, {b: 'string'}]}",
        "{_id: 'a_object_array_some_b_nulls', a: [{b: null}, {b: 3}, {b: null}]}",
        "{_id: 'a_object_array_some_b_undefined', a: [{b: {$undefined: true}}, {b: 3}]}",
        "{_id: 'a_object_array_some_b_missing', a: [{b: 3}, {}]}",
        "{_id: 'a_value_array_all_nulls', a: [null, null]}",
        "{_id: 'a_value_array_no_nulls', a: [1, 'string', 4]}",
        "{_id: 'a_value_array_with_null', a: [1, 'string', null, 4]}",
        "{_id: 'a_value_array_with_undefined', a: [1, 'string', {$undefined: true}, 4]}",
    };

    static BsonDocument json(String s) {
        return BsonDocument.parse(s);
    }

    private static Set<String> find(String filter) {
        Matcher matcher = Matcher.compile(json(filter));
        Set<String> ids = new TreeSet<>();
        for (String d : DOCS) {
            BsonDocument doc = json(d);
            if (matcher.matches(doc)) {
                ids.add(doc.getString("_id").getValue());
            }
        }
        return ids;
    }

    private static Set<String> ids(String... ids) {
        return new TreeSet<>(List.of(ids));
    }

    private static Set<String> allBut(Set<String> excluded) {
        Set<String> all = new TreeSet<>();
        for (String d : DOCS) {
            all.add(json(d).getString("_id").getValue());
        }
        all.removeAll(excluded);
        return all;
    }

    private static final Set<String> EQ_NULL = ids("a_null", "a_undefined", "no_a", "a_value_array_all_nulls",
            "a_value_array_with_null", "a_value_array_with_undefined");

    private static final Set<String> DOTTED_EQ_NULL = ids("a_empty_subobject", "a_null", "a_number",
            "a_subobject_b_null", "a_subobject_b_undefined", "a_undefined", "no_a", "a_object_array_all_b_nulls",
            "a_object_array_some_b_nulls", "a_object_array_some_b_undefined", "a_object_array_some_b_missing");

    @Test
    void equalityToNull() {
        assertEquals(EQ_NULL, find("{a: {$eq: null}}"));
        assertEquals(allBut(EQ_NULL), find("{a: {$ne: null}}"));
        assertEquals(allBut(EQ_NULL), find("{a: {$not: {$gte: null}}}"));
        assertEquals(EQ_NULL, find("{a: {$in: [null, 75]}}"));
        assertEquals(EQ_NULL, find("{$or: [{a: null}, {a: 75}]}"));
        assertEquals(allBut(EQ_NULL), find("{a: {$nin: [null, 75]}}"));
        Set<String> ninFour = allBut(EQ_NULL);
        ninFour.removeAll(ids("a_number", "a_value_array_no_nulls"));
        assertEquals(ninFour, find("{a: {$nin: [null, 4]}}"));
        assertEquals(ids("no_a"), find("{a: {$exists: false}}"));
    }

    @Test
    void dottedEqualityToNull() {
        assertEquals(DOTTED_EQ_NULL, find("{'a.b': {$eq: null}}"));
        assertEquals(allBut(DOTTED_EQ_NULL), find("{'a.b': {$ne: null}}"));
        assertEquals(DOTTED_EQ_NULL, find("{'a.b': {$in: [null, 75]}}"));
        assertEquals(DOTTED_EQ_NULL, find("{$or: [{'a.b': null}, {'a.b': 75}]}"));
        assertEquals(allBut(DOTTED_EQ_NULL), find("{'a.b': {$nin: [null, 75]}}"));
        Set<String> ninRegex = allBut(DOTTED_EQ_NULL);
        ninRegex.remove("a_object_array_no_b_nulls");
        assertEquals(ninRegex, find("{'a.b': {$nin: [null, /^str.*/]}}"));
    }

    @Test
    void elemMatchWithNull() {
        assertEquals(ids("a_value_array_all_nulls", "a_value_array_with_null", "a_value_array_with_undefined"),
                find("{a: {$elemMatch: {$eq: null}}}"));
        assertEquals(ids("a_double_array", "a_object_array_all_b_nulls", "a_object_array_no_b_nulls",
                "a_object_array_some_b_nulls", "a_object_array_some_b_undefined", "a_object_array_some_b_missing",
                "a_value_array_no_nulls", "a_value_array_with_undefined", "a_value_array_with_null"),
                find("{a: {$elemMatch: {$ne: null}}}"));
        assertEquals(ids(), find("{'a.b': {$elemMatch: {$eq: null}}}"));
        assertEquals(ids(), find("{'a.b': {$elemMatch: {$ne: null}}}"));
        assertEquals(ids("a_double_array", "a_object_array_all_b_nulls", "a_object_array_some_b_nulls",
                "a_object_array_some_b_undefined", "a_object_array_some_b_missing"),
                find("{a: {$elemMatch: {b: {$eq: null}}}}"));
        assertEquals(ids("a_object_array_no_b_nulls", "a_object_array_some_b_nulls",
                "a_object_array_some_b_undefined", "a_object_array_some_b_missing"),
                find("{a: {$elemMatch: {b: {$ne: null}}}}"));
    }

    @Test
    void dottedInclusionProjection() {
        Projection p = Projection.compile(json("{_id: 0, 'a.b': 1}"));
        List<BsonDocument> out = new ArrayList<>();
        for (String id : new String[] {"a_empty_subobject", "a_null", "a_number", "a_double_array",
            "a_empty_array", "a_value_array_no_nulls", "a_object_array_some_b_missing"}) {
            for (String d : DOCS) {
                if (json(d).getString("_id").getValue().equals(id)) {
                    out.add(p.apply(json(d), null));
                }
            }
        }
        assertEquals(List.of(json("{a: {}}"), json("{}"), json("{}"), json("{a: [[]]}"), json("{a: []}"),
                json("{a: []}"), json("{a: [{b: 3}, {}]}")), out);
    }
}
