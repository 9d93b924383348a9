package dev.argon.engine.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.engine.ArgonException;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.junit.jupiter.api.Test;

class UpdateSpecTest {
    static final JsonWriterSettings EXACT = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();

    static BsonDocument json(String s) {
        return BsonDocument.parse(s);
    }

    static List<BsonDocument> filters(String array) {
        List<BsonDocument> out = new ArrayList<>();
        for (BsonValue v : BsonArray.parse(array)) {
            out.add(v.asDocument());
        }
        return out;
    }

    static BsonDocument apply(String doc, String update) {
        return UpdateSpec.compile(json(update), null).apply(json(doc), null, false);
    }

    /** Exact comparison: types and field order matter. */
    static void assertDoc(String expected, BsonDocument actual) {
        assertEquals(json(expected).toJson(EXACT), actual.toJson(EXACT));
    }

    static ArgonException error(String doc, String update) {
        return assertThrows(ArgonException.class, () -> apply(doc, update));
    }

    @Test
    void setKeepsPositionOfExistingFieldsAndAppendsNewOnesInPathOrder() {
        assertDoc("{_id: 1, a: 5, c: 3, b: 2}", apply("{_id: 1, a: 1, c: 3}", "{$set: {b: 2, a: 5}}"));
        assertDoc("{_id: 1, a: 1, b: 1, z: 1}", apply("{_id: 1}", "{$set: {z: 1, b: 1, a: 1}}"));
        assertDoc("{_id: 1, a: {'9': 1, '10': 1}}", apply("{_id: 1, a: {}}", "{$set: {'a.10': 1, 'a.9': 1}}"));
    }

    @Test
    void dottedPathsCreateDocumentsAndIndexArrays() {
        assertDoc("{_id: 1, a: {b: {c: 1}}}", apply("{_id: 1}", "{$set: {'a.b.c': 1}}"));
        assertDoc("{_id: 1, a: [1, 5]}", apply("{_id: 1, a: [1, 2]}", "{$set: {'a.1': 5}}"));
        assertDoc("{_id: 1, a: [1, 2, null, null, 9]}", apply("{_id: 1, a: [1, 2]}", "{$set: {'a.4': 9}}"));
        assertDoc("{_id: 1, a: {'0': 1}}", apply("{_id: 1}", "{$set: {'a.0': 1}}"));
        assertDoc("{_id: 1, a: [{b: 1}, {b: 2, c: 3}]}", apply("{_id: 1, a: [{b: 1}, {b: 2}]}", "{$set: {'a.1.c': 3}}"));
        assertDoc("{_id: 1, a: [null, {b: 1}]}", apply("{_id: 1, a: []}", "{$set: {'a.1.b': 1}}"));
    }

    @Test
    void settingInsideAScalarIsNotViable() {
        ArgonException e = error("{_id: 1, a: 1}", "{$set: {'a.b': 1}}");
        assertEquals(28, e.code());
        assertEquals("PathNotViable", e.codeName());
        assertEquals("Cannot create field 'b' in element {a: 1}", e.getMessage());
        assertEquals(28, error("{_id: 1, a: [1]}", "{$set: {'a.x': 1}}").code());
    }

    @Test
    void inputDocumentIsNotModified() {
        BsonDocument doc = json("{_id: 1, a: {b: [1, 2]}, c: {d: 1}}");
        BsonDocument before = doc.clone();
        BsonDocument out = UpdateSpec.compile(json("{$push: {'a.b': 3}, $set: {'c.e': 2}, $unset: {x: 1}}"), null)
                .apply(doc, null, false);
        assertEquals(before, doc);
        assertDoc("{_id: 1, a: {b: [1, 2, 3]}, c: {d: 1, e: 2}}", out);
    }

