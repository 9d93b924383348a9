package dev.argon.engine.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import org.bson.BsonDocument;
import org.bson.BsonUndefined;
import org.junit.jupiter.api.Test;

class MatcherTest {
    static BsonDocument json(String s) {
        return BsonDocument.parse(s);
    }

    private static boolean m(String filter, String doc) {
        return Matcher.compile(json(filter)).matches(json(doc));
    }

    private static void yes(String filter, String... docs) {
        Matcher matcher = Matcher.compile(json(filter));
        for (String doc : docs) {
            assertTrue(matcher.matches(json(doc)), () -> filter + " should match " + doc);
        }
    }

    private static void no(String filter, String... docs) {
        Matcher matcher = Matcher.compile(json(filter));
        for (String doc : docs) {
            assertFalse(matcher.matches(json(doc)), () -> filter + " should not match " + doc);
        }
    }

    private static ArgonException err(String filter) {
        return assertThrows(ArgonException.class, () -> Matcher.compile(json(filter)));
    }

    private static void err(String filter, MongoErrorCode code, String message) {
        ArgonException e = err(filter);
        assertEquals(code, e.error(), () -> filter + ": " + e.getMessage());
        assertEquals(message, e.getMessage(), filter);
    }

    private static Integer position(String filter, String doc) {
        MatchDetails details = new MatchDetails();
        assertTrue(Matcher.compile(json(filter)).matches(json(doc), details), () -> filter + " / " + doc);
        return details.arrayIndex();
    }

    // ---- equality and array traversal ----

    @Test
    void emptyAndNullFiltersMatchEverything() {
        assertTrue(Matcher.compile(null).matches(json("{}")));
        yes("{}", "{}", "{a: 1}");
    }

    @Test
    void equalityAcrossNumericTypes() {
        yes("{a: 1}", "{a: 1}", "{a: 1.0}", "{a: {$numberLong: '1'}}", "{a: {$numberDecimal: '1.00'}}");
        no("{a: 1}", "{a: '1'}", "{a: true}", "{}", "{a: null}");
    }

    @Test
    void equalityMatchesArrayElementsOrTheWholeArray() {
        yes("{a: 1}", "{a: [1, 2]}", "{a: [3, 1]}");
        no("{a: 1}", "{a: [[1]]}", "{a: [2]}", "{a: []}");
        yes("{a: [1, 2]}", "{a: [1, 2]}", "{a: [[1, 2], 3]}");
        no("{a: [1, 2]}", "{a: [2, 1]}", "{a: [1, 2, 3]}", "{a: 1}");
        yes("{a: []}", "{a: []}", "{a: [[]]}");
    }

    @Test
    void equalityToDocumentsIsExactAndOrdered() {
        yes("{a: {b: 1, c: 2}}", "{a: {b: 1, c: 2}}", "{a: [{b: 1, c: 2}]}", "{a: {b: 1.0, c: 2}}");
        no("{a: {b: 1, c: 2}}", "{a: {c: 2, b: 1}}", "{a: {b: 1}}", "{a: {b: 1, c: 2, d: 3}}");
        yes("{a: {$ref: 'c', $id: 1}}", "{a: {$ref: 'c', $id: 1}}");
    }

    @Test
    void dottedPathsTraverseArraysOfDocuments() {
        yes("{'a.b': 1}", "{a: {b: 1}}", "{a: [{b: 1}]}", "{a: [{b: 2}, {b: 1}]}", "{a: [{b: [0, 1]}]}",
                "{a: {b: [1]}}");
        no("{'a.b': 1}", "{a: [[{b: 1}]]}", "{a: [1]}", "{a: 1}", "{a: {b: [[1]]}}");
        yes("{'a.b.c': 1}", "{a: [{b: [{c: 1}]}]}", "{a: {b: [{c: [1]}]}}");
    }

