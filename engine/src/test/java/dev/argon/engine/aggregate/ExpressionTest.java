package dev.argon.engine.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.argon.engine.ArgonException;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.junit.jupiter.api.Test;

class ExpressionTest {
    private static final JsonWriterSettings EXACT = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();

    static BsonDocument json(String s) {
        return BsonDocument.parse(s);
    }

    /** Evaluates {v: spec} against doc and returns the value (null when missing). */
    private static BsonValue eval(String spec, String doc) {
        BsonValue expr = json("{v: " + spec + "}").get("v");
        return Expression.compile(expr).evaluate(json(doc));
    }

    private static BsonValue eval(String spec) {
        return eval(spec, "{}");
    }

    /** Exact comparison including numeric types and field order. */
    private static void assertValue(String expected, BsonValue actual) {
        BsonDocument want = json("{v: " + expected + "}");
        BsonDocument got = new BsonDocument("v", actual);
        assertEquals(want.toJson(EXACT), got.toJson(EXACT));
    }

    private static ArgonException error(String spec, String doc) {
        return assertThrows(ArgonException.class, () -> eval(spec, doc));
    }

    @Test
    void fieldPathsTraverseDocumentsAndArrays() {
        String doc = "{a: {b: 1}, arr: [{b: 1}, {c: 2}, 3, [{b: 4}]], s: 5}";
        assertValue("1", eval("'$a.b'", doc));
        assertValue("[1, [4]]", eval("'$arr.b'", doc));
        assertNull(eval("'$missing'", doc));
        assertNull(eval("'$s.x'", doc));
        assertValue("{b: 1}", eval("'$$ROOT.a'", doc));
        assertValue("{b: 1}", eval("'$$CURRENT.a'", doc));
        assertNull(eval("'$$REMOVE'", doc));
        assertValue("'$notAPath'", eval("{$literal: '$notAPath'}", doc));
    }

    @Test
    void objectAndArrayExpressions() {
        assertValue("{x: 1, z: [1, null]}", eval("{x: '$a', y: '$missing', z: ['$a', '$missing']}", "{a: 1}"));
    }

    @Test
    void arithmeticFollowsTypePromotion() {
        assertValue("3", eval("{$add: [1, 2]}"));
        assertValue("NumberLong('2147483648')", eval("{$add: [2147483647, 1]}"));
        assertValue("3.5", eval("{$add: [1, 2.5]}"));
        assertValue("9.223372036854776E18", eval("{$add: [NumberLong('9223372036854775807'), NumberLong(1)]}"));
        assertValue("NumberDecimal('3.5')", eval("{$add: [NumberDecimal('1.5'), 2]}"));
        assertValue("null", eval("{$add: [1, '$missing']}"));
        assertValue("{$date: 1000}", eval("{$add: [{$date: 0}, 1000]}"));
        assertValue("-1", eval("{$subtract: [1, 2]}"));
        assertValue("NumberLong(1000)", eval("{$subtract: [{$date: 1000}, {$date: 0}]}"));
        assertValue("6", eval("{$multiply: [2, 3]}"));
        assertValue("7.5", eval("{$multiply: [2.5, 3]}"));
        assertValue("2.5", eval("{$divide: [5, 2]}"));
        assertValue("1", eval("{$mod: [7, 3]}"));
        assertValue("1.5", eval("{$mod: [7.5, 3]}"));
        assertValue("5", eval("{$abs: -5}"));
        assertValue("NumberLong('2147483648')", eval("{$abs: -2147483648}"));
        assertValue("2.0", eval("{$ceil: 1.2}"));
        assertValue("1.0", eval("{$floor: 1.8}"));
        assertValue("3", eval("{$ceil: 3}"));
        assertValue("2.0", eval("{$round: 2.5}"));
        assertValue("4.0", eval("{$round: 3.5}"));
        assertValue("1.23", eval("{$round: [1.234, 2]}"));
        assertValue("1200", eval("{$round: [1234, -2]}"));
        assertValue("1.2", eval("{$trunc: [1.29, 1]}"));
        assertValue("-1.0", eval("{$trunc: -1.9}"));
        assertValue("3.0", eval("{$sqrt: 9}"));
        assertValue("8", eval("{$pow: [2, 3]}"));
        assertValue("0.5", eval("{$pow: [2, -1]}"));
        assertValue("NumberLong('4294967296')", eval("{$pow: [2, 32]}"));
    }

