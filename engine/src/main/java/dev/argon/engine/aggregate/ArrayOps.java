package dev.argon.engine.aggregate;

import static dev.argon.engine.aggregate.Args.error;

import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.query.SortSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonValue;

/**
 * Array operators: $size $arrayElemAt $first $last $in $concatArrays $slice $filter $map $reduce $range
 * $isArray $reverseArray $indexOfArray $allElementsTrue $anyElementTrue $sortArray.
 */
final class ArrayOps {
    /** Guards $range against building arrays that would exhaust memory. */
    private static final long MAX_RANGE = 64L * 1024 * 1024;

    private ArrayOps() {}

    static void register(Map<String, ExpressionParser.OperatorParser> ops) {
        ops.put("$size", (a, s) -> {
            Expression arg = Args.exactly("$size", 1, a, s).get(0);
            return vars -> {
                BsonValue v = arg.evaluate(vars);
                if (v == null || !v.isArray()) {
                    throw error(MongoErrorCode.LOCATION_17124,
                            "The argument to $size must be an array. Type of the argument was: " + Values.typeName(v));
                }
                return new BsonInt32(v.asArray().size());
            };
        });
        ops.put("$arrayElemAt", (a, s) -> {
            List<Expression> args = Args.exactly("$arrayElemAt", 2, a, s);
            return vars -> elemAt("$arrayElemAt", args.get(0).evaluate(vars), args.get(1).evaluate(vars));
        });
        ops.put("$first", (a, s) -> firstLast("$first", Args.exactly("$first", 1, a, s).get(0), true));
        ops.put("$last", (a, s) -> firstLast("$last", Args.exactly("$last", 1, a, s).get(0), false));
        ops.put("$in", (a, s) -> {
            List<Expression> args = Args.exactly("$in", 2, a, s);
            return vars -> {
                BsonValue needle = args.get(0).evaluate(vars);
                BsonValue hay = args.get(1).evaluate(vars);
                if (hay == null || !hay.isArray()) {
                    throw error(MongoErrorCode.LOCATION_40081,
                            "$in requires an array as a second argument, found: " + Values.typeName(hay));
                }
                if (needle == null) {
                    return BsonBoolean.FALSE;
                }
                for (BsonValue e : hay.asArray()) {
                    if (Values.equal(needle, e)) {
                        return BsonBoolean.TRUE;
                    }
                }
                return BsonBoolean.FALSE;
            };
        });
        ops.put("$concatArrays", (a, s) -> {
            List<Expression> args = Args.list(a, s);
            return vars -> {
                BsonArray out = new BsonArray();
                for (Expression e : args) {
                    BsonValue v = e.evaluate(vars);
                    if (Values.isNullish(v)) {
                        return BsonNull.VALUE;
                    }
                    if (!v.isArray()) {
                        throw error(MongoErrorCode.LOCATION_28664,
                                "$concatArrays only supports arrays, not " + Values.typeName(v));
                    }
                    out.addAll(v.asArray());
                }
                return out;
            };
        });
        ops.put("$slice", (a, s) -> slice(Args.between("$slice", 2, 3, a, s)));
        ops.put("$filter", ArrayOps::filter);
        ops.put("$map", ArrayOps::map);
        ops.put("$reduce", ArrayOps::reduce);
        ops.put("$range", (a, s) -> range(Args.between("$range", 2, 3, a, s)));
        ops.put("$isArray", (a, s) -> {
            Expression arg = Args.exactly("$isArray", 1, a, s).get(0);
            return vars -> {
                BsonValue v = arg.evaluate(vars);
                return BsonBoolean.valueOf(v != null && v.isArray());
            };
        });
        ops.put("$reverseArray", (a, s) -> {
            Expression arg = Args.exactly("$reverseArray", 1, a, s).get(0);
            return vars -> {
                BsonValue v = arg.evaluate(vars);
                if (Values.isNullish(v)) {
                    return BsonNull.VALUE;
                }
                if (!v.isArray()) {
                    throw error(MongoErrorCode.LOCATION_34435,
                            "The argument to $reverseArray must be an array, but was of type: " + Values.typeName(v));
                }
                BsonArray in = v.asArray();
                BsonArray out = new BsonArray(in.size());
                for (int i = in.size() - 1; i >= 0; i--) {
                    out.add(in.get(i));
                }
                return out;
            };
        });
        ops.put("$indexOfArray", (a, s) -> indexOfArray(Args.between("$indexOfArray", 2, 4, a, s)));
        ops.put("$allElementsTrue", (a, s) -> allAny("$allElementsTrue", Args.exactly("$allElementsTrue", 1, a, s).get(0), true));
        ops.put("$anyElementTrue", (a, s) -> allAny("$anyElementTrue", Args.exactly("$anyElementTrue", 1, a, s).get(0), false));
        ops.put("$sortArray", ArrayOps::sortArray);
    }

