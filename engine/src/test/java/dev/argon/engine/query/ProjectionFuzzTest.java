package dev.argon.engine.query;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.argon.engine.ArgonException;
import dev.argon.engine.bson.FuzzBson;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Tag;

/**
 * Fuzzes the find projection and sort parsers: a projection or sort spec either compiles or is refused with an
 * {@link ArgonException}; applying a compiled projection to any document (with the positional operator's match
 * details from a compiled filter) returns a document or fails with an {@link ArgonException}; comparing documents
 * with a compiled sort never fails. Runs in the fuzz execution (see docs/FUZZING.md).
 */
@Tag("fuzz")
class ProjectionFuzzTest {
    private static final String[] KEYS = {"$slice", "$elemMatch", "$meta", "$literal", "a.$", "b.$", "$", "textScore",
        "$add", "$concat", "$cond", "$ifNull", "$map", "$filter", "input", "as", "cond", "in", "$eq", "$gt"};

    @FuzzTest(maxDuration = "10s")
    void projectionsAndSortsCompileAndApplyOrFailCleanly(FuzzedDataProvider data) {
        FuzzBson gen = new FuzzBson(data, KEYS);
        BsonDocument spec = gen.document(4);
        BsonDocument sortSpec = gen.document(2);
        BsonDocument filter = gen.document(3);
        BsonDocument doc = gen.document(4);
        BsonDocument other = gen.document(3);
        try {
            SortSpec.compile(sortSpec).comparator().compare(doc, other);
        } catch (ArgonException e) {
            // refused sort spec
        }
        Projection projection;
        try {
            projection = Projection.compile(spec);
        } catch (ArgonException e) {
            return;
        }
        MatchDetails details = new MatchDetails();
        try {
            Matcher.compile(filter).matches(doc, details);
        } catch (ArgonException e) {
            details = null;
        }
        try {
            projection.apply(doc, details);
        } catch (ArgonException e) {
            // a run-time projection error, such as a positional projection without a matching array
        }
    }
}