    @Test
    void numericComponentsAreIndexesAndFieldNames() {
        yes("{'a.0': 5}", "{a: [5, 6]}", "{a: {'0': 5}}", "{a: [{'0': 5}]}");
        no("{'a.1': 5}", "{a: [5, 6]}");
        yes("{'a.1.b': 2}", "{a: [{b: 1}, {b: 2}]}");
        no("{'a.1.b': 2}", "{a: [{b: 2}, {b: 1}]}");
        yes("{'a.0.0': 1}", "{a: [[1, 2]]}");
        yes("{'a.0.b': 1}", "{a: [[{b: 1}]]}");
        no("{'a.00': 5}", "{a: [5]}");
    }

    @Test
    void nullMatchesMissingAndNull() {
        yes("{a: null}", "{}", "{a: null}", "{a: [1, null]}", "{b: 1}");
        no("{a: null}", "{a: 1}", "{a: [1]}", "{a: []}", "{a: false}");
        assertTrue(Matcher.compile(json("{a: null}")).matches(new BsonDocument("a", new BsonUndefined())));
        yes("{'a.b': null}", "{a: 1}", "{a: {}}", "{a: [{b: 1}, {}]}", "{a: [{c: 1}]}", "{}");
        no("{'a.b': null}", "{a: [1, 2]}", "{a: [{b: 1}]}", "{a: {b: 0}}");
    }

    // ---- comparison and type bracketing ----

    @Test
    void comparisonsOnlyWithinTheSameTypeBracket() {
        yes("{a: {$gt: 5}}", "{a: 6}", "{a: 5.5}", "{a: [1, 7]}", "{a: {$numberDecimal: '5.0000001'}}");
        no("{a: {$gt: 5}}", "{a: 5}", "{a: '6'}", "{a: true}", "{a: null}", "{}", "{a: [1, 'z']}");
        yes("{a: {$lt: 'b'}}", "{a: 'a'}", "{a: ''}");
        no("{a: {$lt: 'b'}}", "{a: 1}", "{a: null}", "{a: {$minKey: 1}}");
        yes("{a: {$gte: {$date: '2020-01-01T00:00:00Z'}}}", "{a: {$date: '2021-01-01T00:00:00Z'}}");
        no("{a: {$gte: {$date: '2020-01-01T00:00:00Z'}}}", "{a: 99999999999999}");
        yes("{a: {$lte: 5}}", "{a: 5}", "{a: {$numberLong: '5'}}");
    }

    @Test
    void severalOperatorsOnOneFieldTraverseIndependently() {
        yes("{a: {$gt: 1, $lt: 5}}", "{a: 3}", "{a: [0, 10]}");
        no("{a: {$gt: 1, $lt: 5}}", "{a: 10}", "{a: [10, 20]}");
        no("{a: {$elemMatch: {$gt: 1, $lt: 5}}}", "{a: [0, 10]}");
        yes("{a: {$elemMatch: {$gt: 1, $lt: 5}}}", "{a: [0, 3]}");
    }

    @Test
    void minKeyAndMaxKeyBoundEverything() {
        yes("{a: {$gt: {$minKey: 1}}}", "{a: 'x'}", "{a: null}", "{}", "{a: {$maxKey: 1}}");
        no("{a: {$gt: {$minKey: 1}}}", "{a: {$minKey: 1}}");
        yes("{a: {$lt: {$maxKey: 1}}}", "{a: 1}", "{a: {}}");
        yes("{a: {$minKey: 1}}", "{a: {$minKey: 1}}");
        no("{a: {$minKey: 1}}", "{a: null}");
    }

    @Test
    void nullComparisons() {
        yes("{a: {$gte: null}}", "{}", "{a: null}");
        yes("{a: {$lte: null}}", "{}", "{a: null}");
        no("{a: {$gte: null}}", "{a: 0}");
        no("{a: {$lt: null}}", "{}", "{a: null}", "{a: 1}");
        no("{a: {$gt: null}}", "{}", "{a: null}", "{a: 1}");
    }

