package dev.argon.engine.aggregate;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.argon.engine.ArgonException;
import dev.argon.engine.bson.FuzzBson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Tag;

/**
 * Fuzzes the aggregation stage and expression parsers and the stages themselves: any pipeline either compiles or
 * is refused with an {@link ArgonException}, and running a compiled one over a few documents (with a sibling
 * collection for {@code $lookup} and {@code $unionWith}) yields documents or an {@link ArgonException}. Runs in the
 * fuzz execution (see docs/FUZZING.md).
 */
@Tag("fuzz")
class PipelineFuzzTest {
    private static final String[] KEYS = {"$match", "$project", "$addFields", "$set", "$unset", "$sort", "$limit",
        "$skip", "$group", "$count", "$unwind", "$replaceRoot", "$replaceWith", "$sortByCount", "$lookup", "$facet",
        "$sample", "$unionWith", "$bucket", "$out", "$merge", "_id", "newRoot", "path", "includeArrayIndex",
        "preserveNullAndEmptyArrays", "from", "localField", "foreignField", "as", "let", "pipeline", "coll", "size",
        "groupBy", "boundaries", "default", "output", "$sum", "$avg", "$first", "$last", "$push", "$addToSet", "$min",
        "$max", "$count", "$stdDevPop", "$add", "$subtract", "$multiply", "$divide", "$mod", "$abs", "$pow", "$exp",
        "$ln", "$sqrt", "$round", "$trunc", "$concat", "$substrCP", "$substrBytes", "$split", "$toUpper", "$strLenCP",
        "$indexOfCP", "$regexFind", "$regexFindAll", "$replaceAll", "$trim", "$cond", "$ifNull", "$switch", "branches",
        "case", "then", "$let", "vars", "in", "$map", "$filter", "$reduce", "input", "cond", "initialValue", "$range",
        "$slice", "$arrayElemAt", "$concatArrays", "$reverseArray", "$sortArray", "sortBy", "$size", "$in",
        "$objectToArray", "$arrayToObject", "$mergeObjects", "$getField", "$setField", "$unsetField", "field", "value",
        "$literal", "$convert", "to", "onError", "onNull", "$toInt", "$toLong", "$toDouble", "$toDecimal", "$toString",
        "$toDate", "$toObjectId", "$type", "$dateToString", "$dateFromString", "$dateAdd", "$dateDiff", "$year",
        "format", "date", "timezone", "unit", "amount", "startDate", "endDate", "dateString", "$eq", "$gt", "$lt",
        "$cmp", "$and", "$or", "$not", "$setUnion", "$setIntersection", "$allElementsTrue", "$meta", "$expr", "regex",
        "options", "find", "replacement", "chars", "n"};

    @FuzzTest(maxDuration = "10s")
    void pipelinesCompileAndRunOrFailCleanly(FuzzedDataProvider data) {
        FuzzBson gen = new FuzzBson(data, KEYS);
        List<BsonDocument> stages = new ArrayList<>();
        for (int i = data.consumeInt(1, 3); i > 0; i--) {
            stages.add(new BsonDocument(data.pickValue(KEYS), gen.value(4)));
        }
        List<BsonDocument> input = new ArrayList<>();
        for (int i = data.consumeInt(0, 3); i > 0; i--) {
            input.add(gen.document(3));
        }
        List<BsonDocument> sibling = List.of(gen.document(2));
        Pipeline pipeline;
        try {
            pipeline = Pipeline.compile(stages, name -> sibling.iterator());
        } catch (ArgonException e) {
            return;
        }
        try {
            Iterator<BsonDocument> out = pipeline.run(input.iterator());
            for (int n = 0; out.hasNext() && n < 1_000; n++) {
                out.next();
            }
        } catch (ArgonException e) {
            // a run-time error of a stage or expression
        }
    }
}
