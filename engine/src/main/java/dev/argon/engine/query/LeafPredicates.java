package dev.argon.engine.query;

import dev.argon.engine.bson.BsonOrder;
import dev.argon.engine.bson.Numbers;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bson.BsonNull;
import org.bson.BsonType;
import org.bson.BsonValue;

/** The single-value predicates of the filter language. All immutable. */
final class LeafPredicates {
    private LeafPredicates() {}

    enum Op {
        EQ, LT, LTE, GT, GTE
    }

    /**
     * $eq, $lt, $lte, $gt, $gte with type bracketing: values of different canonical types never match, except
     * that MinKey and MaxKey bound everything, missing/undefined equal null, and NaN is only equal to NaN.
     */
    static final class Comparison implements ValuePredicate {
        private final Op op;
        private final BsonValue rhs;
        private final int rhsRank;
        private final boolean rhsNaN;

        Comparison(Op op, BsonValue rhs) {
            this.op = op;
            this.rhs = rhs;
            this.rhsRank = BsonOrder.typeRank(rhs);
            this.rhsNaN = BsonOrder.isNaN(rhs);
        }

        @Override
        public int test(BsonValue value) {
            BsonValue e = value == null ? BsonNull.VALUE : value;
            if (BsonOrder.typeRank(e) != rhsRank) {
                if (rhs.getBsonType() == BsonType.MAX_KEY) {
                    return ValuePredicate.result(op == Op.LT || op == Op.LTE);
                }
                if (rhs.getBsonType() == BsonType.MIN_KEY) {
                    return ValuePredicate.result(op == Op.GT || op == Op.GTE);
                }
                return NO_MATCH;
            }
            if (op != Op.EQ) {
                boolean lhsNaN = BsonOrder.isNaN(e);
                if (lhsNaN || rhsNaN) {
                    return ValuePredicate.result((op == Op.LTE || op == Op.GTE) && lhsNaN && rhsNaN);
                }
            }
            int c = BsonOrder.compare(e, rhs);
            switch (op) {
                case EQ:
                    return ValuePredicate.result(c == 0);
                case LT:
                    return ValuePredicate.result(c < 0);
                case LTE:
                    return ValuePredicate.result(c <= 0);
                case GT:
                    return ValuePredicate.result(c > 0);
                default:
                    return ValuePredicate.result(c >= 0);
            }
        }
    }

    /** $in: equality to any listed value or a match of any listed regex; a listed null also matches missing. */
    static final class In implements ValuePredicate {
        private final Set<BsonValue> equalities = new TreeSet<>(BsonOrder.COMPARATOR);
        private final boolean hasNull;
        private final List<RegexPredicate> regexes;

        In(List<BsonValue> equalities, List<RegexPredicate> regexes) {
            this.equalities.addAll(equalities);
            this.hasNull = equalities.stream().anyMatch(BsonValue::isNull);
            this.regexes = List.copyOf(regexes);
        }

        @Override
        public int test(BsonValue value) {
            if (value == null) {
                return ValuePredicate.result(hasNull);
            }
            if (equalities.contains(value)) {
                return MATCH;
            }
            for (RegexPredicate regex : regexes) {
                if (regex.matches(value)) {
                    return MATCH;
                }
            }
            return NO_MATCH;
        }
    }

    static final ValuePredicate EXISTS = value -> ValuePredicate.result(value != null);

    /** $type: a set of BSON types, optionally every numeric type ("number"). */
    static final class TypeSet implements ValuePredicate {
        private final Set<BsonType> types;
        private final boolean allNumbers;

        TypeSet(Set<BsonType> types, boolean allNumbers) {
            this.types = types.isEmpty() ? EnumSet.noneOf(BsonType.class) : EnumSet.copyOf(types);
            this.allNumbers = allNumbers;
        }

        @Override
        public int test(BsonValue value) {
            if (value == null) {
                return NO_MATCH;
            }
            return ValuePredicate.result(types.contains(value.getBsonType())
                    || (allNumbers && BsonOrder.isNumber(value)));
        }
    }

