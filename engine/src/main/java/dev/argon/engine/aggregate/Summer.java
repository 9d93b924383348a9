package dev.argon.engine.aggregate;

import java.math.BigDecimal;
import java.math.MathContext;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * Running numeric sum for $sum and $avg with MongoDB's result typing: int while it fits, then long, then
 * double; decimal as soon as a decimal is seen. Doubles use Kahan summation. Not thread-safe.
 */
final class Summer {
    private Arith.Width width = Arith.Width.INT;
    private long longSum;
    private boolean longOverflow;
    private double doubleSum;
    private double compensation;
    private BigDecimal decimalSum;
    private boolean decimalNonFinite;
    private long count;

    void add(BsonValue v) {
        count++;
        Arith.Width w = Arith.width(v);
        if (w.compareTo(width) > 0) {
            width = w;
        }
        if (w == Arith.Width.DECIMAL) {
            BigDecimal d = Arith.toBigDecimal(v);
            if (d == null) {
                decimalNonFinite = true;
                addDouble(Arith.toDouble(v));
                return;
            }
            if (decimalSum == null) {
                decimalSum = BigDecimal.ZERO;
            }
            decimalSum = decimalSum.add(d, MathContext.DECIMAL128);
            return;
        }
        if (w == Arith.Width.DOUBLE) {
            addDouble(v.asDouble().getValue());
            return;
        }
        addLong(v.asNumber().longValue());
    }

    private void addLong(long l) {
        if (!longOverflow) {
            long r = longSum + l;
            if (((longSum ^ r) & (l ^ r)) < 0) {
                longOverflow = true;
                addDouble((double) longSum + (double) l);
                longSum = 0;
            } else {
                longSum = r;
            }
        } else {
            addDouble(l);
        }
    }

    /** The running state, for a $group that spills ({@link #merge}). */
    BsonDocument state() {
        BsonDocument d = new BsonDocument("w", new BsonInt32(width.ordinal()))
                .append("l", new BsonInt64(longSum)).append("o", BsonBoolean.valueOf(longOverflow))
                .append("d", new BsonDouble(doubleSum)).append("c", new BsonDouble(compensation))
                .append("n", BsonBoolean.valueOf(decimalNonFinite)).append("k", new BsonInt64(count));
        if (decimalSum != null) {
            d.append("m", new BsonString(decimalSum.toString()));
        }
        return d;
    }

    /**
     * Adds another summer's {@link #state}, as if its values had been added here: exact for integers and decimals;
     * doubles are combined as two compensated sums, so the last bit may differ from one sequential sum.
     */
    void merge(BsonDocument s) {
        count += s.getInt64("k").getValue();
        Arith.Width w = Arith.Width.values()[s.getInt32("w").getValue()];
        if (w.compareTo(width) > 0) {
            width = w;
        }
        if (s.getBoolean("o").getValue() && !longOverflow) {
            longOverflow = true;
            addDouble(longSum);
            longSum = 0;
        }
        addLong(s.getInt64("l").getValue());
        addDouble(s.getDouble("d").getValue());
        addDouble(-s.getDouble("c").getValue());
        decimalNonFinite |= s.getBoolean("n").getValue();
        if (s.containsKey("m")) {
            BigDecimal m = new BigDecimal(s.getString("m").getValue());
            decimalSum = decimalSum == null ? m : decimalSum.add(m, MathContext.DECIMAL128);
        }
    }

    private void addDouble(double d) {
        double y = d - compensation;
        double t = doubleSum + y;
        compensation = (t - doubleSum) - y;
        doubleSum = t;
    }

    long count() {
        return count;
    }

    BsonValue sum() {
        if (width == Arith.Width.DECIMAL) {
            if (decimalNonFinite) {
                return Arith.decimalFromDouble(total());
            }
            BigDecimal d = decimalSum == null ? BigDecimal.ZERO : decimalSum;
            d = d.add(BigDecimal.valueOf(longSum));
            if (doubleSum != 0) {
                d = d.add(Arith.toBigDecimal(new BsonDouble(doubleSum)), MathContext.DECIMAL128);
            }
            return Arith.decimal(d);
        }
        if (width == Arith.Width.DOUBLE || longOverflow) {
            return new BsonDouble(total());
        }
        if (width == Arith.Width.INT) {
            return Arith.intOrLong(longSum);
        }
        return new BsonInt64(longSum);
    }

    private double total() {
        return doubleSum + longSum + (decimalSum == null ? 0 : decimalSum.doubleValue());
    }

    /** The mean, or null (missing) when nothing was added. */
    BsonValue average() {
        if (count == 0) {
            return null;
        }
        if (width == Arith.Width.DECIMAL && !decimalNonFinite) {
            BigDecimal s = Arith.toBigDecimal(sum());
            return Arith.decimal(s.divide(BigDecimal.valueOf(count), MathContext.DECIMAL128));
        }
        if (width == Arith.Width.DECIMAL) {
            return Arith.decimalFromDouble(total() / count);
        }
        return new BsonDouble(total() / count);
    }
}
