package dev.argon.engine.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.argon.engine.store.IndexInfo;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

/** Which filters bound which index: null and {@code $exists} only where the index's keys cannot miss a match. */
class IndexBoundsTest {
    private static IndexInfo index(String key, boolean sparse, boolean nullKeys) {
        BsonDocument k = BsonDocument.parse(key);
        BsonDocument spec = new BsonDocument("v", new BsonInt32(2)).append("key", k).append("name", new BsonString("i"));
        return new IndexInfo(3, "i", k, false, sparse, null, spec, true, nullKeys);
    }

    private static IndexBounds bounds(IndexInfo index, String filter) {
        return IndexBounds.of(index, Constraints.of(BsonDocument.parse(filter)));
    }

    @Test
    void nullIsAPointOnlyOnIndexesWithNullKeys() {
        assertEquals("{\"a\": [\"[null, null]\"]}", bounds(index("{a: 1}", false, true), "{a: null}").explain.toJson());
        assertEquals(2, bounds(index("{a: 1}", false, true), "{a: {$in: [null, 4]}}").intervals.size());
        // An index from before nullKeys has no null key for {a: [{c: 1}]} under a.b: it must not be read for null.
        assertNull(bounds(index("{'a.b': 1}", false, false), "{'a.b': null}"));
        assertNotNull(bounds(index("{'a.b': 1}", false, false), "{'a.b': 4}"));
        // The prefix stops before the null field: still an equality on a.
        assertEquals(1, bounds(index("{a: 1, b: 1}", false, false), "{a: 4, b: null}").pointFields);
    }

    @Test
    void aSparseIndexNeedsAFieldThatCannotBeMissing() {
        assertNull(bounds(index("{a: 1}", true, true), "{a: null}"));
        assertNull(bounds(index("{a: 1}", true, true), "{a: {$in: [null, 4]}}"));
        assertNotNull(bounds(index("{a: 1, b: 1}", true, true), "{a: 4, b: null}"));
        IndexBounds exists = bounds(index("{a: 1}", true, true), "{a: {$exists: true}}");
        assertEquals("{\"a\": [\"[MinKey, MaxKey]\"]}", exists.explain.toJson());
        // On an index that holds every document, $exists bounds nothing.
        assertNull(bounds(index("{a: 1}", false, true), "{a: {$exists: true}}"));
        assertNull(bounds(index("{a: 1}", true, true), "{a: {$exists: false}}"));
        assertNull(bounds(index("{a: 1}", true, true), "{a: {$exists: 'yes'}}"));
    }
}