    static BsonValue elemAt(String op, BsonValue arr, BsonValue idx) {
        if (Values.isNullish(arr) || Values.isNullish(idx)) {
            return BsonNull.VALUE;
        }
        if (!arr.isArray()) {
            throw error(MongoErrorCode.LOCATION_28689, op + "'s first argument must be an array, but is "
                    + Values.typeName(arr));
        }
        if (!idx.isNumber()) {
            throw error(MongoErrorCode.LOCATION_28690, op + "'s second argument must be a numeric value, but is "
                    + Values.typeName(idx));
        }
        Integer i = Values.exactInt(idx);
        if (i == null) {
            throw error(MongoErrorCode.LOCATION_28691, op + "'s second argument must be representable as a 32-bit integer: "
                    + BsonText.format(idx));
        }
        BsonArray a = arr.asArray();
        int at = i < 0 ? a.size() + i : i;
        return at < 0 || at >= a.size() ? null : a.get(at);
    }

    private static Expression firstLast(String op, Expression arg, boolean first) {
        return vars -> {
            BsonValue v = arg.evaluate(vars);
            if (Values.isNullish(v)) {
                return BsonNull.VALUE;
            }
            if (!v.isArray()) {
                throw error(MongoErrorCode.LOCATION_28689, op + "'s argument must be an array, but is " + Values.typeName(v));
            }
            BsonArray a = v.asArray();
            return a.isEmpty() ? null : a.get(first ? 0 : a.size() - 1);
        };
    }

    private static Expression slice(List<Expression> args) {
        return vars -> {
            BsonValue arr = args.get(0).evaluate(vars);
            BsonValue second = args.get(1).evaluate(vars);
            BsonValue third = args.size() > 2 ? args.get(2).evaluate(vars) : null;
            if (Values.isNullish(arr) || Values.isNullish(second) || (args.size() > 2 && Values.isNullish(third))) {
                return BsonNull.VALUE;
            }
            if (!arr.isArray()) {
                throw error(MongoErrorCode.LOCATION_28724, "First argument to $slice must be an array, but is of type: "
                        + Values.typeName(arr));
            }
            Integer n2 = Values.exactInt(second);
            if (n2 == null) {
                throw error(MongoErrorCode.LOCATION_28725, "Second argument to $slice must be a numeric value, but was of type: "
                        + Values.typeName(second));
            }
            List<BsonValue> a = arr.asArray().getValues();
            int size = a.size();
            int from;
            int to;
            if (args.size() == 2) {
                if (n2 >= 0) {
                    from = 0;
                    to = Math.min(size, n2);
                } else {
                    from = Math.max(0, size + n2);
                    to = size;
                }
            } else {
                Integer n3 = Values.exactInt(third);
                if (n3 == null) {
                    throw error(MongoErrorCode.LOCATION_28727, "Third argument to $slice must be numeric, but was of type: "
                            + Values.typeName(third));
                }
                if (n3 <= 0) {
                    throw error(MongoErrorCode.LOCATION_28729, "Third argument to $slice must be positive: "
                            + BsonText.format(third));
                }
                from = n2 >= 0 ? Math.min(size, n2) : Math.max(0, size + n2);
                to = (int) Math.min(size, (long) from + n3);
            }
            BsonArray out = new BsonArray(to - from);
            out.addAll(a.subList(from, to));
            return out;
        };
    }

