package dev.argon.engine.aggregate;

import dev.argon.engine.bson.BsonOrder;
import java.math.BigDecimal;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

/**
 * Value helpers shared by expressions, stages and update operators. A Java {@code null} stands for a
 * <em>missing</em> value throughout the aggregate and update code, distinct from BSON null. Stateless.
 */
public final class Values {
    private Values() {}

    /** MongoDB's type alias as returned by {@code $type} and used in error messages; "missing" for null. */
    public static String typeName(BsonValue v) {
        if (v == null) {
            return "missing";
        }
        return typeName(v.getBsonType());
    }

    public static String typeName(BsonType t) {
        switch (t) {
            case DOUBLE: return "double";
            case STRING: return "string";
            case DOCUMENT: return "object";
            case ARRAY: return "array";
            case BINARY: return "binData";
            case UNDEFINED: return "undefined";
            case OBJECT_ID: return "objectId";
            case BOOLEAN: return "bool";
            case DATE_TIME: return "date";
            case NULL: return "null";
            case REGULAR_EXPRESSION: return "regex";
            case DB_POINTER: return "dbPointer";
            case JAVASCRIPT: return "javascript";
            case SYMBOL: return "symbol";
            case JAVASCRIPT_WITH_SCOPE: return "javascriptWithScope";
            case INT32: return "int";
            case TIMESTAMP: return "timestamp";
            case INT64: return "long";
            case DECIMAL128: return "decimal";
            case MIN_KEY: return "minKey";
            case MAX_KEY: return "maxKey";
            default: return "eoo";
        }
    }

    public static boolean isNumber(BsonValue v) {
        return v != null && v.isNumber();
    }

    /** Missing, null or undefined: the values most expression operators turn into a null result. */
    public static boolean isNullish(BsonValue v) {
        return v == null || v.isNull() || v.getBsonType() == BsonType.UNDEFINED;
    }

    /** Aggregation truthiness: false, null, undefined, missing and numeric zero are false. */
    public static boolean isTruthy(BsonValue v) {
        if (isNullish(v)) {
            return false;
        }
        switch (v.getBsonType()) {
            case BOOLEAN: return v.asBoolean().getValue();
            case INT32: return v.asInt32().getValue() != 0;
            case INT64: return v.asInt64().getValue() != 0;
            case DOUBLE: return v.asDouble().getValue() != 0.0;
            case DECIMAL128: {
                Decimal128 d = v.asDecimal128().getValue();
                return d.isNaN() || d.isInfinite() || !isDecimalZero(d);
            }
            default: return true;
        }
    }

    private static boolean isDecimalZero(Decimal128 d) {
        try {
            return d.bigDecimalValue().signum() == 0;
        } catch (ArithmeticException negativeZero) {
            return true;
        }
    }

    /**
     * Compares in MongoDB's order with missing sorting before every value (as aggregation expressions do,
     * so that {@code {$eq: ["$missing", null]}} is false).
     */
    public static int compare(BsonValue a, BsonValue b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return BsonOrder.compare(a, b);
    }

    public static boolean equal(BsonValue a, BsonValue b) {
        return compare(a, b) == 0;
    }

    /** Deep copy of documents and arrays; other BSON values are immutable and returned as is. */
    public static BsonValue copy(BsonValue v) {
        if (v == null) {
            return null;
        }
        if (v.isDocument()) {
            BsonDocument out = new BsonDocument();
            for (Map.Entry<String, BsonValue> e : v.asDocument().entrySet()) {
                out.put(e.getKey(), copy(e.getValue()));
            }
            return out;
        }
        if (v.isArray()) {
            BsonArray in = v.asArray();
            BsonArray out = new BsonArray(in.size());
            for (BsonValue e : in) {
                out.add(copy(e));
            }
            return out;
        }
        return v;
    }

    /** Exact value of a decimal, or null for NaN and infinities (negative zero becomes zero). */
    public static BigDecimal decimalValue(Decimal128 d) {
        if (d.isNaN() || d.isInfinite()) {
            return null;
        }
        try {
            return d.bigDecimalValue();
        } catch (ArithmeticException negativeZero) {
            return BigDecimal.ZERO;
        }
    }

    /** A whole number that fits an int (int, long, or integral double/decimal), else null. */
    public static Integer exactInt(BsonValue v) {
        Long l = exactLong(v);
        return l != null && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (Integer) l.intValue() : null;
    }

    /** A whole number that fits a long, else null. */
    public static Long exactLong(BsonValue v) {
        if (v == null) {
            return null;
        }
        switch (v.getBsonType()) {
            case INT32: return (long) v.asInt32().getValue();
            case INT64: return v.asInt64().getValue();
            case DOUBLE: {
                double d = v.asDouble().getValue();
                if (d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63) {
                    return (long) d;
                }
                return null;
            }
            case DECIMAL128: {
                BigDecimal b = decimalValue(v.asDecimal128().getValue());
                if (b == null) {
                    return null;
                }
                try {
                    return b.longValueExact();
                } catch (ArithmeticException notIntegral) {
                    return null;
                }
            }
            default: return null;
        }
    }
}
