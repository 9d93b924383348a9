package dev.argon.engine.aggregate;

import static dev.argon.engine.aggregate.Args.error;

import dev.argon.engine.MongoErrorCode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonNull;
import org.bson.BsonValue;

/** $setUnion $setIntersection $setDifference $setEquals $setIsSubset: arrays treated as sets. */
final class SetOps {
    private SetOps() {}

    static void register(Map<String, ExpressionParser.OperatorParser> ops) {
        ops.put("$setUnion", (a, s) -> {
            List<Expression> args = Args.list(a, s);
            return vars -> {
                Set<ValueKey> out = new LinkedHashSet<>();
                for (Expression e : args) {
                    BsonValue v = e.evaluate(vars);
                    if (Values.isNullish(v)) {
                        return BsonNull.VALUE;
                    }
                    out.addAll(asSet("$setUnion", v, MongoErrorCode.LOCATION_17043));
                }
                return toArray(out);
            };
        });
        ops.put("$setIntersection", (a, s) -> {
            List<Expression> args = Args.list(a, s);
            return vars -> {
                Set<ValueKey> out = null;
                for (Expression e : args) {
                    BsonValue v = e.evaluate(vars);
                    if (Values.isNullish(v)) {
                        return BsonNull.VALUE;
                    }
                    Set<ValueKey> set = asSet("$setIntersection", v, MongoErrorCode.LOCATION_17047);
                    if (out == null) {
                        out = set;
                    } else {
                        out.retainAll(set);
                    }
                }
                return toArray(out == null ? new LinkedHashSet<>() : out);
            };
        });
        ops.put("$setDifference", (a, s) -> {
            List<Expression> args = Args.exactly("$setDifference", 2, a, s);
            return vars -> {
                BsonValue x = args.get(0).evaluate(vars);
                BsonValue y = args.get(1).evaluate(vars);
                if (Values.isNullish(x) || Values.isNullish(y)) {
                    return BsonNull.VALUE;
                }
                Set<ValueKey> out = asSet("$setDifference", x, MongoErrorCode.LOCATION_17048);
                out.removeAll(asSet("$setDifference", y, MongoErrorCode.LOCATION_17049));
                return toArray(out);
            };
        });
        ops.put("$setEquals", (a, s) -> {
            List<Expression> args = Args.list(a, s);
            if (args.size() < 2) {
                throw error(MongoErrorCode.LOCATION_17045, "$setEquals needs at least two arguments had: " + args.size());
            }
            return vars -> {
                Set<ValueKey> first = null;
                for (Expression e : args) {
                    Set<ValueKey> set = asSet("$setEquals", e.evaluate(vars), MongoErrorCode.LOCATION_17044);
                    if (first == null) {
                        first = set;
                    } else if (!first.equals(set)) {
                        return BsonBoolean.FALSE;
                    }
                }
                return BsonBoolean.TRUE;
            };
        });
        ops.put("$setIsSubset", (a, s) -> {
            List<Expression> args = Args.exactly("$setIsSubset", 2, a, s);
            return vars -> {
                Set<ValueKey> x = asSet("$setIsSubset", args.get(0).evaluate(vars), MongoErrorCode.LOCATION_17046);
                Set<ValueKey> y = asSet("$setIsSubset", args.get(1).evaluate(vars), MongoErrorCode.LOCATION_17042);
                return BsonBoolean.valueOf(y.containsAll(x));
            };
        });
    }

    private static Set<ValueKey> asSet(String op, BsonValue v, MongoErrorCode code) {
        if (v == null || !v.isArray()) {
            throw error(code, "All operands of " + op + " must be arrays. One argument is of type: " + Values.typeName(v));
        }
        Set<ValueKey> out = new LinkedHashSet<>();
        for (BsonValue e : v.asArray()) {
            out.add(new ValueKey(e));
        }
        return out;
    }

    private static BsonArray toArray(Set<ValueKey> set) {
        BsonArray out = new BsonArray(set.size());
        for (ValueKey k : set) {
            out.add(k.value());
        }
        return out;
    }
}
