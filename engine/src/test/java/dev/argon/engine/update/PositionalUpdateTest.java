package dev.argon.engine.update;

import static dev.argon.engine.update.UpdateSpecTest.assertDoc;
import static dev.argon.engine.update.UpdateSpecTest.filters;
import static dev.argon.engine.update.UpdateSpecTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.engine.ArgonException;
import dev.argon.engine.query.MatchDetails;
import dev.argon.engine.query.Matcher;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

class PositionalUpdateTest {
    private static BsonDocument apply(String doc, String update, String arrayFilters) {
        return UpdateSpec.compile(json(update), arrayFilters == null ? null : filters(arrayFilters))
                .apply(json(doc), null, false);
    }

    @Test
    void positionalDollarUsesTheMatchedIndex() {
        BsonDocument doc = json("{_id: 1, a: [1, 5, 9]}");
        MatchDetails details = new MatchDetails();
        assertTrue(Matcher.compile(json("{a: 5}")).matches(doc, details));
        assertEquals(1, details.arrayIndex());
        BsonDocument out = UpdateSpec.compile(json("{$set: {'a.$': 50}}"), null).apply(doc, details, false);
        assertDoc("{_id: 1, a: [1, 50, 9]}", out);

        MatchDetails fixed = new MatchDetails();
        fixed.arrayIndex(0);
        assertDoc("{_id: 1, a: [{n: 1, x: 2}, {n: 2}]}", UpdateSpec.compile(json("{$set: {'a.$.x': 2}}"), null)
                .apply(json("{_id: 1, a: [{n: 1}, {n: 2}]}"), fixed, false));
    }

    @Test
    void positionalDollarWithoutMatchFails() {
        ArgonException e = assertThrows(ArgonException.class,
                () -> UpdateSpec.compile(json("{$set: {'a.$': 1}}"), null).apply(json("{_id: 1, a: [1]}"), null, false));
        assertEquals(2, e.code());
        assertEquals("The positional operator did not find the match needed from the query.", e.getMessage());
        assertEquals(2, assertThrows(ArgonException.class,
                () -> UpdateSpec.compile(json("{$set: {'$.a': 1}}"), null)).code());
    }

    @Test
    void allPositionalUpdatesEveryElement() {
        assertDoc("{_id: 1, a: [2, 3]}", apply("{_id: 1, a: [1, 2]}", "{$inc: {'a.$[]': 1}}", null));
        assertDoc("{_id: 1, a: [{b: 1, c: 0}, {c: 0}]}", apply("{_id: 1, a: [{b: 1}, {}]}", "{$set: {'a.$[].c': 0}}", null));
        assertDoc("{_id: 1, a: [[0, 0], [0]]}", apply("{_id: 1, a: [[1, 2], [3]]}", "{$set: {'a.$[].$[]': 0}}", null));
        assertDoc("{_id: 1, a: []}", apply("{_id: 1, a: []}", "{$set: {'a.$[]': 0}}", null));
        ArgonException missing = assertThrows(ArgonException.class, () -> apply("{_id: 1}", "{$set: {'a.$[]': 1}}", null));
        assertEquals(2, missing.code());
        assertEquals("The path 'a' must exist in the document in order to apply array updates.", missing.getMessage());
        ArgonException scalar = assertThrows(ArgonException.class, () -> apply("{_id: 1, a: 5}", "{$set: {'a.$[]': 1}}", null));
        assertEquals("Cannot apply array updates to non-array element a: 5", scalar.getMessage());
    }

    @Test
    void arrayFiltersSelectElements() {
        assertDoc("{_id: 1, a: [1, 0, 0]}", apply("{_id: 1, a: [1, 2, 3]}", "{$set: {'a.$[x]': 0}}", "[{x: {$gte: 2}}]"));
        assertDoc("{_id: 1, a: [{b: 1}, {b: 2, ok: true}]}", apply("{_id: 1, a: [{b: 1}, {b: 2}]}",
                "{$set: {'a.$[e].ok': true}}", "[{'e.b': {$gt: 1}}]"));
        assertDoc("{_id: 1, g: [{s: [1, 100]}, {s: [100, 3]}]}", apply("{_id: 1, g: [{s: [1, 9]}, {s: [9, 3]}]}",
                "{$set: {'g.$[].s.$[n]': 100}}", "[{n: 9}]"));
        assertDoc("{_id: 1, a: [5, 0]}", apply("{_id: 1, a: [5, 6]}", "{$set: {'a.$[x]': 0}}",
                "[{$or: [{x: 6}, {x: 7}]}]"));
    }

    @Test
    void arrayFilterErrors() {
        ArgonException undefined = assertThrows(ArgonException.class,
                () -> UpdateSpec.compile(json("{$set: {'a.$[x]': 1}}"), null));
        assertEquals(2, undefined.code());
        assertEquals("No array filter found for identifier 'x' in path 'a.$[x]'", undefined.getMessage());
        ArgonException unused = assertThrows(ArgonException.class,
                () -> UpdateSpec.compile(json("{$set: {a: 1}}"), filters("[{x: 1}]")));
        assertEquals(9, unused.code());
        assertTrue(unused.getMessage().startsWith("The array filter for identifier 'x' was not used in the update"));
        assertEquals(9, assertThrows(ArgonException.class,
                () -> UpdateSpec.compile(json("{$set: {'a.$[x]': 1}}"), filters("[{x: 1}, {x: 2}]"))).code());
        assertEquals(9, assertThrows(ArgonException.class,
                () -> UpdateSpec.compile(json("{$set: {'a.$[x]': 1}}"), filters("[{x: 1, y: 2}]"))).code());
        assertEquals(2, assertThrows(ArgonException.class,
                () -> UpdateSpec.compile(json("{$set: {'a.$[X]': 1}}"), filters("[{X: 1}]"))).code());
    }

    @Test
    void overlappingPositionalUpdatesConflictAtRuntime() {
        ArgonException e = assertThrows(ArgonException.class,
                () -> apply("{_id: 1, a: [1, 2]}", "{$set: {'a.$[]': 1, 'a.$[x]': 2}}", "[{x: 2}]"));
        assertEquals(40, e.code());
        assertEquals("Update created a conflict at 'a.1'", e.getMessage());
        assertEquals(40, assertThrows(ArgonException.class,
                () -> UpdateSpec.compile(json("{$set: {'a.$[]': 1, 'a.0': 2}}"), null)).code());
    }
}
