package dev.argon.engine.aggregate;

import java.util.Map;
import org.bson.BsonValue;

/**
 * A hash key for a BSON value with MongoDB's equality: numbers compare by value across types (1, 1L, 1.0
 * and NumberDecimal("1") are one key), documents by ordered fields. Used for $group, $addToSet and
 * $lookup indexes. Immutable if the wrapped value is not mutated.
 */
public final class ValueKey {
    private final BsonValue value;
    private final int hash;

    public ValueKey(BsonValue value) {
        this.value = value;
        this.hash = hash(value);
    }

    public BsonValue value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValueKey && ((ValueKey) o).hash == hash && Values.equal(value, ((ValueKey) o).value);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Equal values (by {@link Values#compare}) always hash alike; numbers hash by their double value. */
    static int hash(BsonValue v) {
        if (v == null) {
            return 0;
        }
        switch (v.getBsonType()) {
            case INT32:
            case INT64:
            case DOUBLE:
            case DECIMAL128: {
                double d = Arith.toDouble(v);
                return d == 0.0 ? 17 : Double.hashCode(d);
            }
            case STRING: return v.asString().getValue().hashCode();
            case SYMBOL: return v.asSymbol().getSymbol().hashCode();
            case NULL:
            case UNDEFINED:
                return 31;
            case DOCUMENT: {
                int h = 7;
                for (Map.Entry<String, BsonValue> e : v.asDocument().entrySet()) {
                    h = h * 31 + e.getKey().hashCode();
                    h = h * 31 + hash(e.getValue());
                }
                return h;
            }
            case ARRAY: {
                int h = 11;
                for (BsonValue e : v.asArray()) {
                    h = h * 31 + hash(e);
                }
                return h;
            }
            default: return v.hashCode();
        }
    }
}
