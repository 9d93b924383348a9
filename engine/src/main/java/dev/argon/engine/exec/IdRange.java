package dev.argon.engine.exec;

import dev.argon.engine.bson.KeyEncoder;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Scan bounds from a filter's {@code _id} range ({@code $gt}, {@code $gte}, {@code $lt}, {@code $lte}): documents
 * are stored in {@code _id} order under the order-preserving encoding, so the scan can start at the lower
 * bound and stop past the upper one. The bounds are only a superset: the filter still decides each document
 * (so {@code $gt} versus {@code $gte}, and type bracketing, stay the matcher's business). Immutable.
 *
 * @param lower encoded inclusive start, or null
 * @param upper encoded bound past which no document can match, or null
 */
record IdRange(byte[] lower, byte[] upper) {

    /** The bounds of a filter whose {@code _id} condition is only range operators, else null. */
    static IdRange of(BsonDocument filter) {
        if (filter == null) {
            return null;
        }
        BsonValue v = filter.get("_id");
        if (v == null || !v.isDocument() || v.asDocument().isEmpty()) {
            return null;
        }
        byte[] lower = null;
        byte[] upper = null;
        for (Map.Entry<String, BsonValue> e : v.asDocument().entrySet()) {
            BsonValue bound = e.getValue();
            if (bound.isArray() || bound.isRegularExpression()) {
                return null;
            }
            switch (e.getKey()) {
                case "$gt", "$gte" -> lower = KeyEncoder.encode(bound);
                case "$lt", "$lte" -> upper = KeyEncoder.encode(bound);
                default -> {
                    return null;
                }
            }
        }
        return new IdRange(lower, upper);
    }

    /** Stops the documents at the first one whose {@code _id} sorts after the upper bound. */
    Iterator<BsonDocument> bounded(Iterator<BsonDocument> docs) {
        return new Iterator<>() {
            private BsonDocument next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next == null && !done && docs.hasNext()) {
                    BsonDocument d = docs.next();
                    if (Arrays.compareUnsigned(KeyEncoder.encode(d.get("_id")), upper) > 0) {
                        done = true;
                    } else {
                        next = d;
                    }
                }
                return next != null;
            }

            @Override
            public BsonDocument next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                BsonDocument d = next;
                next = null;
                return d;
            }
        };
    }
}