    private static final Set<String> FILTER_ARGS = Set.of("input", "as", "cond", "limit");
    private static final Set<String> MAP_ARGS = Set.of("input", "as", "in");
    private static final Set<String> REDUCE_ARGS = Set.of("input", "initialValue", "in");

    private static String asName(BsonDocument d, String defaultName) {
        BsonValue as = d.get("as");
        if (as == null) {
            return defaultName;
        }
        if (!as.isString()) {
            throw error(MongoErrorCode.FAILED_TO_PARSE, "'as' must be a string, found: " + Values.typeName(as));
        }
        return as.asString().getValue();
    }

    private static BsonDocument namedArgs(String op, BsonValue a, Set<String> allowed, MongoErrorCode notObject,
            MongoErrorCode unknown) {
        if (!a.isDocument()) {
            throw error(notObject, op + " only supports an object as its argument");
        }
        BsonDocument d = a.asDocument();
        for (String k : d.keySet()) {
            if (!allowed.contains(k)) {
                throw error(unknown, "Unrecognized parameter to " + op + ": " + k);
            }
        }
        return d;
    }

    private static Expression filter(BsonValue a, Scope s) {
        BsonDocument d = namedArgs("$filter", a, FILTER_ARGS, MongoErrorCode.LOCATION_28646, MongoErrorCode.LOCATION_28647);
        Expression input = Args.required("$filter", d, "input", s, MongoErrorCode.LOCATION_28648);
        String as = asName(d, "this");
        Scope inner = s.define(as);
        Expression cond = Args.required("$filter", d, "cond", inner, MongoErrorCode.LOCATION_28650);
        Expression limit = Args.optional(d, "limit", s);
        return vars -> {
            BsonValue in = input.evaluate(vars);
            if (Values.isNullish(in)) {
                return BsonNull.VALUE;
            }
            if (!in.isArray()) {
                throw error(MongoErrorCode.LOCATION_28651, "input to $filter must be an array not " + Values.typeName(in));
            }
            long max = Long.MAX_VALUE;
            if (limit != null) {
                BsonValue lv = limit.evaluate(vars);
                if (!Values.isNullish(lv)) {
                    Integer l = Values.exactInt(lv);
                    if (l == null || l < 1) {
                        throw error(MongoErrorCode.BAD_VALUE, "$filter: limit must be greater than 0: "
                                + BsonText.format(lv));
                    }
                    max = l;
                }
            }
            BsonArray out = new BsonArray();
            for (BsonValue e : in.asArray()) {
                if (out.size() >= max) {
                    break;
                }
                if (Values.isTruthy(cond.evaluate(vars.bind(as, e)))) {
                    out.add(e);
                }
            }
            return out;
        };
    }

    private static Expression map(BsonValue a, Scope s) {
        BsonDocument d = namedArgs("$map", a, MAP_ARGS, MongoErrorCode.LOCATION_16878, MongoErrorCode.LOCATION_16879);
        Expression input = Args.required("$map", d, "input", s, MongoErrorCode.LOCATION_16880);
        String as = asName(d, "this");
        Scope inner = s.define(as);
        Expression in = Args.required("$map", d, "in", inner, MongoErrorCode.LOCATION_16882);
        return vars -> {
            BsonValue arr = input.evaluate(vars);
            if (Values.isNullish(arr)) {
                return BsonNull.VALUE;
            }
            if (!arr.isArray()) {
                throw error(MongoErrorCode.LOCATION_16883, "input to $map must be an array not " + Values.typeName(arr));
            }
            BsonArray out = new BsonArray(arr.asArray().size());
            for (BsonValue e : arr.asArray()) {
                BsonValue r = in.evaluate(vars.bind(as, e));
                out.add(r == null ? BsonNull.VALUE : r);
            }
            return out;
        };
    }