    @Test
    void arithmeticErrors() {
        assertEquals(16554, error("{$add: ['x', 1]}", "{}").code());
        assertEquals(16608, error("{$divide: [1, 0]}", "{}").code());
        assertEquals(16610, error("{$mod: [1, 0]}", "{}").code());
        assertEquals(16555, error("{$multiply: ['a']}", "{}").code());
        assertEquals(16020, error("{$subtract: [1]}", "{}").code());
        assertEquals(28714, error("{$sqrt: -1}", "{}").code());
        assertEquals(16612, error("{$add: [{$date: 0}, {$date: 0}]}", "{}").code());
    }

    @Test
    void comparisonTreatsMissingBelowNull() {
        assertValue("true", eval("{$eq: [1, 1.0]}"));
        assertValue("false", eval("{$eq: ['$missing', null]}"));
        assertValue("true", eval("{$lt: ['$missing', null]}"));
        assertValue("true", eval("{$gt: ['a', 1]}"));
        assertValue("-1", eval("{$cmp: [1, 2]}"));
        assertValue("true", eval("{$ne: [1, 2]}"));
        assertValue("true", eval("{$gte: [2, 2]}"));
        assertValue("false", eval("{$lte: [3, 2]}"));
    }

    @Test
    void booleanAndConditionalOperators() {
        assertValue("false", eval("{$and: [1, 0]}"));
        assertValue("true", eval("{$and: []}"));
        assertValue("true", eval("{$or: [null, 'x']}"));
        assertValue("true", eval("{$not: [0]}"));
        assertValue("'y'", eval("{$cond: [false, 'x', 'y']}"));
        assertValue("'x'", eval("{$cond: {if: [], then: 'x', else: 'y'}}"));
        assertValue("'d'", eval("{$ifNull: ['$missing', null, 'd']}"));
        assertValue("0", eval("{$ifNull: [0, 'd']}"));
        assertValue("'two'", eval("{$switch: {branches: [{case: {$eq: ['$a', 1]}, then: 'one'}, "
                + "{case: {$eq: ['$a', 2]}, then: 'two'}], default: 'other'}}", "{a: 2}"));
        assertEquals(40066, error("{$switch: {branches: [{case: false, then: 1}]}}", "{}").code());
        assertEquals(17080, error("{$cond: {then: 1, else: 2}}", "{}").code());
    }

