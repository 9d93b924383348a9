package dev.argon.engine.query;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.bson.BsonOrder;
import dev.argon.engine.bson.Numbers;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.bson.BsonDocument;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/** Argument parsing shared by the filter, projection and sort parsers, with mongod's error wording. */
final class Args {
    private static final JsonWriterSettings JSON = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private Args() {}

    /** mongod's {@code BSONElement::toString(true, true)}: {@code name: value}. */
    static String element(String name, BsonValue value) {
        String json = new BsonDocument("v", value).toJson(JSON);
        // {"v": <value>} -> <value>
        return name + ": " + json.substring(json.indexOf(':') + 2, json.length() - 1).trim();
    }

    static String json(BsonValue value) {
        String json = new BsonDocument("v", value).toJson(JSON);
        return json.substring(json.indexOf(':') + 2, json.length() - 1).trim();
    }

    /** A number as mongod prints a double: integral values without a fraction. */
    static String number(BsonValue v) {
        if (!BsonOrder.isNumber(v)) {
            return json(v);
        }
        double d = v.getBsonType() == BsonType.DECIMAL128
                ? v.asDecimal128().getValue().doubleValue()
                : v.asNumber().doubleValue();
        if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    /**
     * mongod's {@code parseIntegerElementToLong}: an integral number representable as a 64-bit integer.
     * Throws FailedToParse-worded messages that callers wrap into their own error.
     */
    static long integerToLong(String name, BsonValue v) {
        if (!BsonOrder.isNumber(v)) {
            throw new IllegalArgumentException("Expected a number in: " + element(name, v));
        }
        switch (v.getBsonType()) {
            case INT32:
                return v.asInt32().getValue();
            case INT64:
                return v.asInt64().getValue();
            case DOUBLE: {
                double d = v.asDouble().getValue();
                if (Double.isNaN(d)) {
                    throw new IllegalArgumentException("Expected an integer, but found NaN in: " + element(name, v));
                }
                if (d >= 0x1p63 || d < -0x1p63) {
                    throw new IllegalArgumentException(
                            "Cannot represent as a 64-bit integer: " + element(name, v));
                }
                if (d != (double) (long) d) {
                    throw new IllegalArgumentException("Expected an integer: " + element(name, v));
                }
                return (long) d;
            }
            default: {
                if (!v.asDecimal128().getValue().isFinite()) {
                    throw new IllegalArgumentException(
                            "Cannot represent as a 64-bit integer: " + element(name, v));
                }
                BigDecimal b = Numbers.decimalValue(v.asDecimal128().getValue());
                if (b.compareTo(LONG_MIN) < 0 || b.compareTo(LONG_MAX) > 0) {
                    throw new IllegalArgumentException(
                            "Cannot represent as a 64-bit integer: " + element(name, v));
                }
                if (b.stripTrailingZeros().scale() > 0) {
                    throw new IllegalArgumentException("Expected an integer: " + element(name, v));
                }
                return b.longValueExact();
            }
        }
    }

    static long integerToNonNegativeLong(String name, BsonValue v) {
        long l = integerToLong(name, v);
        if (l < 0) {
            throw new IllegalArgumentException("Expected a positive number in: " + element(name, v));
        }
        return l;
    }

    static int integerToNonNegativeInt(String name, BsonValue v) {
        long l = integerToNonNegativeLong(name, v);
        if (l > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Cannot represent as a 32-bit integer: " + element(name, v));
        }
        return (int) l;
    }

    /**
     * mongod's {@code tryCoerce<long long>}: truncates toward zero; NaN, infinities and out-of-range values are
     * refused.
     */
    static long coerceToLong(BsonValue v) {
        switch (v.getBsonType()) {
            case INT32:
                return v.asInt32().getValue();
            case INT64:
                return v.asInt64().getValue();
            case DOUBLE: {
                double d = v.asDouble().getValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new IllegalArgumentException("Unable to coerce NaN/Inf to integral type");
                }
                if (d >= 0x1p63 || d < -0x1p63) {
                    throw new IllegalArgumentException("Out of bounds coercing to integral value");
                }
                return (long) d;
            }
            default: {
                if (!v.asDecimal128().getValue().isFinite()) {
                    throw new IllegalArgumentException("Unable to coerce NaN/Inf to integral type");
                }
                BigDecimal b = Numbers.decimalValue(v.asDecimal128().getValue()).setScale(0, RoundingMode.DOWN);
                if (b.compareTo(LONG_MIN) < 0 || b.compareTo(LONG_MAX) > 0) {
                    throw new IllegalArgumentException("Out of bounds coercing to integral value");
                }
                return b.longValueExact();
            }
        }
    }

    /** mongod's {@code BSONElement::trueValue}. */
    static boolean truthy(BsonValue v) {
        switch (v.getBsonType()) {
            case BOOLEAN:
                return v.asBoolean().getValue();
            case INT32:
                return v.asInt32().getValue() != 0;
            case INT64:
                return v.asInt64().getValue() != 0;
            case DOUBLE:
                return v.asDouble().getValue() != 0;
            case DECIMAL128:
                // NaN and the infinities are not zero, hence true.
                return !v.asDecimal128().getValue().isFinite()
                        || Numbers.decimalValue(v.asDecimal128().getValue()).signum() != 0;
            case NULL:
            case UNDEFINED:
                return false;
            default:
                return true;
        }
    }

    static ArgonException badValue(String message) {
        return new ArgonException(MongoErrorCode.BAD_VALUE, message);
    }

    static ArgonException notImplemented(String message) {
        return new ArgonException(MongoErrorCode.NOT_IMPLEMENTED, message);
    }
}