    private static Expression reduce(BsonValue a, Scope s) {
        if (!a.isDocument()) {
            throw error(MongoErrorCode.LOCATION_40075, "$reduce only supports an object as its argument, found: "
                    + Values.typeName(a));
        }
        BsonDocument d = a.asDocument();
        for (String k : d.keySet()) {
            if (!REDUCE_ARGS.contains(k)) {
                throw error(MongoErrorCode.LOCATION_40076, "$reduce found an unknown argument: " + k);
            }
        }
        Expression input = Args.required("$reduce", d, "input", s, MongoErrorCode.LOCATION_40077);
        Expression initial = Args.required("$reduce", d, "initialValue", s, MongoErrorCode.LOCATION_40078);
        Scope inner = s.define("value").define("this");
        Expression in = Args.required("$reduce", d, "in", inner, MongoErrorCode.LOCATION_40079);
        return vars -> {
            BsonValue arr = input.evaluate(vars);
            if (Values.isNullish(arr)) {
                return BsonNull.VALUE;
            }
            if (!arr.isArray()) {
                throw error(MongoErrorCode.LOCATION_40080, "$reduce requires that 'input' be an array, found: "
                        + BsonText.format(arr));
            }
            BsonValue acc = initial.evaluate(vars);
            for (BsonValue e : arr.asArray()) {
                acc = in.evaluate(vars.bind("value", acc).bind("this", e));
            }
            return acc;
        };
    }

    private static int rangeArg(BsonValue v, String what, MongoErrorCode notNumber, MongoErrorCode notInt) {
        if (!Values.isNumber(v)) {
            throw error(notNumber, "$range requires a numeric " + what + ", found value of type: " + Values.typeName(v));
        }
        Integer i = Values.exactInt(v);
        if (i == null) {
            throw error(notInt, "$range requires a " + what + " that can be represented as a 32-bit integer, found value: "
                    + BsonText.format(v));
        }
        return i;
    }

    private static Expression range(List<Expression> args) {
        return vars -> {
            int start = rangeArg(args.get(0).evaluate(vars), "starting value", MongoErrorCode.LOCATION_34443,
                    MongoErrorCode.LOCATION_34444);
            int end = rangeArg(args.get(1).evaluate(vars), "ending value", MongoErrorCode.LOCATION_34445,
                    MongoErrorCode.LOCATION_34446);
            int step = 1;
            if (args.size() > 2) {
                step = rangeArg(args.get(2).evaluate(vars), "step value", MongoErrorCode.LOCATION_34447,
                        MongoErrorCode.LOCATION_34448);
                if (step == 0) {
                    throw error(MongoErrorCode.LOCATION_34449, "$range requires a non-zero step value");
                }
            }
            long count = step > 0 ? Math.max(0, ((long) end - start + step - 1) / step)
                    : Math.max(0, ((long) start - end - step - 1) / -step);
            if (count > MAX_RANGE) {
                throw error(MongoErrorCode.EXCEEDED_MEMORY_LIMIT, "$range would use too much memory (" + count
                        + " elements) and cannot spill to disk");
            }
            BsonArray out = new BsonArray((int) count);
            long v = start;
            for (long i = 0; i < count; i++, v += step) {
                out.add(new BsonInt32((int) v));
            }
            return out;
        };
    }

