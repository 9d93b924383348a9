package dev.argon.engine.query;

import java.util.Comparator;
import org.bson.BsonDocument;

/**
 * A compiled sort specification {@code {a: 1, "b.c": -1}} with MongoDB's semantics: missing sorts as null,
 * an array sorts by its smallest element ascending and by its largest descending. Thread-safe.
 */
public final class SortSpec {
    private SortSpec() {}

    public static SortSpec compile(BsonDocument spec) {
        throw new UnsupportedOperationException("TODO");
    }

    public Comparator<BsonDocument> comparator() {
        throw new UnsupportedOperationException("TODO");
    }
}