    @Test
    void conflictingPaths() {
        ArgonException e = assertThrows(ArgonException.class,
                () -> UpdateSpec.compile(json("{$set: {a: 1}, $inc: {a: 1}}"), null));
        assertEquals(40, e.code());
        assertEquals("ConflictingUpdateOperators", e.codeName());
        assertEquals("Updating the path 'a' would create a conflict at 'a'", e.getMessage());
        assertEquals("Updating the path 'a.b' would create a conflict at 'a'", assertThrows(ArgonException.class,
                () -> UpdateSpec.compile(json("{$set: {a: 1, 'a.b': 1}}"), null)).getMessage());
        assertEquals("Updating the path 'a' would create a conflict at 'a'", assertThrows(ArgonException.class,
                () -> UpdateSpec.compile(json("{$set: {'a.b': 1}, $unset: {a: 1}}"), null)).getMessage());
        assertEquals(40, assertThrows(ArgonException.class,
                () -> UpdateSpec.compile(json("{$rename: {a: 'b'}, $set: {b: 1}}"), null)).code());
        UpdateSpec.compile(json("{$set: {'a.b': 1, 'a.c': 1}}"), null);
    }

    @Test
    void incAndMulFollowNumericPromotion() {
        assertDoc("{_id: 1, a: 3}", apply("{_id: 1, a: 1}", "{$inc: {a: 2}}"));
        assertDoc("{_id: 1, a: NumberLong('2147483648')}", apply("{_id: 1, a: 2147483647}", "{$inc: {a: 1}}"));
        assertDoc("{_id: 1, a: 3.5}", apply("{_id: 1, a: 1}", "{$inc: {a: 2.5}}"));
        assertDoc("{_id: 1, a: NumberDecimal('3.5')}", apply("{_id: 1, a: 1}", "{$inc: {a: NumberDecimal('2.5')}}"));
        assertDoc("{_id: 1, a: -2}", apply("{_id: 1}", "{$inc: {a: -2}}"));
        assertDoc("{_id: 1, a: 5.0}", apply("{_id: 1, a: 2}", "{$mul: {a: 2.5}}"));
        assertDoc("{_id: 1, a: NumberLong('4294967296')}", apply("{_id: 1, a: 65536}", "{$mul: {a: 65536}}"));
        assertDoc("{_id: 1, a: 0.0}", apply("{_id: 1}", "{$mul: {a: 2.5}}"));
        assertDoc("{_id: 1, a: NumberLong(0)}", apply("{_id: 1}", "{$mul: {a: NumberLong(3)}}"));
    }

    @Test
    void arithmeticErrors() {
        ArgonException e = error("{_id: 1, a: 'x'}", "{$inc: {a: 1}}");
        assertEquals(14, e.code());
        assertEquals("Cannot apply $inc to a value of non-numeric type. {_id: 1} has the field 'a' of non-numeric type "
                + "string", e.getMessage());
        ArgonException arg = assertThrows(ArgonException.class, () -> UpdateSpec.compile(json("{$inc: {a: 'x'}}"), null));
        assertEquals(14, arg.code());
        assertEquals("Cannot increment with non-numeric argument: {a: \"x\"}", arg.getMessage());
        assertEquals("Cannot multiply with non-numeric argument: {a: \"x\"}", assertThrows(ArgonException.class,
                () -> UpdateSpec.compile(json("{$mul: {a: 'x'}}"), null)).getMessage());
        ArgonException overflow = error("{_id: 1, a: NumberLong('9223372036854775807')}", "{$inc: {a: NumberLong(1)}}");
        assertEquals(2, overflow.code());
        assertTrue(overflow.getMessage().startsWith("Failed to apply $inc operations to current value"));
    }

