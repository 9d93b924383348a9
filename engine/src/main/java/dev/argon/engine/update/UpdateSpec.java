package dev.argon.engine.update;

import dev.argon.engine.query.MatchDetails;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * A compiled update: a replacement document, a document of update operators, or an aggregation pipeline
 * (array of stages). Compiling validates it with MongoDB's error codes. Immutable and thread-safe.
 */
public final class UpdateSpec {
    private UpdateSpec() {}

    /** arrayFilters may be null or empty. */
    public static UpdateSpec compile(BsonValue update, List<BsonDocument> arrayFilters) {
        throw new UnsupportedOperationException("TODO");
    }

    public boolean isReplacement() {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Applies the update to a copy of doc and returns the new document (doc itself is not modified).
     * details: the filter's match details for the positional {@code $}; insert: true when the document is
     * being inserted by an upsert ($setOnInsert then applies). The result keeps doc's {@code _id}; changing
     * it throws ImmutableField (66).
     */
    public BsonDocument apply(BsonDocument doc, MatchDetails details, boolean insert) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * The document an upsert starts from: the equality fields of the filter (with dotted paths expanded),
     * before {@link #apply} with insert=true. For a replacement the replacement itself (plus the filter's
     * {@code _id} if the replacement has none).
     */
    public BsonDocument upsertSeed(BsonDocument filter) {
        throw new UnsupportedOperationException("TODO");
    }
}