    @Test
    void stringOperators() {
        assertValue("'ab'", eval("{$concat: ['a', 'b']}"));
        assertValue("null", eval("{$concat: ['a', null]}"));
        assertEquals(16702, error("{$concat: ['a', 1]}", "{}").code());
        assertValue("'abc'", eval("{$toLower: 'AbC'}"));
        assertValue("'ABC'", eval("{$toUpper: 'abc'}"));
        assertValue("''", eval("{$toUpper: null}"));
        assertValue("'1'", eval("{$toLower: 1}"));
        assertValue("'éf'", eval("{$substrCP: ['déf', 1, 2]}"));
        assertValue("'lo'", eval("{$substrBytes: ['hello', 3, 5]}"));
        assertValue("3", eval("{$strLenCP: 'déf'}"));
        assertValue("4", eval("{$strLenBytes: 'déf'}"));
        assertValue("['a', 'b', '']", eval("{$split: ['a,b,', ',']}"));
        assertEquals(40087, error("{$split: ['a', '']}", "{}").code());
        assertValue("'x y'", eval("{$trim: {input: '  x y \\n'}}"));
        assertValue("'x--'", eval("{$ltrim: {input: '--x--', chars: '-'}}"));
        assertValue("'--x'", eval("{$rtrim: {input: '--x--', chars: '-'}}"));
        assertValue("2", eval("{$indexOfCP: ['abcb', 'c']}"));
        assertValue("3", eval("{$indexOfCP: ['abcb', 'b', 2]}"));
        assertValue("-1", eval("{$indexOfCP: ['abc', 'z']}"));
        assertValue("0", eval("{$strcasecmp: ['ABC', 'abc']}"));
        assertValue("'a-b-c'", eval("{$replaceAll: {input: 'a b c', find: ' ', replacement: '-'}}"));
        assertValue("'a-b c'", eval("{$replaceOne: {input: 'a b c', find: ' ', replacement: '-'}}"));
        assertValue("true", eval("{$regexMatch: {input: 'Hello', regex: '^h', options: 'i'}}"));
        assertValue("{match: 'b2', idx: 2, captures: ['2']}", eval("{$regexFind: {input: 'a1b2', regex: 'b(\\\\d)'}}"));
        assertValue("[{match: '1', idx: 1, captures: []}, {match: '2', idx: 3, captures: []}]",
                eval("{$regexFindAll: {input: 'a1b2', regex: /\\d/}}"));
    }

    @Test
    void arrayOperators() {
        assertValue("3", eval("{$size: [[1, 2, 3]]}"));
        assertEquals(17124, error("{$size: '$missing'}", "{}").code());
        assertValue("3", eval("{$arrayElemAt: [[1, 2, 3], -1]}"));
        assertNull(eval("{$arrayElemAt: [[1, 2, 3], 5]}"));
        assertValue("1", eval("{$first: [[1, 2]]}"));
        assertValue("2", eval("{$last: [[1, 2]]}"));
        assertValue("true", eval("{$in: [2, [1, 2]]}"));
        assertEquals(40081, error("{$in: [1, '$missing']}", "{}").code());
        assertValue("[1, 2, 3]", eval("{$concatArrays: [[1], [2, 3]]}"));
        assertValue("[1, 2]", eval("{$slice: [[1, 2, 3], 2]}"));
        assertValue("[2, 3]", eval("{$slice: [[1, 2, 3], -2]}"));
        assertValue("[2]", eval("{$slice: [[1, 2, 3], 1, 1]}"));
        assertValue("[2, 3]", eval("{$filter: {input: [1, 2, 3], cond: {$gt: ['$$this', 1]}}}"));
        assertValue("[2]", eval("{$filter: {input: [1, 2, 3], as: 'n', cond: {$gt: ['$$n', 1]}, limit: 1}}"));
        assertValue("[2, 4]", eval("{$map: {input: [1, 2], as: 'x', in: {$multiply: ['$$x', 2]}}}"));
        assertValue("6", eval("{$reduce: {input: [1, 2, 3], initialValue: 0, in: {$add: ['$$value', '$$this']}}}"));
        assertValue("[0, 2, 4]", eval("{$range: [0, 5, 2]}"));
        assertValue("[3, 2]", eval("{$range: [3, 1, -1]}"));
        assertValue("true", eval("{$isArray: [[1]]}"));
        assertValue("false", eval("{$isArray: ['$missing']}"));
        assertValue("[3, 2, 1]", eval("{$reverseArray: [[1, 2, 3]]}"));
        assertValue("1", eval("{$indexOfArray: [[1, 2, 3], 2]}"));
        assertValue("[1, 2, 3]", eval("{$setUnion: [[1, 2], [2, 3]]}"));
        assertValue("[2]", eval("{$setIntersection: [[1, 2], [2, 3]]}"));
        assertValue("[1]", eval("{$setDifference: [[1, 2], [2, 3]]}"));
        assertValue("true", eval("{$setEquals: [[1, 2], [2, 1, 1]]}"));
        assertValue("true", eval("{$anyElementTrue: [[0, 1]]}"));
        assertValue("false", eval("{$allElementsTrue: [[0, 1]]}"));
        assertEquals(16883, error("{$map: {input: 1, in: 1}}", "{}").code());
        assertEquals(28651, error("{$filter: {input: 'x', cond: true}}", "{}").code());
    }

