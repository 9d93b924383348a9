package dev.argon.engine.update;

import static dev.argon.engine.update.UpdateSpecTest.assertDoc;
import static dev.argon.engine.update.UpdateSpecTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.argon.engine.ArgonException;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

class UpsertTest {
    private static BsonDocument upsert(String filter, String update) {
        UpdateSpec spec = UpdateSpec.compile(json(update), null);
        return spec.apply(spec.upsertSeed(json(filter)), null, true);
    }

    @Test
    void seedTakesEqualityConditionsOnly() {
        UpdateSpec spec = UpdateSpec.compile(json("{$set: {z: 1}}"), null);
        assertDoc("{a: 1, b: {c: 2}, e: 5, f: 1, h: 3}", spec.upsertSeed(json(
                "{'b.c': 2, a: 1, d: {$gt: 1}, e: {$eq: 5}, $and: [{f: 1}], g: {$in: [1, 2]}, h: {$in: [3]}, r: /x/, "
                        + "$or: [{p: 1}, {q: 2}]}")));
        assertDoc("{_id: 7, x: {y: 1}}", spec.upsertSeed(json("{x: {y: 1}, _id: 7}")));
    }

    @Test
    void emptyPathComponentsBecomeEmptyFieldNames() {
        // Found by fuzzing: "." once split into no components at all.
        UpdateSpec spec = UpdateSpec.compile(json("{$set: {z: 1}}"), null);
        assertDoc("{'': {'': 1}, a: {'': 2}}", spec.upsertSeed(json("{'.': 1, 'a.': 2}")));
    }

    @Test
    void ambiguousEqualitiesFail() {
        UpdateSpec spec = UpdateSpec.compile(json("{$set: {z: 1}}"), null);
        ArgonException twice = assertThrows(ArgonException.class,
                () -> spec.upsertSeed(json("{a: 1, $and: [{a: 2}]}")));
        assertEquals(54, twice.code());
        assertEquals("cannot infer query fields to set, path 'a' is matched twice", twice.getMessage());
        assertEquals(54, assertThrows(ArgonException.class, () -> spec.upsertSeed(json("{a: 1, 'a.b': 2}"))).code());
    }

    @Test
    void operatorUpsertAppliesSetOnInsertAndPutsIdFirst() {
        assertDoc("{_id: 3, a: 1, b: 2, c: 3}", upsert("{a: 1, _id: 3}", "{$set: {b: 2}, $setOnInsert: {c: 3}}"));
        assertDoc("{_id: 5, a: 1}", upsert("{a: 1}", "{$set: {_id: 5}}"));
        assertEquals(66, assertThrows(ArgonException.class, () -> upsert("{_id: 1}", "{$set: {_id: 2}}")).code());
        UpdateSpec notInsert = UpdateSpec.compile(json("{$setOnInsert: {c: 3}, $inc: {n: 1}}"), null);
        assertDoc("{_id: 1, n: 2}", notInsert.apply(json("{_id: 1, n: 1}"), null, false));
    }

    @Test
    void replacementUpsertTakesTheFilterId() {
        UpdateSpec spec = UpdateSpec.compile(json("{x: 1}"), null);
        BsonDocument seed = spec.upsertSeed(json("{_id: 9, y: 2}"));
        assertDoc("{_id: 9, x: 1}", seed);
        assertDoc("{_id: 9, x: 1}", spec.apply(seed, null, true));
        assertDoc("{x: 1}", spec.upsertSeed(json("{y: 2}")));
        assertDoc("{_id: 4, x: 1}", UpdateSpec.compile(json("{_id: 4, x: 1}"), null).upsertSeed(json("{_id: 9}")));
    }

    @Test
    void pipelineUpsertStartsFromEqualities() {
        UpdateSpec spec = UpdateSpec.compile(BsonArray.parse("[{$set: {n: {$add: ['$a', 1]}}}]"), null);
        assertDoc("{_id: 2, a: 1, n: 2}", spec.apply(spec.upsertSeed(json("{a: 1, _id: 2}")), null, true));
    }
}
