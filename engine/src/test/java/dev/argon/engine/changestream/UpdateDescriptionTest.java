package dev.argon.engine.changestream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.argon.engine.ArgonException;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

class UpdateDescriptionTest {
    private static BsonDocument json(String s) {
        return BsonDocument.parse(s);
    }

    private static BsonDocument diff(String pre, String post) {
        return UpdateDescription.of(json(pre), json(post));
    }

    @Test
    void nestedFieldsByDottedPathAndRemovedFields() {
        assertEquals(json("{updatedFields: {'a.b': 2, c: 1}, removedFields: ['d', 'a.x'], truncatedArrays: []}"),
                diff("{_id: 1, a: {b: 1, x: 0}, d: 1}", "{_id: 1, a: {b: 2}, c: 1}"));
    }

    @Test
    void arraysGrowByElementAndShrinkByTruncation() {
        assertEquals(json("{updatedFields: {'t.2': 'c'}, removedFields: [], truncatedArrays: []}"),
                diff("{t: ['a', 'b']}", "{t: ['a', 'b', 'c']}"));
        assertEquals(json("{updatedFields: {}, removedFields: [], truncatedArrays: [{field: 't', newSize: 1}]}"),
                diff("{t: ['a', 'b']}", "{t: ['a']}"));
        // Mostly different: the whole array.
        assertEquals(json("{updatedFields: {t: ['x', 'y', 'z']}, removedFields: [], truncatedArrays: []}"),
                diff("{t: ['a', 'b', 'c']}", "{t: ['x', 'y', 'z']}"));
    }

    @Test
    void aTypeChangeIsReportedWhole() {
        assertEquals(json("{updatedFields: {a: 1}, removedFields: [], truncatedArrays: []}"),
                diff("{a: {b: 1}}", "{a: 1}"));
        assertEquals(json("{updatedFields: {n: {$numberLong: '1'}}, removedFields: [], truncatedArrays: []}"),
                diff("{n: 1}", "{n: {$numberLong: '1'}}"));
    }

    @Test
    void expandedEventsDisambiguateNumericAndDottedFieldNames() {
        BsonDocument d = UpdateDescription.of(json("{a: {'1': 1}, t: [{'2': 0}], plain: {x: 1}, arr: [1, 2]}"),
                json("{a: {'1': 2}, t: [{'2': 5}], plain: {x: 2}, arr: [1, 2, 3]}"), true);
        assertEquals(json("{'a.1': 2, 't.0.2': 5, 'plain.x': 2, 'arr.2': 3}"), d.getDocument("updatedFields"));
        // Array indexes alone are not ambiguous; a field named with digits is, and indexes are then integers.
        assertEquals(json("{'a.1': ['a', '1'], 't.0.2': ['t', 0, '2']}"), d.getDocument("disambiguatedPaths"));
        assertEquals(json("{'x.y': ['x.y']}"), UpdateDescription.of(json("{}"), json("{'x.y': 1}"), true)
                .getDocument("disambiguatedPaths"));
        // Without showExpandedEvents the field is absent, as on mongod.
        assertEquals(false, UpdateDescription.of(json("{a: 1}"), json("{a: 2}")).containsKey("disambiguatedPaths"));
    }

    @Test
    void resumeTokensRoundTripAndForeignOnesAreRefused() {
        ResumeToken t = new ResumeToken(7, 120, 118);
        assertEquals(t, ResumeToken.parse(t.toDocument(), "resumeAfter"));
        ArgonException e = assertThrows(ArgonException.class,
                () -> ResumeToken.parse(new BsonDocument("_data", new BsonString("8263A1B2")), "resumeAfter"));
        assertEquals(260, e.code());
    }
}
