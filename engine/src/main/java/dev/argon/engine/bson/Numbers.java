package dev.argon.engine.bson;

import java.math.BigDecimal;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

/**
 * Exact views of BSON numbers and their exact comparison across Int32, Int64, Double and Decimal128. Every
 * finite value of these types is a terminating decimal, so comparisons are done exactly (no rounding through
 * double), which keeps the order total and transitive and lets {@link KeyEncoder} agree with it byte for byte.
 */
public final class Numbers {
    /** {@link #classify} results, in sort order. */
    public static final int NAN = 0;
    public static final int NEG_INFINITY = 1;
    public static final int FINITE = 2;
    public static final int POS_INFINITY = 3;

    private static final long SIGN_BIT = 1L << 63;

    private Numbers() {}

    public static boolean isNumber(BsonValue v) {
        switch (v.getBsonType()) {
            case INT32:
            case INT64:
            case DOUBLE:
            case DECIMAL128:
                return true;
            default:
                return false;
        }
    }

    public static boolean isNaN(BsonValue v) {
        if (v.getBsonType() == BsonType.DOUBLE) {
            return Double.isNaN(v.asDouble().getValue());
        }
        return v.getBsonType() == BsonType.DECIMAL128 && v.asDecimal128().getValue().isNaN();
    }

    public static int compare(BsonValue a, BsonValue b) {
        BsonType ta = a.getBsonType();
        BsonType tb = b.getBsonType();
        if (ta == BsonType.DECIMAL128 || tb == BsonType.DECIMAL128) {
            return compareExact(a, b);
        }
        if (ta == BsonType.DOUBLE) {
            double x = a.asDouble().getValue();
            if (tb == BsonType.DOUBLE) {
                return compareDoubles(x, b.asDouble().getValue());
            }
            return -compareLongToDouble(integral(b), x);
        }
        long l = integral(a);
        if (tb == BsonType.DOUBLE) {
            return compareLongToDouble(l, b.asDouble().getValue());
        }
        return Long.compare(l, integral(b));
    }

    /** NaN equals NaN and sorts below every other number; -0.0 equals 0.0. */
    static int compareDoubles(double x, double y) {
        if (x < y) {
            return -1;
        }
        if (x > y) {
            return 1;
        }
        if (x == y) {
            return 0;
        }
        boolean nx = Double.isNaN(x);
        boolean ny = Double.isNaN(y);
        return nx ? (ny ? 0 : -1) : 1;
    }

    /** Exact, also beyond 2^53 where converting the long to double would round. */
    static int compareLongToDouble(long l, double d) {
        if (Double.isNaN(d)) {
            return 1;
        }
        if (d >= 0x1p63) {
            return -1;
        }
        if (d < -0x1p63) {
            return 1;
        }
        long t = (long) d; // exact truncation toward zero in this range
        if (l != t) {
            return Long.compare(l, t);
        }
        // (double) t is exact: either d is integral (t == d) or |d| < 2^52.
        double frac = d - (double) t;
        return frac > 0 ? -1 : frac < 0 ? 1 : 0;
    }

    private static int compareExact(BsonValue a, BsonValue b) {
        int ca = classify(a);
        int cb = classify(b);
        if (ca != FINITE || cb != FINITE) {
            return Integer.compare(ca, cb);
        }
        return toBigDecimal(a).compareTo(toBigDecimal(b));
    }

    public static int classify(BsonValue v) {
        switch (v.getBsonType()) {
            case DOUBLE: {
                double d = v.asDouble().getValue();
                if (Double.isNaN(d)) {
                    return NAN;
                }
                if (Double.isInfinite(d)) {
                    return d > 0 ? POS_INFINITY : NEG_INFINITY;
                }
                return FINITE;
            }
            case DECIMAL128: {
                Decimal128 d = v.asDecimal128().getValue();
                if (d.isNaN()) {
                    return NAN;
                }
                if (d.isInfinite()) {
                    return d.isNegative() ? NEG_INFINITY : POS_INFINITY;
                }
                return FINITE;
            }
            default:
                return FINITE;
        }
    }

    /** The exact value of a finite number; -0 becomes 0. */
    public static BigDecimal toBigDecimal(BsonValue v) {
        switch (v.getBsonType()) {
            case INT32:
                return BigDecimal.valueOf(v.asInt32().getValue());
            case INT64:
                return BigDecimal.valueOf(v.asInt64().getValue());
            case DOUBLE:
                return new BigDecimal(v.asDouble().getValue());
            case DECIMAL128:
                return decimalValue(v.asDecimal128().getValue());
            default:
                throw new IllegalArgumentException("not a number: " + v.getBsonType());
        }
    }

    public static BigDecimal decimalValue(Decimal128 d) {
        if (d.isNegative()) {
            // bigDecimalValue() refuses negative zero; go through the magnitude instead.
            return Decimal128.fromIEEE754BIDEncoding(d.getHigh() & ~SIGN_BIT, d.getLow()).bigDecimalValue().negate();
        }
        return d.bigDecimalValue();
    }

    private static long integral(BsonValue v) {
        return v.getBsonType() == BsonType.INT32 ? v.asInt32().getValue() : v.asInt64().getValue();
    }
}
