package dev.argon.engine.aggregate;

import static dev.argon.engine.aggregate.Args.error;

import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.ArgonException;
import dev.argon.engine.bson.BsonSize;
import dev.argon.engine.spill.StageLimits;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
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

        /**
         * The partial state, written when $group spills. {@link #merge} of the states of consecutive parts of the
         * input, in order, gives what adding all of it would have.
         */
        BsonValue state();

        void merge(BsonValue state);

        /** Roughly what the state holds in memory, in BSON bytes (grows for $push, $addToSet, $mergeObjects). */
        default long bytes() {
            return 16;
        }
    }

    /** The BSON size of a value as a field of a document (its type byte and name aside). */
    static long size(BsonValue v) {
        if (v == null) {
            return 0;
        }
        return v.isDocument() ? BsonSize.of(v.asDocument()) : BsonSize.of(new BsonDocument("", v)) - 7;
    }

    /** {v: value}, or {} for missing: how optional values go into a state. */
    private static BsonDocument optional(BsonValue v) {
        return v == null ? new BsonDocument() : new BsonDocument("v", v);
    }

    private Accumulators() {}

    /**
     * The factory for an accumulator operator, validating its argument; it makes an accumulator under the run's
     * limits ($push and $addToSet arrays).
     */
    static Function<StageLimits, Accumulator> factory(String op, BsonValue arg) {
        switch (op) {
            case "$sum": return l -> new SumAcc();
            case "$avg": return l -> new AvgAcc();
            case "$min": return l -> new MinMaxAcc(-1);
            case "$max": return l -> new MinMaxAcc(1);
            case "$first": return l -> new FirstAcc();
            case "$last": return l -> new LastAcc();
            case "$push": return l -> new PushAcc(l.pushBytes());
            case "$addToSet": return l -> new AddToSetAcc(l.addToSetBytes());
            case "$mergeObjects": return l -> new MergeAcc();
            case "$stdDevPop": return l -> new StdDevAcc(false);
            case "$stdDevSamp": return l -> new StdDevAcc(true);
            case "$count":
                if (!arg.isDocument() || !arg.asDocument().isEmpty()) {
                    throw error(MongoErrorCode.TYPE_MISMATCH, "$count takes no arguments, i.e. $count:{}");
                }
                return l -> new SumAcc();
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

        @Override
        public BsonValue state() {
            return summer.state();
        }

        @Override
        public void merge(BsonValue state) {
            summer.merge(state.asDocument());
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

        @Override
        public BsonValue state() {
            return summer.state();
        }

        @Override
        public void merge(BsonValue state) {
            summer.merge(state.asDocument());
        }
    }

    private static final class MinMaxAcc implements Accumulator {
        private final int sign;
        private BsonValue best;
        private long bytes = 16;

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
                bytes = 16 + size(v);
            }
        }

        @Override
        public BsonValue result() {
            return best == null ? BsonNull.VALUE : best;
        }

        @Override
        public BsonValue state() {
            return optional(best);
        }

        @Override
        public void merge(BsonValue state) {
            add(state.asDocument().get("v"));
        }

        @Override
        public long bytes() {
            return bytes;
        }
    }

    private static final class FirstAcc implements Accumulator {
        private boolean seen;
        private BsonValue first;
        private long bytes = 16;

        @Override
        public void add(BsonValue v) {
            if (!seen) {
                seen = true;
                first = v;
                bytes = 16 + size(v);
            }
        }

        @Override
        public BsonValue result() {
            return first;
        }

        @Override
        public BsonValue state() {
            return optional(first);
        }

        @Override
        public void merge(BsonValue state) {
            add(state.asDocument().get("v"));
        }

        @Override
        public long bytes() {
            return bytes;
        }
    }

    private static final class LastAcc implements Accumulator {
        private BsonValue last;
        private long bytes = 16;

        @Override
        public void add(BsonValue v) {
            last = v;
            bytes = 16 + size(v);
        }

        @Override
        public BsonValue result() {
            return last;
        }

        @Override
        public BsonValue state() {
            return optional(last);
        }

        @Override
        public void merge(BsonValue state) {
            add(state.asDocument().get("v"));
        }

        @Override
        public long bytes() {
            return bytes;
        }
    }

    /**
     * $push: the values in input order. Its array cannot spill (it is one value of one output document), so past
     * {@code internalQueryMaxPushBytes} of its values' BSON the query fails with 146, as on mongod, when adding and
     * when a spilled $group merges partial arrays.
     */
    private static final class PushAcc implements Accumulator {
        private final BsonArray values = new BsonArray();
        private final long limitBytes;
        private long bytes = 16;
        private long valueBytes;

        PushAcc(long limitBytes) {
            this.limitBytes = limitBytes;
        }

        @Override
        public void add(BsonValue v) {
            if (v != null) {
                long n = size(v);
                valueBytes += n;
                if (valueBytes > limitBytes) {
                    throw new ArgonException(MongoErrorCode.EXCEEDED_MEMORY_LIMIT,
                            "$push used too much memory and cannot spill to disk. Memory limit: " + limitBytes + " bytes");
                }
                values.add(v);
                bytes += 8 + n;
            }
        }

        @Override
        public BsonValue result() {
            return values;
        }

        @Override
        public BsonValue state() {
            return values;
        }

        @Override
        public void merge(BsonValue state) {
            for (BsonValue v : state.asArray()) {
                add(v);
            }
        }

        @Override
        public long bytes() {
            return bytes;
        }
    }

    /** $addToSet: distinct values in first-seen order; bounded by {@code internalQueryMaxAddToSetBytes} as $push is. */
    private static final class AddToSetAcc implements Accumulator {
        private final Set<ValueKey> values = new LinkedHashSet<>();
        private final long limitBytes;
        private long bytes = 16;
        private long valueBytes;

        AddToSetAcc(long limitBytes) {
            this.limitBytes = limitBytes;
        }

        @Override
        public void add(BsonValue v) {
            if (v != null && values.add(new ValueKey(v))) {
                long n = size(v);
                valueBytes += n;
                if (valueBytes > limitBytes) {
                    throw new ArgonException(MongoErrorCode.EXCEEDED_MEMORY_LIMIT, "$addToSet used too much memory and cannot "
                            + "spill to disk. Used: " + valueBytes + " bytes. Memory limit: " + limitBytes + " bytes");
                }
                bytes += 8 + n;
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

        @Override
        public BsonValue state() {
            return result();
        }

        @Override
        public void merge(BsonValue state) {
            for (BsonValue v : state.asArray()) {
                add(v);
            }
        }

        @Override
        public long bytes() {
            return bytes;
        }
    }

    private static final class MergeAcc implements Accumulator {
        private final BsonDocument merged = new BsonDocument();
        private long bytes = 16;

        @Override
        public void add(BsonValue v) {
            ObjectOps.mergeInto(merged, v);
            bytes += size(v); // an upper bound: fields that are replaced are counted again
        }

        @Override
        public BsonValue result() {
            return merged;
        }

        @Override
        public BsonValue state() {
            return merged;
        }

        @Override
        public void merge(BsonValue state) {
            add(state);
        }

        @Override
        public long bytes() {
            return bytes;
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
        public BsonValue state() {
            return new BsonDocument("n", new BsonInt64(n)).append("mean", new BsonDouble(mean)).append("m2", new BsonDouble(m2));
        }

        /** Chan et al.'s pairwise combination of two Welford states. */
        @Override
        public void merge(BsonValue state) {
            BsonDocument s = state.asDocument();
            long nb = s.getInt64("n").getValue();
            if (nb == 0) {
                return;
            }
            double meanB = s.getDouble("mean").getValue();
            double m2b = s.getDouble("m2").getValue();
            long total = n + nb;
            double delta = meanB - mean;
            mean += delta * nb / total;
            m2 += m2b + delta * delta * ((double) n * nb / total);
            n = total;
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
