package dev.argon.engine.aggregate;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import org.bson.BsonDecimal128;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

/**
 * Numeric arithmetic with MongoDB's type promotion: int &lt; long &lt; double &lt; decimal, the result taking the
 * widest operand type, int overflow widening to long. What happens when a long overflows differs between
 * aggregation (widens to double) and update operators (an error), so callers choose. Stateless.
 */
public final class Arith {
    /** Numeric width of an operand, ordered so that {@code max} gives the result type. */
    public enum Width { INT, LONG, DOUBLE, DECIMAL }

    /** Doubles become decimals with 15 significant digits, as MongoDB converts them. */
    private static final MathContext DOUBLE_TO_DECIMAL = new MathContext(15, RoundingMode.HALF_EVEN);

    private Arith() {}

    public static Width width(BsonValue v) {
        switch (v.getBsonType()) {
            case INT32: return Width.INT;
            case INT64: return Width.LONG;
            case DOUBLE: return Width.DOUBLE;
            case DECIMAL128: return Width.DECIMAL;
            default: throw new IllegalArgumentException("not a number: " + v.getBsonType());
        }
    }

    public static Width wider(BsonValue a, BsonValue b) {
        Width wa = width(a);
        Width wb = width(b);
        return wa.compareTo(wb) >= 0 ? wa : wb;
    }

    public static long toLong(BsonValue v) {
        return v.asNumber().longValue();
    }

    public static double toDouble(BsonValue v) {
        if (v.isDecimal128()) {
            return v.asDecimal128().getValue().doubleValue();
        }
        return v.asNumber().doubleValue();
    }

