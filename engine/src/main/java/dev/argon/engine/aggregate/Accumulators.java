package dev.argon.engine.aggregate;

import static dev.argon.engine.aggregate.Args.error;

import dev.argon.engine.MongoErrorCode;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonValue;

/**
 * The $group accumulators. Each accumulator instance belongs to one group of one run and is not
 * thread-safe; the factories are.
 */
final class Accumulators {
    /** Per-group state of one accumulator. */
    interface Accumulator {
        void add(BsonValue v);

        /** The group's result; null means missing and becomes null in the output document. */
        BsonValue result();
    }

    private Accumulators() {}

    /** The factory for an accumulator operator, validating its argument. */
    static Supplier<Accumulator> factory(String op, BsonValue arg) {
        switch (op) {
            case "$sum": return SumAcc::new;
            case "$avg": return AvgAcc::new;
            case "$min": return () -> new MinMaxAcc(-1);
            case "$max": return () -> new MinMaxAcc(1);
            case "$first": return FirstAcc::new;
            case "$last": return LastAcc::new;
            case "$push": return PushAcc::new;
            case "$addToSet": return AddToSetAcc::new;
            case "$mergeObjects": return MergeAcc::new;
            case "$stdDevPop": return () -> new StdDevAcc(false);
            case "$stdDevSamp": return () -> new StdDevAcc(true);
            case "$count":
                if (!arg.isDocument() || !arg.asDocument().isEmpty()) {
                    throw error(MongoErrorCode.TYPE_MISMATCH, "$count takes no arguments, i.e. $count:{}");
                }
                return SumAcc::new;
            default:
                throw error(MongoErrorCode.LOCATION_15952, "unknown group operator '" + op + "'");
        }
    }

    /** The input expression; $count counts documents, as {$sum: 1} does. */
    static Expression argument(String op, BsonValue arg, Scope scope) {
        if (op.equals("$count")) {
            BsonValue one = new BsonInt32(1);
            return vars -> one;
        }
        return ExpressionParser.parse(arg, scope);
    }

    private static final class SumAcc implements Accumulator {
        private final Summer summer = new Summer();

        @Override
        public void add(BsonValue v) {
            if (v != null && v.isNumber()) {
                summer.add(v);
            }
        }

        @Override
        public BsonValue result() {
            return summer.sum();
        }
    }

    private static final class AvgAcc implements Accumulator {
        private final Summer summer = new Summer();

        @Override
        public void add(BsonValue v) {
            if (v != null && v.isNumber()) {
                summer.add(v);
            }
        }

        @Override
        public BsonValue result() {
            BsonValue avg = summer.average();
            return avg == null ? BsonNull.VALUE : avg;
        }
    }

    private static final class MinMaxAcc implements Accumulator {
        private final int sign;
        private BsonValue best;

        MinMaxAcc(int sign) {
            this.sign = sign;
        }

        @Override
        public void add(BsonValue v) {
            if (Values.isNullish(v)) {
                return;
            }
            if (best == null || sign * Values.compare(v, best) > 0) {
                best = v;
            }
        }

        @Override
        public BsonValue result() {
            return best == null ? BsonNull.VALUE : best;
        }
    }

    private static final class FirstAcc implements Accumulator {
        private boolean seen;
        private BsonValue first;

        @Override
        public void add(BsonValue v) {
            if (!seen) {
                seen = true;
                first = v;
            }
        }

        @Override
        public BsonValue result() {
            return first;
        }
    }

    private static final class LastAcc implements Accumulator {
        private BsonValue last;

        @Override
        public void add(BsonValue v) {
            last = v;
        }

        @Override
        public BsonValue result() {
            return last;
        }
    }

    private static final class PushAcc implements Accumulator {
        private final BsonArray values = new BsonArray();

        @Override
        public void add(BsonValue v) {
            if (v != null) {
                values.add(v);
            }
        }

        @Override
        public BsonValue result() {
            return values;
        }
    }

    private static final class AddToSetAcc implements Accumulator {
        private final Set<ValueKey> values = new LinkedHashSet<>();

        @Override
        public void add(BsonValue v) {
            if (v != null) {
                values.add(new ValueKey(v));
            }
        }

        @Override
        public BsonValue result() {
            BsonArray out = new BsonArray(values.size());
            for (ValueKey k : values) {
                out.add(k.value());
            }
            return out;
        }
    }

    private static final class MergeAcc implements Accumulator {
        private final BsonDocument merged = new BsonDocument();

        @Override
        public void add(BsonValue v) {
            ObjectOps.mergeInto(merged, v);
        }

        @Override
        public BsonValue result() {
            return merged;
        }
    }

    /** Welford's online algorithm, numerically stable for large inputs. */
    private static final class StdDevAcc implements Accumulator {
        private final boolean sample;
        private long n;
        private double mean;
        private double m2;

        StdDevAcc(boolean sample) {
            this.sample = sample;
        }

        @Override
        public void add(BsonValue v) {
            if (v == null || !v.isNumber()) {
                return;
            }
            double x = Arith.toDouble(v);
            n++;
            double delta = x - mean;
            mean += delta / n;
            m2 += delta * (x - mean);
        }

        @Override
        public BsonValue result() {
            long d = sample ? n - 1 : n;
            if (d <= 0) {
                return BsonNull.VALUE;
            }
            return new BsonDouble(Math.sqrt(m2 / d));
        }
    }
}