    @Test
    void nanOnlyEqualsNaN() {
        yes("{a: NaN}", "{a: NaN}", "{a: {$numberDecimal: 'NaN'}}");
        no("{a: NaN}", "{a: 1}");
        no("{a: {$gt: NaN}}", "{a: NaN}", "{a: 1}", "{a: -Infinity}");
        yes("{a: {$gte: NaN}}", "{a: NaN}");
        no("{a: {$lt: 5}}", "{a: NaN}");
        no("{a: {$gte: -Infinity}}", "{a: NaN}");
        yes("{a: {$gte: -Infinity}}", "{a: -Infinity}", "{a: 0}");
    }

    @Test
    void comparisonWithArraysComparesArrays() {
        yes("{a: {$lt: [2]}}", "{a: [1]}", "{a: [[0]]}");
        no("{a: {$lt: [2]}}", "{a: [3]}", "{a: 1}");
    }

    @Test
    void notEqual() {
        yes("{a: {$ne: 1}}", "{a: 2}", "{}", "{a: [2, 3]}", "{a: '1'}");
        no("{a: {$ne: 1}}", "{a: 1}", "{a: [1, 2]}", "{a: 1.0}");
        yes("{a: {$ne: null}}", "{a: 1}", "{a: []}");
        no("{a: {$ne: null}}", "{}", "{a: null}", "{a: [null, 1]}");
        yes("{'a.b': {$ne: 1}}", "{a: [{b: 2}, {c: 1}]}", "{a: [1]}");
        no("{'a.b': {$ne: 1}}", "{a: [{b: 2}, {b: 1}]}");
    }

    // ---- $in / $nin ----

    @Test
    void inAndNin() {
        yes("{a: {$in: [1, 'x']}}", "{a: 'x'}", "{a: [5, 1]}", "{a: 1.0}");
        no("{a: {$in: [1, 'x']}}", "{a: 2}", "{}", "{a: ['y']}");
        yes("{a: {$in: [null]}}", "{}", "{a: null}", "{a: [null]}");
        yes("{a: {$in: [/^a/, 5]}}", "{a: 'abc'}", "{a: ['z', 'ab']}", "{a: 5}", "{a: /^a/}");
        no("{a: {$in: [/^a/]}}", "{a: 'ba'}", "{a: 1}");
        no("{a: {$in: []}}", "{}", "{a: 1}");
        yes("{a: {$in: [[1, 2]]}}", "{a: [1, 2]}", "{a: [[1, 2]]}");
        yes("{a: {$nin: [1, 2]}}", "{a: 3}", "{}", "{a: [3, 4]}");
        no("{a: {$nin: [1, 2]}}", "{a: [3, 1]}", "{a: 2}");
        no("{a: {$nin: [null]}}", "{}");
    }

    // ---- logical ----

    @Test
    void logicalOperators() {
        yes("{$and: [{a: 1}, {b: 2}]}", "{a: 1, b: 2}");
        no("{$and: [{a: 1}, {b: 2}]}", "{a: 1}");
        yes("{$or: [{a: 1}, {b: 2}]}", "{a: 1}", "{b: 2}");
        no("{$or: [{a: 1}, {b: 2}]}", "{a: 2, b: 1}");
        yes("{$nor: [{a: 1}, {b: 2}]}", "{a: 2}", "{}");
        no("{$nor: [{a: 1}, {b: 2}]}", "{b: 2}");
        yes("{a: 1, $or: [{b: 1}, {c: 1}]}", "{a: 1, c: 1}");
        no("{a: 1, $or: [{b: 1}, {c: 1}]}", "{a: 2, c: 1}");
    }

    @Test
    void notNegatesTheOperatorsOfAField() {
        yes("{a: {$not: {$gt: 5}}}", "{a: 3}", "{}", "{a: 'x'}", "{a: [1, 2]}");
        no("{a: {$not: {$gt: 5}}}", "{a: 6}", "{a: [1, 6]}");
        yes("{a: {$not: /^x/}}", "{a: 'y'}", "{}");
        no("{a: {$not: /^x/}}", "{a: 'xy'}");
        yes("{a: {$not: {$gt: 1, $lt: 5}}}", "{a: 7}");
        no("{a: {$not: {$gt: 1, $lt: 5}}}", "{a: 3}");
        yes("{a: {$not: {$regex: '^x', $options: 'i'}}}", "{a: 'y'}");
        no("{a: {$not: {$regex: '^x', $options: 'i'}}}", "{a: 'Xy'}");
    }

