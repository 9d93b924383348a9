package dev.argon.engine.query;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.argon.engine.ArgonException;
import dev.argon.engine.bson.FuzzBson;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Tag;

/**
 * Fuzzes the filter parser and matcher: any filter either compiles or is refused with an {@link ArgonException},
 * and a compiled filter either matches, does not match, or fails with an {@link ArgonException} (an {@code $expr}
 * error) on any document; never another exception, a {@link StackOverflowError} or a hang. Runs in the fuzz
 * execution (see docs/FUZZING.md); crash inputs kept in {@code FilterFuzzTestInputs} replay in every build.
 */
@Tag("fuzz")
class FilterFuzzTest {
    static final String[] KEYS = {"$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$and", "$or", "$nor",
        "$not", "$exists", "$type", "$mod", "$regex", "$options", "$all", "$elemMatch", "$size", "$bitsAllSet",
        "$bitsAllClear", "$bitsAnySet", "$bitsAnyClear", "$alwaysTrue", "$alwaysFalse", "$comment", "$expr", "$where",
        "$text", "$jsonSchema", "$near", "$geoWithin", "$ref", "$id", "$db", "$add", "$cond", "$let", "$getField",
        "$literal", "$map", "$filter", "$reduce", "$concat", "$toInt", "$regexMatch", "vars", "in", "input", "as",
        "cond", "field", "regex", "options"};

    @FuzzTest(maxDuration = "10s")
    void filtersCompileAndMatchOrFailCleanly(FuzzedDataProvider data) {
        FuzzBson gen = new FuzzBson(data, KEYS);
        BsonDocument filter = gen.document(5);
        BsonDocument let = data.consumeBoolean() ? gen.document(2) : null;
        Matcher matcher;
        try {
            matcher = Matcher.compile(filter, let);
        } catch (ArgonException e) {
            return;
        }
        for (int i = 0; i < 3 && data.remainingBytes() > 0; i++) {
            try {
                matcher.matches(gen.document(4), new MatchDetails());
            } catch (ArgonException e) {
                // A run-time error of an expression, reported to the client as such.
            }
        }
    }
}