    @Test
    void typeAndConversionOperators() {
        assertValue("'int'", eval("{$type: 1}"));
        assertValue("'missing'", eval("{$type: '$nope'}"));
        assertValue("'long'", eval("{$type: NumberLong(1)}"));
        assertValue("'1.5'", eval("{$toString: 1.5}"));
        assertValue("'2'", eval("{$toString: 2.0}"));
        assertValue("'true'", eval("{$toString: true}"));
        assertValue("'1970-01-01T00:00:01.000Z'", eval("{$toString: {$date: 1000}}"));
        assertValue("12", eval("{$toInt: '12'}"));
        assertValue("1", eval("{$toInt: 1.9}"));
        assertValue("NumberLong(5)", eval("{$toLong: 5}"));
        assertValue("2.5", eval("{$toDouble: '2.5'}"));
        assertValue("true", eval("{$toBool: 'false'}"));
        assertValue("false", eval("{$toBool: 0}"));
        assertValue("{$oid: '5f0000000000000000000000'}", eval("{$toObjectId: '5f0000000000000000000000'}"));
        assertValue("null", eval("{$toInt: null}"));
        assertValue("-1", eval("{$convert: {input: 'x', to: 'int', onError: -1}}"));
        assertValue("'n'", eval("{$convert: {input: null, to: 'int', onNull: 'n'}}"));
        assertValue("NumberDecimal('1.5')", eval("{$toDecimal: '1.5'}"));
        assertValue("{$date: 86400000}", eval("{$toDate: '1970-01-02'}"));
        assertEquals(241, error("{$toInt: 'abc'}", "{}").code());
        assertEquals("ConversionFailure", error("{$toInt: 'abc'}", "{}").codeName());
    }

    @Test
    void dateOperators() {
        String doc = "{d: {$date: '2021-03-04T05:06:07.089Z'}}";
        assertValue("2021", eval("{$year: '$d'}", doc));
        assertValue("3", eval("{$month: '$d'}", doc));
        assertValue("4", eval("{$dayOfMonth: '$d'}", doc));
        assertValue("5", eval("{$hour: '$d'}", doc));
        assertValue("6", eval("{$minute: '$d'}", doc));
        assertValue("7", eval("{$second: '$d'}", doc));
        assertValue("89", eval("{$millisecond: '$d'}", doc));
        assertValue("5", eval("{$dayOfWeek: '$d'}", doc));
        assertValue("63", eval("{$dayOfYear: '$d'}", doc));
        assertValue("0", eval("{$hour: {date: '$d', timezone: '-05:00'}}", doc));
        assertValue("'2021-03-04'", eval("{$dateToString: {format: '%Y-%m-%d', date: '$d'}}", doc));
        assertValue("'2021-03-04T05:06:07.089Z'", eval("{$dateToString: {date: '$d'}}", doc));
        assertValue("'04/03 14:06 +0900'",
                eval("{$dateToString: {format: '%d/%m %H:%M %z', date: '$d', timezone: 'Asia/Tokyo'}}", doc));
        assertValue("'none'", eval("{$dateToString: {date: '$missing', onNull: 'none'}}", doc));
        assertValue("null", eval("{$year: null}", doc));
        assertEquals(16006, error("{$year: 'x'}", "{}").code());
        assertEquals(40485, error("{$hour: {date: '$d', timezone: 'Nowhere/City'}}", doc).code());
        assertValue("{$date: '2021-03-05T05:06:07.089Z'}",
                eval("{$dateAdd: {startDate: '$d', unit: 'day', amount: 1}}", doc));
        assertValue("NumberLong(2)", eval("{$dateDiff: {startDate: '$d', endDate: {$date: '2021-05-01T00:00:00Z'}, "
                + "unit: 'month'}}", doc));
    }