    // ---- element operators ----

    @Test
    void exists() {
        yes("{a: {$exists: true}}", "{a: null}", "{a: []}", "{a: 0}");
        no("{a: {$exists: true}}", "{}", "{b: 1}");
        yes("{a: {$exists: false}}", "{}");
        no("{a: {$exists: false}}", "{a: null}");
        yes("{a: {$exists: 0}}", "{}");
        yes("{'a.b': {$exists: true}}", "{a: [{c: 1}, {b: null}]}");
        no("{'a.b': {$exists: true}}", "{a: [1, 2]}", "{a: [{c: 1}]}", "{a: 5}");
        no("{'a.b': {$exists: false}}", "{a: [{b: 1}, {c: 1}]}");
    }

    @Test
    void typeByCodeAliasAndNumber() {
        yes("{a: {$type: 'string'}}", "{a: 'x'}", "{a: [1, 'x']}");
        no("{a: {$type: 'string'}}", "{a: 1}", "{}");
        yes("{a: {$type: 2}}", "{a: 'x'}");
        yes("{a: {$type: 2.0}}", "{a: 'x'}");
        yes("{a: {$type: 'number'}}", "{a: 1}", "{a: {$numberLong: '1'}}", "{a: 1.5}", "{a: {$numberDecimal: '1'}}");
        no("{a: {$type: 'number'}}", "{a: '1'}");
        yes("{a: {$type: 'array'}}", "{a: []}", "{a: [[1]]}");
        no("{a: {$type: 'array'}}", "{a: 1}");
        yes("{a: {$type: ['string', 'int']}}", "{a: 1}", "{a: 's'}");
        no("{a: {$type: 'int'}}", "{a: 1.0}");
        yes("{a: {$type: 'null'}}", "{a: null}");
        no("{a: {$type: 'null'}}", "{}");
        yes("{a: {$type: -1}}", "{a: {$minKey: 1}}");
        yes("{a: {$type: 'maxKey'}}", "{a: {$maxKey: 1}}");
        yes("{a: {$type: 'long'}}", "{a: {$numberLong: '1'}}");
        yes("{a: {$type: 'object'}}", "{a: {}}");
    }

    @Test
    void typeErrors() {
        err("{a: {$type: 'foo'}}", MongoErrorCode.BAD_VALUE, "Unknown type name alias: foo");
        err("{a: {$type: 99}}", MongoErrorCode.BAD_VALUE, "Invalid numerical type code: 99");
        err("{a: {$type: 1.5}}", MongoErrorCode.BAD_VALUE, "Invalid numerical type code: 1.5");
        err("{a: {$type: 0}}", MongoErrorCode.BAD_VALUE,
                "Invalid numerical type code: 0. Instead use {$exists:false}.");
        err("{a: {$type: {}}}", MongoErrorCode.TYPE_MISMATCH, "type must be represented as a number or a string");
        err("{a: {$type: []}}", MongoErrorCode.FAILED_TO_PARSE, "a must match at least one type");
    }

    @Test
    void mod() {
        yes("{a: {$mod: [4, 1]}}", "{a: 5}", "{a: 5.9}", "{a: [2, 9]}", "{a: {$numberLong: '13'}}",
                "{a: {$numberDecimal: '1.5'}}");
        no("{a: {$mod: [4, 1]}}", "{a: 4}", "{a: '5'}", "{}", "{a: NaN}", "{a: Infinity}");
        yes("{a: {$mod: [4, -3]}}", "{a: -3}", "{a: -7}");
        yes("{a: {$mod: [-1, 0]}}", "{a: {$numberLong: '-9223372036854775808'}}");
        yes("{a: {$mod: [2.9, 0]}}", "{a: 4}");
    }