    /** $mod: the value truncated toward zero; NaN, infinities and values beyond 64 bits never match. */
    static final class Mod implements ValuePredicate {
        private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
        private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
        private final long divisor;
        private final long remainder;

        Mod(long divisor, long remainder) {
            this.divisor = divisor;
            this.remainder = remainder;
        }

        @Override
        public int test(BsonValue value) {
            if (value == null || !BsonOrder.isNumber(value)) {
                return NO_MATCH;
            }
            long dividend;
            switch (value.getBsonType()) {
                case INT32:
                    dividend = value.asInt32().getValue();
                    break;
                case INT64:
                    dividend = value.asInt64().getValue();
                    break;
                case DOUBLE: {
                    double d = value.asDouble().getValue();
                    if (Double.isNaN(d) || Double.isInfinite(d) || d >= 0x1p63 || d < -0x1p63) {
                        return NO_MATCH;
                    }
                    dividend = (long) d;
                    break;
                }
                default: {
                    if (!value.asDecimal128().getValue().isFinite()) {
                        return NO_MATCH;
                    }
                    BigDecimal b = Numbers.decimalValue(value.asDecimal128().getValue()).setScale(0, RoundingMode.DOWN);
                    if (b.compareTo(LONG_MIN) < 0 || b.compareTo(LONG_MAX) > 0) {
                        return NO_MATCH;
                    }
                    dividend = b.longValueExact();
                }
            }
            // Long.MIN_VALUE % -1 is fine in Java, but mongod defines x mod -1 as 0 explicitly.
            long mod = divisor == -1 ? 0 : dividend % divisor;
            return ValuePredicate.result(mod == remainder);
        }
    }

    /** $size: only the array itself, never its elements. */
    static final class Size implements ValuePredicate {
        private final int size;

        Size(int size) {
            this.size = size;
        }

        @Override
        public int test(BsonValue value) {
            return ValuePredicate.result(value != null && value.isArray() && value.asArray().size() == size);
        }

        @Override
        public boolean expandLeafArrays() {
            return false;
        }
    }

    enum BitOp {
        ALL_SET, ALL_CLEAR, ANY_SET, ANY_CLEAR
    }

    /** $bitsAllSet and friends over integral numbers (two's complement, sign-extended) and BinData (little-endian). */
    static final class BitTest implements ValuePredicate {
        private final BitOp op;
        private final long mask;
        private final int[] positions;

        BitTest(BitOp op, long mask, int[] positions) {
            this.op = op;
            this.mask = mask;
            this.positions = positions;
        }

        @Override
        public int test(BsonValue value) {
            if (value == null) {
                return NO_MATCH;
            }
            if (value.isBinary()) {
                return ValuePredicate.result(testBinary(value.asBinary().getData()));
            }
            if (!BsonOrder.isNumber(value)) {
                return NO_MATCH;
            }
            long v;
            try {
                v = Args.integerToLong("", value);
            } catch (IllegalArgumentException notIntegral) {
                return NO_MATCH;
            }
            switch (op) {
                case ALL_SET:
                    return ValuePredicate.result((v & mask) == mask);
                case ALL_CLEAR:
                    return ValuePredicate.result((~v & mask) == mask);
                case ANY_SET:
                    return ValuePredicate.result((v & mask) != 0);
                default:
                    return ValuePredicate.result((~v & mask) != 0);
            }
        }

        private boolean testBinary(byte[] data) {
            boolean any = op == BitOp.ANY_SET || op == BitOp.ANY_CLEAR;
            boolean wantSet = op == BitOp.ALL_SET || op == BitOp.ANY_SET;
            for (int position : positions) {
                boolean set = position < data.length * 8 && (data[position / 8] & (1 << (position % 8))) != 0;
                if (set == wantSet) {
                    if (any) {
                        return true;
                    }
                } else if (!any) {
                    return false;
                }
            }
            return !any;
        }
    }
}
