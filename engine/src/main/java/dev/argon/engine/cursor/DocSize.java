package dev.argon.engine.cursor;

import dev.argon.wal.Bson;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;

/** BSON size of a document; exact, by encoding unless it is already raw. Stateless. */
public final class DocSize {
    private DocSize() {}

    public static int estimate(BsonDocument d) {
        if (d instanceof RawBsonDocument r) {
            return r.getByteBuffer().remaining();
        }
        return Bson.bytes(d).length;
    }
}