    @Test
    void modErrors() {
        err("{a: {$mod: 4}}", MongoErrorCode.BAD_VALUE, "malformed mod, needs to be an array");
        err("{a: {$mod: []}}", MongoErrorCode.BAD_VALUE, "malformed mod, not enough elements");
        err("{a: {$mod: [4]}}", MongoErrorCode.BAD_VALUE, "malformed mod, not enough elements");
        err("{a: {$mod: [4, 1, 2]}}", MongoErrorCode.BAD_VALUE, "malformed mod, too many elements");
        err("{a: {$mod: ['4', 1]}}", MongoErrorCode.BAD_VALUE, "malformed mod, divisor not a number");
        err("{a: {$mod: [4, '1']}}", MongoErrorCode.BAD_VALUE, "malformed mod, remainder not a number");
        err("{a: {$mod: [0, 1]}}", MongoErrorCode.BAD_VALUE, "divisor cannot be 0");
        assertTrue(err("{a: {$mod: [NaN, 1]}}").getMessage().startsWith("malformed mod, divisor value is invalid"));
    }

    // ---- regex ----

    @Test
    void regexes() {
        yes("{a: /^ab/}", "{a: 'abc'}", "{a: ['x', 'abz']}", "{a: {$symbol: 'abc'}}");
        no("{a: /^ab/}", "{a: 'cab'}", "{a: 1}", "{}");
        yes("{a: {$regex: '^a', $options: 'i'}}", "{a: 'ABC'}");
        yes("{a: {$options: 'i', $regex: '^a'}}", "{a: 'ABC'}");
        yes("{a: {$regex: /^a/i}}", "{a: 'ABC'}");
        yes("{a: {$regex: /^a$/, $options: 'm'}}", "{a: 'x\\na'}");
        no("{a: {$regex: /^a$/}}", "{a: 'x\\na'}");
        yes("{a: {$regex: 'a.c', $options: 's'}}", "{a: 'a\\nc'}");
        yes("{a: {$regex: 'a b # comment', $options: 'x'}}", "{a: 'ab'}");
        yes("{a: {$regex: '[[:digit:]]+'}}", "{a: 'x42'}");
        // A stored regex matches a regex filter only if pattern and flags are identical.
        yes("{a: /a/i}", "{a: /a/i}");
        no("{a: /a/i}", "{a: /a/}");
        yes("{a: {$eq: /a/}}", "{a: /a/}");
        no("{a: {$eq: /a/}}", "{a: 'a'}");
    }

    @Test
    void regexErrors() {
        err("{a: {$options: 'i'}}", MongoErrorCode.BAD_VALUE, "$options needs a $regex");
        err("{a: {$regex: 5}}", MongoErrorCode.BAD_VALUE, "$regex has to be a string");
        err("{a: {$regex: 'a', $options: 5}}", MongoErrorCode.BAD_VALUE, "$options has to be a string");
        err("{a: {$regex: 'a', $options: 'g'}}", MongoErrorCode.LOCATION_51108, "invalid flag in regex options: g");
        assertEquals(MongoErrorCode.LOCATION_51091, err("{a: {$regex: '('}}").error());
        err("{a: {$options: 'm', $regex: /a/i}}", MongoErrorCode.LOCATION_51074,
                "options set in both $regex and $options");
        err("{a: {$regex: /a/i, $options: 'm'}}", MongoErrorCode.LOCATION_51075,
                "options set in both $regex and $options");
        err("{a: {$ne: /a/}}", MongoErrorCode.BAD_VALUE, "Can't have regex as arg to $ne.");
        err("{a: {$gt: /a/}}", MongoErrorCode.BAD_VALUE, "Can't have RegEx as arg to predicate over field 'a'.");
    }

    // ---- arrays ----

