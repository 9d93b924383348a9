package dev.argon.engine.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.argon.engine.query.SortSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.junit.jupiter.api.Test;

/**
 * A $group over an input sorted on its _id field, streamed run by run ({@link Pipeline#withSortedInput}), gives
 * exactly (types and order included) what the hashed group gives over the same input, on random values: arrays
 * (which tie with their smallest or largest element), equal numbers of different types, null and missing.
 */
class StreamingGroupTest {
    private static final JsonWriterSettings EXACT = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();

    private static BsonValue randomValue(Random rnd) {
        return switch (rnd.nextInt(9)) {
            case 0 -> new BsonArray(List.of(new BsonInt32(rnd.nextInt(5)), new BsonInt32(rnd.nextInt(5))));
            case 1 -> new BsonDouble(rnd.nextInt(5));
            case 2 -> new BsonInt64(rnd.nextInt(5));
            case 3 -> BsonNull.VALUE;
            case 4 -> null;
            case 5 -> new BsonString("s" + rnd.nextInt(3));
            default -> new BsonInt32(rnd.nextInt(5));
        };
    }

    private static List<String> json(Pipeline p, List<BsonDocument> input) {
        List<String> out = new ArrayList<>();
        p.run(input.iterator()).forEachRemaining(d -> out.add(d.toJson(EXACT)));
        return out;
    }

    @Test
    void streamedGroupsEqualHashedGroupsOnSortedInput() {
        Random rnd = new Random(5);
        for (int t = 0; t < 200; t++) {
            List<BsonDocument> docs = new ArrayList<>();
            for (int i = rnd.nextInt(60); i > 0; i--) {
                BsonDocument d = new BsonDocument("_id", new BsonInt32(i)).append("v", new BsonInt32(rnd.nextInt(100)));
                BsonValue a = randomValue(rnd);
                if (a != null) {
                    d.append("a", a);
                }
                docs.add(d);
            }
            BsonDocument sort = new BsonDocument("a", new BsonInt32(rnd.nextBoolean() ? 1 : -1));
            docs.sort(SortSpec.compile(sort).comparator());
            Pipeline hashed = Pipeline.compile(List.of(BsonDocument.parse(
                    "{$group: {_id: '$a', n: {$sum: 1}, first: {$first: '$v'}, last: {$last: '$v'}, all: {$push: '$v'}}}")), name -> null);
            Pipeline streamed = hashed.withSortedInput(sort);
            assertNotSame(hashed, streamed);
            assertEquals(json(hashed, docs), json(streamed, docs), sort.toJson());
        }
    }

    @Test
    void onlyAGroupOnTheSortsFirstFieldStreams() {
        Pipeline byA = Pipeline.compile(List.of(BsonDocument.parse("{$group: {_id: '$a', n: {$sum: 1}}}")), name -> null);
        assertNotSame(byA, byA.withSortedInput(BsonDocument.parse("{a: 1, b: 1}")));
        assertSame(byA, byA.withSortedInput(BsonDocument.parse("{b: 1, a: 1}")));
        Pipeline computed = Pipeline.compile(List.of(BsonDocument.parse("{$group: {_id: {$toLower: '$a'}, n: {$sum: 1}}}")), name -> null);
        assertSame(computed, computed.withSortedInput(BsonDocument.parse("{a: 1}")));
        Pipeline later = Pipeline.compile(List.of(BsonDocument.parse("{$match: {}}"), BsonDocument.parse("{$group: {_id: '$a'}}")),
                name -> null);
        assertSame(later, later.withSortedInput(BsonDocument.parse("{a: 1}")));
    }
}