    @Test
    void minMaxUnsetCurrentDateBit() {
        assertDoc("{_id: 1, a: 1, b: 9}", apply("{_id: 1, a: 5, b: 7}", "{$min: {a: 1}, $max: {b: 9}}"));
        assertDoc("{_id: 1, a: 5, b: 7}", apply("{_id: 1, a: 5, b: 7}", "{$min: {a: 6}, $max: {b: 2}}"));
        assertDoc("{_id: 1, a: 'x'}", apply("{_id: 1, a: 5}", "{$max: {a: 'x'}}"));
        assertDoc("{_id: 1, m: 3}", apply("{_id: 1}", "{$min: {m: 3}}"));
        assertDoc("{_id: 1, b: 2}", apply("{_id: 1, a: 1, b: 2}", "{$unset: {a: '', x: 1, 'y.z': 1}}"));
        assertDoc("{_id: 1, a: [1, null, 3]}", apply("{_id: 1, a: [1, 2, 3]}", "{$unset: {'a.1': 1}}"));
        BsonDocument dates = apply("{_id: 1}", "{$currentDate: {d: true, t: {$type: 'timestamp'}, e: {$type: 'date'}}}");
        assertTrue(dates.get("d").isDateTime());
        assertTrue(dates.get("t").isTimestamp());
        assertTrue(dates.get("e").isDateTime());
        assertEquals(2, assertThrows(ArgonException.class,
                () -> UpdateSpec.compile(json("{$currentDate: {d: {$type: 'x'}}}"), null)).code());
        assertDoc("{_id: 1, a: 1, b: NumberLong(7)}", apply("{_id: 1, a: 3, b: 5}",
                "{$bit: {a: {and: 1}, b: {or: NumberLong(2)}}}"));
    }

    @Test
    void renameMovesFields() {
        assertDoc("{_id: 1, b: 2, c: 1}", apply("{_id: 1, a: 1, b: 2}", "{$rename: {a: 'c'}}"));
        assertDoc("{_id: 1, b: 1, c: 3}", apply("{_id: 1, a: 1, b: 2, c: 3}", "{$rename: {a: 'b'}}"));
        assertDoc("{_id: 1, x: {}, y: {z: 1}}", apply("{_id: 1, x: {a: 1}}", "{$rename: {'x.a': 'y.z'}}"));
        assertDoc("{_id: 1}", apply("{_id: 1}", "{$rename: {a: 'b'}}"));
        ArgonException e = error("{_id: 1, a: [{b: 1}]}", "{$rename: {'a.0.b': 'c'}}");
        assertEquals(2, e.code());
        assertEquals("The source field cannot be an array element, 'a.0.b' in doc with _id: 1 has an array field "
                + "called 'a'", e.getMessage());
        assertEquals(2, assertThrows(ArgonException.class,
                () -> UpdateSpec.compile(json("{$rename: {a: 'a.b'}}"), null)).code());
        assertEquals(2, assertThrows(ArgonException.class,
                () -> UpdateSpec.compile(json("{$rename: {a: 1}}"), null)).code());
    }

    @Test
    void pushWithModifiers() {
        assertDoc("{_id: 1, a: [1, 2]}", apply("{_id: 1, a: [1]}", "{$push: {a: 2}}"));
        assertDoc("{_id: 1, a: [[2, 3]]}", apply("{_id: 1}", "{$push: {a: [2, 3]}}"));
        assertDoc("{_id: 1, a: [1, 8, 9, 2]}", apply("{_id: 1, a: [1, 2]}", "{$push: {a: {$each: [8, 9], $position: 1}}}"));
        assertDoc("{_id: 1, a: [1, 8, 2]}", apply("{_id: 1, a: [1, 2]}", "{$push: {a: {$each: [8], $position: -1}}}"));
        assertDoc("{_id: 1, a: [4, 3]}", apply("{_id: 1, a: [1, 3]}",
                "{$push: {a: {$each: [4, 2], $sort: -1, $slice: 2}}}"));
        assertDoc("{_id: 1, a: [{s: 2}, {s: 3}]}", apply("{_id: 1, a: [{s: 3}, {s: 1}]}",
                "{$push: {a: {$each: [{s: 2}], $sort: {s: 1}, $slice: -2}}}"));
        assertDoc("{_id: 1, a: []}", apply("{_id: 1, a: [1]}", "{$push: {a: {$each: [2], $slice: 0}}}"));
        ArgonException e = error("{_id: 1, a: 5}", "{$push: {a: 1}}");
        assertEquals(2, e.code());
        assertEquals("The field 'a' must be an array but is of type int in document {_id: 1}", e.getMessage());
        assertEquals(2, assertThrows(ArgonException.class,
                () -> UpdateSpec.compile(json("{$push: {a: {$each: 1}}}"), null)).code());
        assertEquals(2, assertThrows(ArgonException.class,
                () -> UpdateSpec.compile(json("{$push: {a: {$each: [], $bad: 1}}}"), null)).code());
    }