    @Test
    void all() {
        yes("{a: {$all: [1, 2]}}", "{a: [2, 1, 3]}", "{a: [[1], 1, 2]}");
        no("{a: {$all: [1, 2]}}", "{a: [1]}", "{a: 1}", "{}");
        yes("{a: {$all: [1]}}", "{a: 1}");
        yes("{a: {$all: [[1, 2]]}}", "{a: [1, 2]}", "{a: [[1, 2], 3]}");
        no("{a: {$all: []}}", "{a: []}", "{a: [1]}", "{}");
        yes("{a: {$all: [/^x/, 'y']}}", "{a: ['xa', 'y']}");
        yes("{'a.b': {$all: [1, 2]}}", "{a: [{b: 1}, {b: 2}]}");
        yes("{a: {$all: [{$elemMatch: {b: 1}}, {$elemMatch: {c: 2}}]}}", "{a: [{b: 1}, {c: 2}]}");
        no("{a: {$all: [{$elemMatch: {b: 1}}, {$elemMatch: {c: 2}}]}}", "{a: [{b: 1}]}");
        yes("{a: {$not: {$all: []}}}", "{a: 1}");
    }

    @Test
    void allErrors() {
        err("{a: {$all: 1}}", MongoErrorCode.BAD_VALUE, "$all needs an array");
        err("{a: {$all: [{$gt: 1}]}}", MongoErrorCode.BAD_VALUE, "no $ expressions in $all");
        err("{a: {$all: [{$elemMatch: {b: 1}}, 5]}}", MongoErrorCode.BAD_VALUE, "$all/$elemMatch has to be consistent");
    }

    @Test
    void elemMatchObjectForm() {
        yes("{a: {$elemMatch: {b: 1, c: 2}}}", "{a: [{b: 1, c: 2}]}", "{a: [{b: 0}, {b: 1, c: 2}]}");
        no("{a: {$elemMatch: {b: 1, c: 2}}}", "{a: [{b: 1}, {c: 2}]}", "{a: {b: 1, c: 2}}", "{}");
        yes("{a: {$elemMatch: {'0': 1}}}", "{a: [[1]]}");
        yes("{a: {$elemMatch: {$or: [{b: 1}, {c: 1}]}}}", "{a: [{c: 1}]}");
        yes("{a: {$elemMatch: {b: {$gt: 1}}}}", "{a: [{b: [0, 5]}]}");
        yes("{'a.b': {$elemMatch: {c: 1}}}", "{a: [{b: [{c: 1}]}]}");
        yes("{a: {$elemMatch: {$ref: 'x', $id: 1}}}", "{a: [{$ref: 'x', $id: 1}]}");
    }

    @Test
    void elemMatchValueForm() {
        yes("{a: {$elemMatch: {$gte: 2, $lt: 3}}}", "{a: [1, 2.5]}");
        no("{a: {$elemMatch: {$gte: 2, $lt: 3}}}", "{a: [1, 5]}", "{a: 2.5}");
        yes("{a: {$elemMatch: {$ne: 1}}}", "{a: [1, 2]}");
        no("{a: {$elemMatch: {$ne: 1}}}", "{a: [1, 1]}");
        yes("{a: {$elemMatch: {$not: {$gt: 3}}}}", "{a: [5, 1]}");
        yes("{a: {$elemMatch: {$elemMatch: {$gt: 1}}}}", "{a: [[0], [2]]}");
        no("{a: {$elemMatch: {$eq: 1}}}", "{a: [[1]]}");
        yes("{a: {$elemMatch: {$in: [1, 2]}}}", "{a: [0, 2]}");
        yes("{a: {$elemMatch: {$regex: '^x'}}}", "{a: ['y', 'xz']}");
        yes("{a: {$elemMatch: {$exists: true}}}", "{a: [1]}");
        no("{a: {$elemMatch: {$exists: true}}}", "{a: []}");
    }