    private static Expression indexOfArray(List<Expression> args) {
        return vars -> {
            BsonValue arr = args.get(0).evaluate(vars);
            if (Values.isNullish(arr)) {
                return BsonNull.VALUE;
            }
            if (!arr.isArray()) {
                throw error(MongoErrorCode.LOCATION_40090, "$indexOfArray requires an array as a first argument, found: "
                        + Values.typeName(arr));
            }
            BsonValue needle = args.get(1).evaluate(vars);
            List<BsonValue> a = arr.asArray().getValues();
            int start = 0;
            int end = a.size();
            if (args.size() > 2) {
                start = indexBound(args.get(2).evaluate(vars), "starting index");
            }
            if (args.size() > 3) {
                end = Math.min(end, indexBound(args.get(3).evaluate(vars), "ending index"));
            }
            for (int i = start; i < end; i++) {
                if (Values.equal(a.get(i), needle)) {
                    return new BsonInt32(i);
                }
            }
            return new BsonInt32(-1);
        };
    }

    private static int indexBound(BsonValue v, String what) {
        Integer i = Values.exactInt(v);
        if (i == null) {
            throw error(MongoErrorCode.LOCATION_40096, "$indexOfArray requires an integral " + what
                    + ", found a value of type: " + Values.typeName(v) + ", with value: " + BsonText.format(v));
        }
        if (i < 0) {
            throw error(MongoErrorCode.LOCATION_40097, "$indexOfArray requires a nonnegative " + what + ", found: " + i);
        }
        return i;
    }

    private static Expression allAny(String op, Expression arg, boolean all) {
        return vars -> {
            BsonValue v = arg.evaluate(vars);
            if (v == null || !v.isArray()) {
                throw error(MongoErrorCode.LOCATION_17040, op + "'s argument must be an array, but is "
                        + Values.typeName(v));
            }
            for (BsonValue e : v.asArray()) {
                boolean t = Values.isTruthy(e);
                if (all && !t) {
                    return BsonBoolean.FALSE;
                }
                if (!all && t) {
                    return BsonBoolean.TRUE;
                }
            }
            return BsonBoolean.valueOf(all);
        };
    }

    private static Expression sortArray(BsonValue a, Scope s) {
        BsonDocument d = namedArgs("$sortArray", a, Set.of("input", "sortBy"), MongoErrorCode.FAILED_TO_PARSE,
                MongoErrorCode.FAILED_TO_PARSE);
        Expression input = Args.required("$sortArray", d, "input", s, MongoErrorCode.FAILED_TO_PARSE);
        BsonValue sortBy = d.get("sortBy");
        if (sortBy == null) {
            throw error(MongoErrorCode.FAILED_TO_PARSE, "$sortArray requires 'sortBy' to be specified");
        }
        Comparator<BsonValue> cmp;
        if (sortBy.isNumber() && (Values.exactInt(sortBy) != null) && Math.abs(Values.exactInt(sortBy)) == 1) {
            int dir = Values.exactInt(sortBy);
            cmp = (x, y) -> dir * Values.compare(x, y);
        } else if (sortBy.isDocument()) {
            Comparator<BsonDocument> docs = SortSpec.compile(sortBy.asDocument()).comparator();
            BsonDocument empty = new BsonDocument();
            cmp = (x, y) -> docs.compare(x.isDocument() ? x.asDocument() : empty, y.isDocument() ? y.asDocument() : empty);
        } else {
            throw error(MongoErrorCode.FAILED_TO_PARSE, "$sortArray sortBy must be either 1, -1, or a sort specification");
        }
        Comparator<BsonValue> order = cmp;
        return vars -> {
            BsonValue in = input.evaluate(vars);
            if (Values.isNullish(in)) {
                return BsonNull.VALUE;
            }
            if (!in.isArray()) {
                throw error(MongoErrorCode.TYPE_MISMATCH, "The input argument to $sortArray must be an array, but was of type: "
                        + Values.typeName(in));
            }
            List<BsonValue> items = new ArrayList<>(in.asArray().getValues());
            items.sort(order);
            BsonArray out = new BsonArray(items.size());
            out.addAll(items);
            return out;
        };
    }
}