    @Test
    void addToSetPullPullAllPop() {
        assertDoc("{_id: 1, a: [1, 2]}", apply("{_id: 1, a: [1]}", "{$addToSet: {a: 2}}"));
        assertDoc("{_id: 1, a: [1]}", apply("{_id: 1, a: [1]}", "{$addToSet: {a: 1.0}}"));
        assertDoc("{_id: 1, a: [1, 2, 3]}", apply("{_id: 1, a: [1]}", "{$addToSet: {a: {$each: [2, 1, 3, 2]}}}"));
        assertDoc("{_id: 1, a: [{x: 1}]}", apply("{_id: 1}", "{$addToSet: {a: {x: 1}}}"));
        assertEquals(2, error("{_id: 1, a: 1}", "{$addToSet: {a: 1}}").code());
        assertDoc("{_id: 1, a: [1, 3]}", apply("{_id: 1, a: [1, 2, 3, 2]}", "{$pull: {a: 2}}"));
        assertDoc("{_id: 1, a: [1, 2]}", apply("{_id: 1, a: [1, 2, 6, 7]}", "{$pull: {a: {$gte: 6}}}"));
        assertDoc("{_id: 1, a: [{s: 1, t: 'x'}, 3]}", apply("{_id: 1, a: [{s: 1, t: 'x'}, {s: 8, t: 'y'}, 3]}",
                "{$pull: {a: {s: {$gt: 5}}}}"));
        assertDoc("{_id: 1, a: ['b']}", apply("{_id: 1, a: ['apple', 'b']}", "{$pull: {a: /^a/}}"));
        assertDoc("{_id: 1, a: [[1, 2]]}", apply("{_id: 1, a: [[1, 2], [3]]}", "{$pull: {a: [3]}}"));
        assertDoc("{_id: 1, a: [3]}", apply("{_id: 1, a: [1, 2, 3, 1]}", "{$pullAll: {a: [1, 2]}}"));
        assertDoc("{_id: 1}", apply("{_id: 1}", "{$pull: {a: 1}}"));
        assertEquals(2, error("{_id: 1, a: 1}", "{$pull: {a: 1}}").code());
        assertDoc("{_id: 1, a: [2, 3]}", apply("{_id: 1, a: [1, 2, 3]}", "{$pop: {a: -1}}"));
        assertDoc("{_id: 1, a: [1, 2]}", apply("{_id: 1, a: [1, 2, 3]}", "{$pop: {a: 1}}"));
        assertEquals(14, error("{_id: 1, a: 1}", "{$pop: {a: 1}}").code());
        assertEquals(9, assertThrows(ArgonException.class, () -> UpdateSpec.compile(json("{$pop: {a: 2}}"), null)).code());
    }

    @Test
    void parseErrors() {
        ArgonException empty = assertThrows(ArgonException.class, () -> UpdateSpec.compile(json("{$set: {}}"), null));
        assertEquals(9, empty.code());
        assertEquals("'$set' is empty. You must specify a field like so: {$set: {<field>: ...}}", empty.getMessage());
        ArgonException unknown = assertThrows(ArgonException.class, () -> UpdateSpec.compile(json("{$foo: {a: 1}}"), null));
        assertEquals(9, unknown.code());
        assertEquals("Unknown modifier: $foo. Expected a valid update modifier or pipeline-style update specified as an "
                + "array", unknown.getMessage());
        assertEquals(9, assertThrows(ArgonException.class, () -> UpdateSpec.compile(json("{$set: 1}"), null)).code());
        assertEquals(56, assertThrows(ArgonException.class, () -> UpdateSpec.compile(json("{$set: {'a..b': 1}}"), null))
                .code());
        assertEquals(2, assertThrows(ArgonException.class, () -> UpdateSpec.compile(json("{$set: {'a.$.b.$': 1}}"), null))
                .code());
    }

