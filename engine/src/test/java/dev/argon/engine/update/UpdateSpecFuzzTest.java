package dev.argon.engine.update;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.argon.engine.ArgonException;
import dev.argon.engine.bson.FuzzBson;
import dev.argon.engine.query.MatchDetails;
import dev.argon.engine.query.Matcher;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.junit.jupiter.api.Tag;

/**
 * Fuzzes the update parser and its application: any update (operators, replacement or pipeline, with or without
 * arrayFilters) either compiles or is refused with an {@link ArgonException}, and applying it to any document, or
 * as an upsert seeded from any filter, gives a document or an {@link ArgonException}. Runs in the fuzz execution
 * (see docs/FUZZING.md).
 */
@Tag("fuzz")
class UpdateSpecFuzzTest {
    private static final String[] KEYS = {"$set", "$unset", "$inc", "$mul", "$min", "$max", "$rename", "$setOnInsert",
        "$currentDate", "$push", "$addToSet", "$pop", "$pull", "$pullAll", "$bit", "$each", "$position", "$slice",
        "$sort", "$addFields", "$project", "$replaceRoot", "$replaceWith", "newRoot", "and", "or", "xor", "$type",
        "timestamp", "date", "$[]", "$[e]", "a.$[e]", "a.$", "a.$[]", "e", "e.b", "$gt", "$in", "$eq", "$concat",
        "$literal", "$add"};

    @FuzzTest(maxDuration = "10s")
    void updatesCompileAndApplyOrFailCleanly(FuzzedDataProvider data) {
        FuzzBson gen = new FuzzBson(data, KEYS);
        BsonValue update = data.consumeBoolean() ? gen.document(4) : gen.array(4);
        List<BsonDocument> arrayFilters = null;
        if (data.consumeBoolean()) {
            arrayFilters = new ArrayList<>();
            for (int i = data.consumeInt(0, 2); i > 0; i--) {
                arrayFilters.add(gen.document(3));
            }
        }
        BsonDocument filter = gen.document(3);
        BsonDocument doc = gen.document(4);
        UpdateSpec spec;
        try {
            spec = UpdateSpec.compile(update, arrayFilters);
        } catch (ArgonException e) {
            return;
        }
        try {
            MatchDetails details = new MatchDetails();
            Matcher.compile(filter).matches(doc, details);
            spec.apply(doc, details, false);
        } catch (ArgonException e) {
            // refused filter or a run-time update error
        }
        try {
            BsonDocument seed = spec.upsertSeed(filter);
            if (!spec.isReplacement()) {
                spec.apply(seed, null, true);
            }
        } catch (ArgonException e) {
            // an upsert that cannot be built
        }
    }
}
