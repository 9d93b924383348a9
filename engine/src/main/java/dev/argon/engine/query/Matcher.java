package dev.argon.engine.query;

import org.bson.BsonDocument;

/**
 * A compiled query filter (the {@code find} filter language). Compiling validates the filter and throws
 * {@link dev.argon.engine.ArgonException} with MongoDB's code (BadValue 2 for an unknown operator, ...).
 * Immutable and thread-safe once compiled.
 */
public final class Matcher {
    private Matcher() {}

    public static Matcher compile(BsonDocument filter) {
        throw new UnsupportedOperationException("TODO");
    }

    public boolean matches(BsonDocument doc) {
        return matches(doc, null);
    }

    /** Evaluates the filter; details (may be null) receives the matched array position. */
    public boolean matches(BsonDocument doc, MatchDetails details) {
        throw new UnsupportedOperationException("TODO");
    }
}