    @Test
    void size() {
        yes("{a: {$size: 2}}", "{a: [1, 2]}", "{a: [[1], []]}");
        no("{a: {$size: 2}}", "{a: [[1, 2]]}", "{a: 2}", "{}", "{a: [1]}");
        yes("{a: {$size: 0}}", "{a: []}");
        yes("{'a.b': {$size: 1}}", "{a: [{b: [1]}, {b: 2}]}");
        yes("{a: {$size: 2.0}}", "{a: [1, 2]}");
        err("{a: {$size: 'a'}}", MongoErrorCode.BAD_VALUE, "Failed to parse $size. Expected a number in: $size: \"a\"");
        err("{a: {$size: -1}}", MongoErrorCode.BAD_VALUE,
                "Failed to parse $size. Expected a positive number in: $size: -1");
        err("{a: {$size: 1.5}}", MongoErrorCode.BAD_VALUE, "Failed to parse $size. Expected an integer: $size: 1.5");
    }

    @Test
    void bitwise() {
        yes("{a: {$bitsAllSet: [0, 2]}}", "{a: 5}", "{a: 7.0}", "{a: {$numberLong: '13'}}");
        no("{a: {$bitsAllSet: [0, 2]}}", "{a: 4}", "{a: 5.5}", "{a: '5'}", "{}");
        yes("{a: {$bitsAllSet: 5}}", "{a: 5}");
        yes("{a: {$bitsAnySet: 6}}", "{a: 2}");
        no("{a: {$bitsAnySet: 6}}", "{a: 1}");
        yes("{a: {$bitsAllClear: [1]}}", "{a: 5}");
        yes("{a: {$bitsAnyClear: [0, 1]}}", "{a: 1}");
        no("{a: {$bitsAnyClear: [0, 1]}}", "{a: 3}");
        // Numbers are sign-extended: bit 100 of -1 is set.
        yes("{a: {$bitsAllSet: [100]}}", "{a: -1}");
        yes("{a: {$bitsAllSet: [0, 9]}}", "{a: {$binary: {base64: 'AQI=', subType: '00'}}}");
        no("{a: {$bitsAllSet: [1]}}", "{a: {$binary: {base64: 'AQI=', subType: '00'}}}");
        yes("{a: {$bitsAnySet: {$binary: {base64: 'Ag==', subType: '00'}}}}", "{a: 2}");
        err("{a: {$bitsAllSet: [-1]}}", MongoErrorCode.BAD_VALUE,
                "Failed to parse bit position. Expected a positive number in: : -1");
        assertEquals(MongoErrorCode.BAD_VALUE, err("{a: {$bitsAllSet: 'x'}}").error());
    }

    // ---- validation ----

    @Test
    void unknownOperators() {
        err("{a: {$foo: 1}}", MongoErrorCode.BAD_VALUE, "unknown operator: $foo");
        err("{a: {$gt: 1, b: 2}}", MongoErrorCode.BAD_VALUE, "unknown operator: b");
        assertTrue(err("{$foo: 1}").getMessage().startsWith("unknown top level operator: $foo"));
        assertTrue(err("{$not: {a: 1}}").getMessage().startsWith("unknown top level operator: $not"));
        err("{a: {$where: 'x'}}", MongoErrorCode.BAD_VALUE, "$where cannot be applied to a field");
    }

    @Test
    void malformedArguments() {
        err("{$and: 1}", MongoErrorCode.BAD_VALUE, "$and must be an array");
        err("{$or: []}", MongoErrorCode.BAD_VALUE, "$and/$or/$nor must be a nonempty array");
        err("{$nor: [1]}", MongoErrorCode.BAD_VALUE, "$or/$and/$nor entries need to be full objects");
        err("{a: {$in: 1}}", MongoErrorCode.BAD_VALUE, "$in needs an array");
        err("{a: {$nin: 1}}", MongoErrorCode.BAD_VALUE, "$nin needs an array");
        err("{a: {$in: [{$gt: 1}]}}", MongoErrorCode.BAD_VALUE, "cannot nest $ under $in");
        err("{a: {$not: 1}}", MongoErrorCode.BAD_VALUE, "$not needs a regex or a document");
        err("{a: {$not: {}}}", MongoErrorCode.BAD_VALUE, "$not cannot be empty");
        err("{a: {$not: {b: 1}}}", MongoErrorCode.BAD_VALUE, "unknown operator: b");
        err("{a: {$elemMatch: 1}}", MongoErrorCode.BAD_VALUE, "$elemMatch needs an Object");
        ArgonException undefined = assertThrows(ArgonException.class,
                () -> Matcher.compile(new BsonDocument("a", new BsonUndefined())));
        assertEquals("cannot compare to undefined", undefined.getMessage());
        err("{$alwaysTrue: 2}", MongoErrorCode.FAILED_TO_PARSE, "$alwaysTrue must be an integer value of 1");
    }

