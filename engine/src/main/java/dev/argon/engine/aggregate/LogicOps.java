package dev.argon.engine.aggregate;

import static dev.argon.engine.aggregate.Args.error;

import dev.argon.engine.MongoErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;

/** Comparison ($eq ... $cmp), boolean ($and $or $not) and conditional ($cond $ifNull $switch) operators. */
final class LogicOps {
    private LogicOps() {}

    static void register(Map<String, ExpressionParser.OperatorParser> ops) {
        comparison(ops, "$eq", c -> c == 0);
        comparison(ops, "$ne", c -> c != 0);
        comparison(ops, "$gt", c -> c > 0);
        comparison(ops, "$gte", c -> c >= 0);
        comparison(ops, "$lt", c -> c < 0);
        comparison(ops, "$lte", c -> c <= 0);
        ops.put("$cmp", (a, s) -> {
            List<Expression> args = Args.exactly("$cmp", 2, a, s);
            return vars -> new BsonInt32(Integer.signum(
                    Values.compare(args.get(0).evaluate(vars), args.get(1).evaluate(vars))));
        });
        ops.put("$and", (a, s) -> {
            List<Expression> args = Args.list(a, s);
            return vars -> {
                for (Expression e : args) {
                    if (!Values.isTruthy(e.evaluate(vars))) {
                        return BsonBoolean.FALSE;
                    }
                }
                return BsonBoolean.TRUE;
            };
        });
        ops.put("$or", (a, s) -> {
            List<Expression> args = Args.list(a, s);
            return vars -> {
                for (Expression e : args) {
                    if (Values.isTruthy(e.evaluate(vars))) {
                        return BsonBoolean.TRUE;
                    }
                }
                return BsonBoolean.FALSE;
            };
        });
        ops.put("$not", (a, s) -> {
            Expression arg = Args.exactly("$not", 1, a, s).get(0);
            return vars -> BsonBoolean.valueOf(!Values.isTruthy(arg.evaluate(vars)));
        });
        ops.put("$cond", LogicOps::cond);
        ops.put("$ifNull", (a, s) -> {
            List<Expression> args = Args.list(a, s);
            if (args.size() < 2) {
                throw error(MongoErrorCode.LOCATION_16020,
                        "Expression $ifNull takes at least 2 arguments. " + args.size() + " were passed in.");
            }
            return vars -> {
                for (int i = 0; i < args.size() - 1; i++) {
                    BsonValue v = args.get(i).evaluate(vars);
                    if (!Values.isNullish(v)) {
                        return v;
                    }
                }
                return args.get(args.size() - 1).evaluate(vars);
            };
        });
        ops.put("$switch", LogicOps::switchOp);
    }

    private static void comparison(Map<String, ExpressionParser.OperatorParser> ops, String name, IntPredicate test) {
        ops.put(name, (a, s) -> {
            List<Expression> args = Args.exactly(name, 2, a, s);
            Expression left = args.get(0);
            Expression right = args.get(1);
            return vars -> BsonBoolean.valueOf(test.test(Values.compare(left.evaluate(vars), right.evaluate(vars))));
        });
    }

    private static Expression cond(BsonValue a, Scope s) {
        Expression ifE;
        Expression thenE;
        Expression elseE;
        if (a.isDocument()) {
            BsonDocument d = a.asDocument();
            for (String k : d.keySet()) {
                if (!k.equals("if") && !k.equals("then") && !k.equals("else")) {
                    throw error(MongoErrorCode.LOCATION_17083, "Unrecognized parameter to $cond: " + k);
                }
            }
            if (!d.containsKey("if")) {
                throw error(MongoErrorCode.LOCATION_17080, "Missing 'if' parameter to $cond");
            }
            if (!d.containsKey("then")) {
                throw error(MongoErrorCode.LOCATION_17081, "Missing 'then' parameter to $cond");
            }
            if (!d.containsKey("else")) {
                throw error(MongoErrorCode.LOCATION_17082, "Missing 'else' parameter to $cond");
            }
            ifE = ExpressionParser.parse(d.get("if"), s);
            thenE = ExpressionParser.parse(d.get("then"), s);
            elseE = ExpressionParser.parse(d.get("else"), s);
        } else {
            List<Expression> args = Args.exactly("$cond", 3, a, s);
            ifE = args.get(0);
            thenE = args.get(1);
            elseE = args.get(2);
        }
        return vars -> Values.isTruthy(ifE.evaluate(vars)) ? thenE.evaluate(vars) : elseE.evaluate(vars);
    }

    private static Expression switchOp(BsonValue a, Scope s) {
        if (!a.isDocument()) {
            throw error(MongoErrorCode.LOCATION_40060, "$switch requires an object as an argument, found: "
                    + Values.typeName(a));
        }
        List<Expression> cases = new ArrayList<>();
        List<Expression> thens = new ArrayList<>();
        Expression deflt = null;
        for (Map.Entry<String, BsonValue> e : a.asDocument().entrySet()) {
            if (e.getKey().equals("branches")) {
                if (!e.getValue().isArray()) {
                    throw error(MongoErrorCode.LOCATION_40061, "$switch expected an array for 'branches', found: "
                            + Values.typeName(e.getValue()));
                }
                for (BsonValue b : e.getValue().asArray()) {
                    if (!b.isDocument()) {
                        throw error(MongoErrorCode.LOCATION_40062, "$switch expected each branch to be an object, found: "
                                + Values.typeName(b));
                    }
                    BsonDocument bd = b.asDocument();
                    for (String k : bd.keySet()) {
                        if (!k.equals("case") && !k.equals("then")) {
                            throw error(MongoErrorCode.LOCATION_40063, "$switch found an unknown argument to a branch: " + k);
                        }
                    }
                    if (!bd.containsKey("case")) {
                        throw error(MongoErrorCode.LOCATION_40064, "$switch requires each branch have a 'case' expression");
                    }
                    if (!bd.containsKey("then")) {
                        throw error(MongoErrorCode.LOCATION_40065, "$switch requires each branch have a 'then' expression.");
                    }
                    cases.add(ExpressionParser.parse(bd.get("case"), s));
                    thens.add(ExpressionParser.parse(bd.get("then"), s));
                }
            } else if (e.getKey().equals("default")) {
                deflt = ExpressionParser.parse(e.getValue(), s);
            } else {
                throw error(MongoErrorCode.LOCATION_40067, "$switch found an unknown argument: " + e.getKey());
            }
        }
        if (cases.isEmpty()) {
            throw error(MongoErrorCode.LOCATION_40068, "$switch requires at least one branch.");
        }
        Expression fallback = deflt;
        return vars -> {
            for (int i = 0; i < cases.size(); i++) {
                if (Values.isTruthy(cases.get(i).evaluate(vars))) {
                    return thens.get(i).evaluate(vars);
                }
            }
            if (fallback == null) {
                throw error(MongoErrorCode.LOCATION_40066,
                        "$switch could not find a matching branch for an input, and no default was specified.");
            }
            return fallback.evaluate(vars);
        };
    }
}
