package dev.argon.engine.bson;

import java.util.List;
import org.bson.BsonValue;

/**
 * Order-preserving byte encoding of BSON values: {@code unsigned-bytes(encode(a)) <=> unsigned-bytes(encode(b))}
 * agrees with {@link BsonOrder#compare} for every pair of values. Encodings are self-delimiting, so a
 * concatenation (compound key) also sorts correctly and no encoding is a proper prefix of another.
 * Stateless and thread-safe.
 */
public final class KeyEncoder {
    private KeyEncoder() {}

    /** Encodes one value ascending. */
    public static byte[] encode(BsonValue value) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Encodes a compound key; descending[i] complements the bytes of component i. */
    public static byte[] encodeCompound(List<BsonValue> values, boolean[] descending) {
        throw new UnsupportedOperationException("TODO");
    }
}