    @Test
    void idIsImmutable() {
        ArgonException e = error("{_id: 1, a: 1}", "{$set: {_id: 2}}");
        assertEquals(66, e.code());
        assertEquals("ImmutableField", e.codeName());
        assertEquals("Performing an update on the path '_id' would modify the immutable field '_id'", e.getMessage());
        assertDoc("{_id: 1, a: 2}", apply("{_id: 1, a: 1}", "{$set: {_id: 1, a: 2}}"));
        assertEquals(66, error("{_id: {x: 1}}", "{$set: {'_id.x': 2}}").code());
        assertEquals(66, error("{_id: 1}", "{$unset: {_id: 1}}").code());
        assertEquals(66, error("{_id: 1}", "{$inc: {_id: 1}}").code());
        assertEquals(66, error("{_id: 1, a: 1}", "{_id: 2, a: 1}").code());
    }

    @Test
    void replacementKeepsId() {
        UpdateSpec spec = UpdateSpec.compile(json("{b: 2, c: {d: 1}}"), null);
        assertTrue(spec.isReplacement());
        assertDoc("{_id: 1, b: 2, c: {d: 1}}", spec.apply(json("{_id: 1, a: 1}"), null, false));
        assertDoc("{b: 2, _id: 1}", apply("{_id: 1, a: 1}", "{b: 2, _id: 1}"));
        assertDoc("{_id: 1}", apply("{_id: 1, a: 1}", "{}"));
        ArgonException dollar = assertThrows(ArgonException.class, () -> UpdateSpec.compile(json("{a: 1, $set: {b: 1}}"), null));
        assertEquals(52, dollar.code());
        assertFalse(UpdateSpec.compile(json("{$set: {a: 1}}"), null).isReplacement());
    }

    @Test
    void pipelineUpdates() {
        BsonValue pipeline = BsonArray.parse("[{$set: {c: {$add: ['$a', 1]}}}, {$unset: 'a'}]");
        UpdateSpec spec = UpdateSpec.compile(pipeline, null);
        assertFalse(spec.isReplacement());
        assertDoc("{_id: 1, b: 2, c: 2}", spec.apply(json("{_id: 1, a: 1, b: 2}"), null, false));
        assertDoc("{_id: 1, x: 1}", UpdateSpec.compile(BsonArray.parse("[{$replaceWith: {x: 1}}]"), null)
                .apply(json("{_id: 1, a: 1}"), null, false));
        assertDoc("{_id: 1, a: 1}", UpdateSpec.compile(BsonArray.parse("[{$project: {a: 1}}]"), null)
                .apply(json("{_id: 1, a: 1, b: 2}"), null, false));
        assertEquals(66, assertThrows(ArgonException.class, () -> UpdateSpec.compile(
                BsonArray.parse("[{$set: {_id: 2}}]"), null).apply(json("{_id: 1}"), null, false)).code());
        ArgonException match = assertThrows(ArgonException.class,
                () -> UpdateSpec.compile(BsonArray.parse("[{$match: {}}]"), null));
        assertEquals(72, match.code());
        assertEquals("$match is not allowed to be used within an update", match.getMessage());
        assertEquals(40324, assertThrows(ArgonException.class,
                () -> UpdateSpec.compile(BsonArray.parse("[{$foo: {}}]"), null)).code());
        assertEquals(9, assertThrows(ArgonException.class,
                () -> UpdateSpec.compile(BsonArray.parse("[{$set: {a: 1}}]"), filters("[{x: 1}]"))).code());
    }
}
