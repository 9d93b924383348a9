package dev.argon.engine.exec;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
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
 * @param upperExclusive whether a document whose {@code _id} equals {@code upper} is past the bound too (find's
 *                       {@code max}, which no filter re-checks)
 */
record IdRange(byte[] lower, byte[] upper, boolean upperExclusive) {

    IdRange(byte[] lower, byte[] upper) {
        this(lower, upper, false);
    }

    /**
     * find's {@code min} (inclusive) and {@code max} (exclusive) on the {@code _id} index: each must be exactly
     * {@code {_id: value}} when given (else 51174), and min must come before max (else 51175).
     */
    static IdRange minMax(BsonDocument min, BsonDocument max) {
        for (BsonDocument bound : new BsonDocument[] {min, max}) {
            if (!bound.isEmpty() && !(bound.size() == 1 && bound.containsKey("_id"))) {
                throw new ArgonException(MongoErrorCode.LOCATION_51174, "The index chosen is not compatible with min/max");
            }
        }
        byte[] lower = min.isEmpty() ? null : KeyEncoder.encode(min.get("_id"));
        byte[] upper = max.isEmpty() ? null : KeyEncoder.encode(max.get("_id"));
        if (lower != null && upper != null && Arrays.compareUnsigned(lower, upper) >= 0) {
            throw new ArgonException(MongoErrorCode.LOCATION_51175,
                    "The value provided for min() does not come before the value provided for max() in the hinted index");
        }
        return new IdRange(lower, upper, true);
    }

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
        return stopping(docs, upper, 1, upperExclusive);
    }

    /** For a backward scan: stops the documents at the first one whose {@code _id} sorts below the lower bound. */
    Iterator<BsonDocument> boundedBelow(Iterator<BsonDocument> docs) {
        return stopping(docs, lower, -1, false);
    }

    /** Stops at the first document whose encoded {@code _id} compares to bound with this sign (or equals it, if asked). */
    private static Iterator<BsonDocument> stopping(Iterator<BsonDocument> docs, byte[] bound, int past, boolean stopAtEqual) {
        return new Iterator<>() {
            private BsonDocument next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next == null && !done && docs.hasNext()) {
                    BsonDocument d = docs.next();
                    int c = Integer.signum(Arrays.compareUnsigned(KeyEncoder.encode(d.get("_id")), bound));
                    if (c == past || (c == 0 && stopAtEqual)) {
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