    @Test
    void exprEvaluatesAnAggregationExpressionOnTheDocument() {
        assertTrue(Matcher.compile(BsonDocument.parse("{$expr: {$eq: ['$a', 1]}}")).matches(BsonDocument.parse("{a: 1}")));
        assertFalse(Matcher.compile(BsonDocument.parse("{$expr: {$eq: ['$a', 1]}}")).matches(BsonDocument.parse("{a: 2}")));
        assertFalse(Matcher.compile(BsonDocument.parse("{$expr: '$missing'}")).matches(BsonDocument.parse("{a: 2}")));
    }

    @Test
    void unsupportedFeaturesAreNotImplemented() {
        assertEquals(238, err("{$where: 'this.a == 1'}").code());
        assertEquals(238, err("{$text: {$search: 'x'}}").code());
        assertEquals(238, err("{a: {$near: [0, 0]}}").code());
        err("{a: {$elemMatch: {$expr: {$eq: [1, 1]}}}}", MongoErrorCode.BAD_VALUE,
                "$expr can only be applied to the top-level document");
    }

    @Test
    void commentAndConstantOperators() {
        yes("{a: 1, $comment: 'why'}", "{a: 1}");
        yes("{$alwaysTrue: 1}", "{}");
        no("{$alwaysFalse: 1}", "{}");
    }

    // ---- positions for the positional operator ----

    @Test
    void recordsTheMatchedArrayPosition() {
        assertEquals(2, position("{a: 3}", "{a: [1, 2, 3]}"));
        assertEquals(1, position("{'a.b': 2}", "{a: [{b: 1}, {b: 2}]}"));
        assertEquals(0, position("{'a.b': 2}", "{a: [{b: [1, 2]}]}"));
        assertEquals(1, position("{a: {$elemMatch: {$gt: 1}}}", "{a: [0, 5]}"));
        assertEquals(1, position("{'a.b': {$elemMatch: {$gt: 1}}}", "{a: [{b: [0]}, {b: [0, 5]}]}"));
        assertEquals(1, position("{a: {$elemMatch: {b: 1}}}", "{a: [{b: 0}, {b: 1}]}"));
        assertEquals(1, position("{a: {$in: [7, 8]}}", "{a: [1, 8]}"));
        assertEquals(0, position("{'a.c': {$gt: 1}, b: 1}", "{a: [{c: 5}], b: 1}"));
        assertNull(position("{a: 1}", "{a: 1}"));
        assertNull(position("{a: {$ne: 5}}", "{a: [1, 2]}"));
        assertNull(position("{'a.1': 5}", "{a: [4, 5]}"));
        assertNull(position("{a: [1, 2]}", "{a: [1, 2]}"));
    }

    @Test
    void onlyTheMatchingOrBranchReportsAPosition() {
        assertEquals(0, position("{$or: [{a: 1, c: 5}, {b: 2}]}", "{a: [0, 1], b: [2], c: 0}"));
        assertEquals(1, position("{$or: [{a: 1}, {b: 2}]}", "{a: [0, 1], b: [2]}"));
    }

    @Test
    void matcherIsReusableAndKeepsItsFilter() {
        Matcher matcher = Matcher.compile(json("{a: {$gt: 1}}"));
        assertTrue(matcher.matches(json("{a: 2}")));
        assertFalse(matcher.matches(json("{a: 0}")));
        assertEquals(json("{a: {$gt: 1}}"), matcher.filter());
        assertFalse(m("{a: {$gt: 1}}", "{a: 1}"));
    }
}
