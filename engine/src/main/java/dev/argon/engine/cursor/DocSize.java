package dev.argon.engine.cursor;

import dev.argon.engine.bson.BsonSize;
import org.bson.BsonDocument;

/** BSON size of a document; exact, computed without encoding it ({@link BsonSize}). Stateless. */
public final class DocSize {
    private DocSize() {}

    public static int estimate(BsonDocument d) {
        return BsonSize.of(d);
    }
}