    @Test
    void objectOperatorsAndVariables() {
        assertValue("{a: 2, b: 3}", eval("{$mergeObjects: [{a: 1, b: 3}, null, {a: 2}]}"));
        assertValue("[{k: 'a', v: 1}]", eval("{$objectToArray: {a: 1}}"));
        assertValue("{a: 1, b: 2}", eval("{$arrayToObject: [[['a', 1], ['b', 2]]]}"));
        assertValue("{a: 1}", eval("{$arrayToObject: [[{k: 'a', v: 1}]]}"));
        assertValue("5", eval("{$let: {vars: {x: 2, y: 3}, in: {$add: ['$$x', '$$y']}}}"));
        assertValue("1", eval("{$getField: 'a.b'}", "{'a.b': 1}"));
        assertEquals(17276, assertThrows(ArgonException.class,
                () -> Expression.compile(json("{v: '$$undefinedVar'}").get("v"))).code());
        assertEquals(168, assertThrows(ArgonException.class,
                () -> Expression.compile(json("{v: {$foo: 1}}").get("v"))).code());
        assertEquals("Unrecognized expression '$foo'", assertThrows(ArgonException.class,
                () -> Expression.compile(json("{v: {$foo: 1}}").get("v"))).getMessage());
        assertEquals(15983, assertThrows(ArgonException.class,
                () -> Expression.compile(json("{v: {$add: [1], $abs: 1}}").get("v"))).code());
    }

    @Test
    void compiledExpressionsAreReusableWithUserVariables() {
        Expression e = Expression.compile(json("{v: {$multiply: ['$$factor', '$n']}}").get("v"), List.of("factor"));
        Variables vars = Variables.of(json("{n: 4}")).bind("factor", new org.bson.BsonInt32(3));
        assertValue("12", e.evaluate(vars));
        assertValue("[1, 2]", new BsonArray(List.of(new org.bson.BsonInt32(1), new org.bson.BsonInt32(2))));
    }

    @Test
    void nestedScopesAndShadowing() {
        assertValue("[[1, 10], [2, 20]]", eval("{$map: {input: [1, 2], as: 'o', in: {$let: {vars: {t: {$multiply: ['$$o', 10]}}, "
                + "in: ['$$o', '$$t']}}}}"));
        assertValue("[2, 3]", eval("{$map: {input: [1, 2], in: {$let: {vars: {this: {$add: ['$$this', 1]}}, in: '$$this'}}}}"));
        assertValue("'b'", eval("{$let: {vars: {d: '$$CURRENT'}, in: '$$d.a'}}", "{a: 'b'}"));
        assertValue("{$date: 5}", eval("{$dateFromString: {dateString: '1970-01-01T00:00:00.005Z'}}"));
        assertValue("'bad'", eval("{$dateFromString: {dateString: 'nope', onError: 'bad'}}"));
        assertEquals(17276, assertThrows(ArgonException.class, () -> Expression.compile(
                json("{v: {$map: {input: [1], as: 'x', in: '$$y'}}}").get("v"))).code());
    }

    @Test
    void decimalEdgeCasesFoundByFuzzingAreErrorsOrExactResults() {
        // -1E-6176 is negative although no double can tell it from 0.
        assertEquals(28714, error("{$sqrt: {$literal: {$numberDecimal: '-1E-6176'}}}", "{}").code());
        // The integer quotient of 1E+40 / 3 has more than 34 digits; the remainder is still exact.
        assertValue("{$numberDecimal: '1'}", eval("{$mod: [{$literal: {$numberDecimal: '1E+40'}}, 3]}"));
        BsonValue zero = eval("{$mod: [{$literal: {$numberDecimal: '1E+6144'}}, {$literal: {$numberDecimal: '1E-6176'}}]}");
        assertEquals(0, zero.asDecimal128().getValue().bigDecimalValue().signum());
    }
}