    /** Decimal form of any number; null for decimal or double NaN/infinity. */
    public static BigDecimal toBigDecimal(BsonValue v) {
        switch (v.getBsonType()) {
            case INT32: return BigDecimal.valueOf(v.asInt32().getValue());
            case INT64: return BigDecimal.valueOf(v.asInt64().getValue());
            case DOUBLE: {
                double d = v.asDouble().getValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    return null;
                }
                return doubleToDecimal(d);
            }
            case DECIMAL128: return Values.decimalValue(v.asDecimal128().getValue());
            default: throw new IllegalArgumentException("not a number: " + v.getBsonType());
        }
    }

    public static BsonValue decimal(BigDecimal b) {
        BigDecimal r = b.round(MathContext.DECIMAL128);
        try {
            return new BsonDecimal128(new Decimal128(r));
        } catch (NumberFormatException outOfRange) {
            return new BsonDecimal128(r.signum() < 0 ? Decimal128.NEGATIVE_INFINITY : Decimal128.POSITIVE_INFINITY);
        }
    }

    /** A decimal from a double result, used when a decimal operand is NaN or infinite. */
    public static BsonValue decimalFromDouble(double d) {
        if (Double.isNaN(d)) {
            return new BsonDecimal128(Decimal128.NaN);
        }
        if (Double.isInfinite(d)) {
            return new BsonDecimal128(d > 0 ? Decimal128.POSITIVE_INFINITY : Decimal128.NEGATIVE_INFINITY);
        }
        return decimal(doubleToDecimal(d));
    }

    /** Always 15 significant digits, trailing zeros included: 0.5 becomes 0.500000000000000. */
    private static BigDecimal doubleToDecimal(double d) {
        if (d == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal b = new BigDecimal(d).round(DOUBLE_TO_DECIMAL);
        return b.precision() < 15 ? b.setScale(b.scale() + 15 - b.precision()) : b;
    }

    /** An int when it fits, otherwise a long. */
    public static BsonValue intOrLong(long v) {
        return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? new BsonInt32((int) v) : new BsonInt64(v);
    }

    /**
     * a + b. Returns null if the operation overflows a long and {@code longOverflowToDouble} is false.
     */
    public static BsonValue add(BsonValue a, BsonValue b, boolean longOverflowToDouble) {
        switch (wider(a, b)) {
            case INT: return intOrLong((long) a.asInt32().getValue() + b.asInt32().getValue());
            case LONG: {
                long x = toLong(a);
                long y = toLong(b);
                long r = x + y;
                if (((x ^ r) & (y ^ r)) < 0) {
                    return longOverflowToDouble ? new BsonDouble((double) x + (double) y) : null;
                }
                return new BsonInt64(r);
            }
            case DOUBLE: return new BsonDouble(toDouble(a) + toDouble(b));
            default: {
                BigDecimal x = toBigDecimal(a);
                BigDecimal y = toBigDecimal(b);
                if (x == null || y == null) {
                    return decimalFromDouble(toDouble(a) + toDouble(b));
                }
                return decimal(x.add(y, MathContext.DECIMAL128));
            }
        }
    }

    public static BsonValue subtract(BsonValue a, BsonValue b, boolean longOverflowToDouble) {
        switch (wider(a, b)) {
            case INT: return intOrLong((long) a.asInt32().getValue() - b.asInt32().getValue());
            case LONG: {
                long x = toLong(a);
                long y = toLong(b);
                long r = x - y;
                if (((x ^ y) & (x ^ r)) < 0) {
                    return longOverflowToDouble ? new BsonDouble((double) x - (double) y) : null;
                }
                return new BsonInt64(r);
            }
            case DOUBLE: return new BsonDouble(toDouble(a) - toDouble(b));
            default: {
                BigDecimal x = toBigDecimal(a);
                BigDecimal y = toBigDecimal(b);
                if (x == null || y == null) {
                    return decimalFromDouble(toDouble(a) - toDouble(b));
                }
                return decimal(x.subtract(y, MathContext.DECIMAL128));
            }
        }
    }

    public static BsonValue multiply(BsonValue a, BsonValue b, boolean longOverflowToDouble) {
        switch (wider(a, b)) {
            case INT: return intOrLong((long) a.asInt32().getValue() * b.asInt32().getValue());
            case LONG: {
                long x = toLong(a);
                long y = toLong(b);
                long hi = Math.multiplyHigh(x, y);
                long lo = x * y;
                if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
                    return new BsonInt64(lo);
                }
                return longOverflowToDouble ? new BsonDouble((double) x * (double) y) : null;
            }
            case DOUBLE: return new BsonDouble(toDouble(a) * toDouble(b));
            default: {
                BigDecimal x = toBigDecimal(a);
                BigDecimal y = toBigDecimal(b);
                if (x == null || y == null) {
                    return decimalFromDouble(toDouble(a) * toDouble(b));
                }
                return decimal(x.multiply(y, MathContext.DECIMAL128));
            }
        }
    }

    /** a / b as a double (decimal if either is decimal); the caller rejects a zero divisor. */
    public static BsonValue divide(BsonValue a, BsonValue b) {
        if (wider(a, b) == Width.DECIMAL) {
            BigDecimal x = toBigDecimal(a);
            BigDecimal y = toBigDecimal(b);
            if (x == null || y == null) {
                return decimalFromDouble(toDouble(a) / toDouble(b));
            }
            return decimal(x.divide(y, MathContext.DECIMAL128));
        }
        return new BsonDouble(toDouble(a) / toDouble(b));
    }

    /** Remainder with the sign of the dividend; the caller rejects a zero divisor. */
    public static BsonValue mod(BsonValue a, BsonValue b) {
        switch (wider(a, b)) {
            case INT: return new BsonInt32(a.asInt32().getValue() % b.asInt32().getValue());
            case LONG: return new BsonInt64(toLong(a) % toLong(b));
            case DOUBLE: return new BsonDouble(toDouble(a) % toDouble(b));
            default: {
                BigDecimal x = toBigDecimal(a);
                BigDecimal y = toBigDecimal(b);
                if (x == null || y == null) {
                    return decimalFromDouble(toDouble(a) % toDouble(b));
                }
                // Exact, as IEEE fmod is, then rounded: with a precision limit BigDecimal refuses any quotient of
                // more than 34 digits ("Division impossible"), e.g. 1E+40 mod 3.
                return decimal(x.remainder(y));
            }
        }
    }

    public static boolean isZero(BsonValue v) {
        switch (v.getBsonType()) {
            case INT32: return v.asInt32().getValue() == 0;
            case INT64: return v.asInt64().getValue() == 0;
            case DOUBLE: return v.asDouble().getValue() == 0.0;
            case DECIMAL128: {
                BigDecimal b = Values.decimalValue(v.asDecimal128().getValue());
                return b != null && b.signum() == 0;
            }
            default: return false;
        }
    }

    /** Zero of the given width. */
    public static BsonValue zero(Width w) {
        switch (w) {
            case INT: return new BsonInt32(0);
            case LONG: return new BsonInt64(0);
            case DOUBLE: return new BsonDouble(0);
            default: return new BsonDecimal128(Decimal128.POSITIVE_ZERO);
        }
    }
}
