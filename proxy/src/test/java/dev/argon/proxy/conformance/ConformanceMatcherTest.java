package dev.argon.proxy.conformance;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

/**
 * The runner's own rules, checked without a server or the spec data: a matcher that accepted everything would
 * make every conformance number meaningless.
 */
class ConformanceMatcherTest {
    private final Matcher matcher = new Matcher(new Entities("127.0.0.1:1", null));

    private static BsonDocument d(String json) {
        return BsonDocument.parse(json);
    }

    private static BsonValue v(String json) {
        return d("{v: " + json + "}").get("v");
    }

    private void matches(String expected, String actual, boolean root) {
        assertDoesNotThrow(() -> matcher.match(v(expected), v(actual), root));
    }

    private void differs(String expected, String actual, boolean root) {
        assertThrows(AssertionError.class, () -> matcher.match(v(expected), v(actual), root));
    }

    @Test
    void extraFieldsOnlyAtTheRoot() {
        matches("{x: 1}", "{x: 1, y: 2}", true);
        differs("{x: 1}", "{x: 1, y: 2}", false);
        differs("{a: {x: 1}}", "{a: {x: 1, y: 2}}", true);
        differs("{x: 1, y: 1}", "{x: 1}", true);
    }

    @Test
    void numbersCompareByValueAcrossTypes() {
        matches("1", "{$numberLong: '1'}", true);
        matches("1", "1.0", true);
        differs("1", "1.5", true);
        differs("1", "'1'", true);
    }

    @Test
    void arraysNeedTheSameLengthAndOrder() {
        matches("[1, 2]", "[1, 2]", true);
        differs("[1, 2]", "[1, 2, 3]", true);
        differs("[1, 2]", "[2, 1]", true);
        // elements of a plain array are nested documents: no extra fields
        differs("[{x: 1}]", "[{x: 1, y: 1}]", true);
    }

    @Test
    void keyOrderIsIgnored() {
        matches("{a: 1, b: 2}", "{b: 2, a: 1}", false);
    }

    @Test
    void specialOperators() {
        matches("{a: {$$exists: false}}", "{}", true);
        differs("{a: {$$exists: false}}", "{a: null}", true);
        matches("{a: {$$exists: true}}", "{a: null}", true);
        matches("{a: {$$unsetOrMatches: 1}}", "{}", true);
        matches("{a: {$$unsetOrMatches: 1}}", "{a: 1}", true);
        differs("{a: {$$unsetOrMatches: 1}}", "{a: 2}", true);
        matches("{a: {$$type: ['int', 'long']}}", "{a: {$numberLong: '5'}}", true);
        differs("{a: {$$type: 'string'}}", "{a: 5}", true);
        differs("{a: {$$type: 'string'}}", "{}", true);
        matches("{a: {$$lte: 5}}", "{a: 5.0}", true);
        differs("{a: {$$lte: 5}}", "{a: 6}", true);
        // $$unsetOrMatches keeps the root-ness of what it wraps
        assertDoesNotThrow(() -> matcher.match(d("{$$unsetOrMatches: {x: 1}}"), d("{x: 1, y: 2}"), true));
        assertDoesNotThrow(() -> matcher.match(d("{$$unsetOrMatches: {x: 1}}"), null, true));
    }

    @Test
    void outcomeComparisonIsExactUpToKeyOrder() {
        assertNull(Matcher.exactDifference("", d("{_id: 1, a: [1, {b: 2}]}"), d("{a: [1, {b: 2}], _id: 1}")));
        String numeric = Matcher.exactDifference("", d("{_id: 1, a: 1}"), d("{_id: 1, a: {$numberLong: '1'}}"));
        assertNotNull(numeric);
        assertTrue(numeric.contains("numeric type"), numeric);
        assertNotNull(Matcher.exactDifference("", d("{_id: 1}"), d("{_id: 1, x: 1}")));
    }

    @Test
    void versionsAndSchemas() {
        assertEquals(0, UnifiedRunner.compareVersions("7.0.0", "7.0"));
        assertTrue(UnifiedRunner.compareVersions("7.0.0", "7.0.5") < 0);
        assertTrue(UnifiedRunner.compareVersions("7.0.0", "4.2.99") > 0);
        assertTrue(UnifiedRunner.compareVersions("7.0.0", "8.0") < 0);
        assertNull(UnifiedRunner.unsupportedSchema("1.0"));
        assertNull(UnifiedRunner.unsupportedSchema("1." + UnifiedRunner.SCHEMA_MINOR));
        assertNotNull(UnifiedRunner.unsupportedSchema("1." + (UnifiedRunner.SCHEMA_MINOR + 1)));
        assertNotNull(UnifiedRunner.unsupportedSchema("2.0"));
    }

    @Test
    void failPointDetectionLooksIntoCallbacks() {
        BsonArray ops = BsonDocument.parse("{o: [{name: 'withTransaction', object: 's', arguments: {callback: ["
                + "{name: 'failPoint', object: 'testRunner', arguments: {}}]}}]}").getArray("o");
        assertTrue(UnifiedRunner.usesFailPoints(ops));
    }

    @Test
    void aGridFsIdWrappedInEqMatchesTheLiteralIdOnlyOnBucketCollections() {
        BsonDocument expected = d("{find: 'fs.files', filter: {_id: 1}}");
        BsonDocument wrapped = d("{find: 'fs.files', filter: {_id: {$eq: 1}}}");
        assertDoesNotThrow(() -> matcher.match(expected, UnifiedRunner.literalGridFsIds(expected, wrapped), true));
        // Another id is still another id, and elsewhere the filter is compared as sent.
        BsonDocument other = d("{find: 'fs.files', filter: {_id: {$eq: 2}}}");
        assertThrows(AssertionError.class, () -> matcher.match(expected, UnifiedRunner.literalGridFsIds(expected, other), true));
        BsonDocument plain = d("{find: 'coll', filter: {_id: 1}}");
        BsonDocument plainWrapped = d("{find: 'coll', filter: {_id: {$eq: 1}}}");
        assertThrows(AssertionError.class,
                () -> matcher.match(plain, UnifiedRunner.literalGridFsIds(plain, plainWrapped), true));
        // A test that expects the operator gets it compared as such.
        BsonDocument wantsEq = d("{find: 'fs.files', filter: {_id: {$eq: 1}}}");
        assertDoesNotThrow(() -> matcher.match(wantsEq, UnifiedRunner.literalGridFsIds(wantsEq, wrapped), true));
    }
}
