package dev.argon.engine.query;

import org.bson.BsonDocument;

/**
 * A compiled find projection: inclusion or exclusion of (dotted) fields, {@code _id} rules, {@code $slice},
 * {@code $elemMatch} and the positional {@code field.$} form. Immutable and thread-safe.
 */
public final class Projection {
    private Projection() {}

    /** A null or empty spec returns documents unchanged. */
    public static Projection compile(BsonDocument spec) {
        throw new UnsupportedOperationException("TODO");
    }

    /** details: the match details of the filter for the positional projection, may be null. */
    public BsonDocument apply(BsonDocument doc, MatchDetails details) {
        throw new UnsupportedOperationException("TODO");
    }
}
