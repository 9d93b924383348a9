package dev.argon.engine.aggregate;

import static dev.argon.engine.aggregate.Args.error;

import dev.argon.engine.MongoErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;

/** $mergeObjects $objectToArray $arrayToObject $getField $setField $unsetField and $let. */
final class ObjectOps {
    private ObjectOps() {}

    static void register(Map<String, ExpressionParser.OperatorParser> ops) {
        ops.put("$mergeObjects", (a, s) -> {
            List<Expression> args = Args.list(a, s);
            return vars -> {
                BsonDocument out = new BsonDocument();
                for (Expression e : args) {
                    mergeInto(out, e.evaluate(vars));
                }
                return out;
            };
        });
        ops.put("$objectToArray", (a, s) -> {
            Expression arg = Args.exactly("$objectToArray", 1, a, s).get(0);
            return vars -> {
                BsonValue v = arg.evaluate(vars);
                if (Values.isNullish(v)) {
                    return BsonNull.VALUE;
                }
                if (!v.isDocument()) {
                    throw error(MongoErrorCode.LOCATION_40390, "$objectToArray requires a document input, found: "
                            + Values.typeName(v));
                }
                BsonArray out = new BsonArray();
                for (Map.Entry<String, BsonValue> e : v.asDocument().entrySet()) {
                    BsonDocument kv = new BsonDocument("k", new BsonString(e.getKey()));
                    kv.put("v", e.getValue());
                    out.add(kv);
                }
                return out;
            };
        });
        ops.put("$arrayToObject", (a, s) -> {
            Expression arg = Args.exactly("$arrayToObject", 1, a, s).get(0);
            return vars -> arrayToObject(arg.evaluate(vars));
        });
        ops.put("$getField", ObjectOps::getField);
        ops.put("$setField", (a, s) -> setField("$setField", a, s, false));
        ops.put("$unsetField", (a, s) -> setField("$unsetField", a, s, true));
        ops.put("$let", ObjectOps::let);
    }

    /** Shared with the $mergeObjects accumulator: nullish inputs are skipped. */
    static void mergeInto(BsonDocument out, BsonValue v) {
        if (Values.isNullish(v)) {
            return;
        }
        if (!v.isDocument()) {
            throw error(MongoErrorCode.LOCATION_40400, "$mergeObjects requires object inputs, but input "
                    + BsonText.format(v) + " is of type " + Values.typeName(v));
        }
        for (Map.Entry<String, BsonValue> e : v.asDocument().entrySet()) {
            out.put(e.getKey(), e.getValue());
        }
    }

    private static BsonValue arrayToObject(BsonValue v) {
        if (Values.isNullish(v)) {
            return BsonNull.VALUE;
        }
        if (!v.isArray()) {
            throw error(MongoErrorCode.LOCATION_40386, "$arrayToObject requires an array input, found: " + Values.typeName(v));
        }
        BsonDocument out = new BsonDocument();
        BsonArray arr = v.asArray();
        if (arr.isEmpty()) {
            return out;
        }
        boolean pairs = arr.get(0).isArray();
        for (BsonValue e : arr) {
            BsonValue key;
            BsonValue value;
            if (pairs) {
                if (!e.isArray()) {
                    throw error(MongoErrorCode.LOCATION_40391, "$arrayToObject requires a consistent input format. "
                            + "Elements must all be arrays or all be objects. Array was detected, now found: " + Values.typeName(e));
                }
                if (e.asArray().size() != 2) {
                    throw error(MongoErrorCode.LOCATION_40397, "$arrayToObject requires an array of size 2 arrays,found array of size: "
                            + e.asArray().size());
                }
                key = e.asArray().get(0);
                value = e.asArray().get(1);
                if (!key.isString()) {
                    throw error(MongoErrorCode.LOCATION_40395, "$arrayToObject requires an array of key-value pairs, where "
                            + "the key must be of type string. Found key type: " + Values.typeName(key));
                }
            } else {
                if (!e.isDocument()) {
                    throw error(MongoErrorCode.LOCATION_40391, "$arrayToObject requires a consistent input format. "
                            + "Elements must all be arrays or all be objects. Object was detected, now found: " + Values.typeName(e));
                }
                BsonDocument kv = e.asDocument();
                if (kv.size() != 2) {
                    throw error(MongoErrorCode.LOCATION_40392, "$arrayToObject requires an object keys of 'k' and 'v'. "
                            + "Found incorrect number of keys:" + kv.size());
                }
                if (!kv.containsKey("k") || !kv.containsKey("v")) {
                    throw error(MongoErrorCode.LOCATION_40393, "$arrayToObject requires an object with keys 'k' and 'v'. "
                            + "Missing either or both keys from: " + BsonText.format(kv));
                }
                key = kv.get("k");
                value = kv.get("v");
                if (!key.isString()) {
                    throw error(MongoErrorCode.LOCATION_40394, "$arrayToObject requires an object with keys 'k' and 'v', "
                            + "where the value of 'k' must be of type string. Found type: " + Values.typeName(key));
                }
            }
            String k = key.asString().getValue();
            if (k.indexOf('\0') >= 0) {
                throw error(MongoErrorCode.BAD_VALUE, "Key field cannot contain an embedded null byte");
            }
            out.put(k, value);
        }
        return out;
    }

    private static Expression getField(BsonValue a, Scope s) {
        Expression field;
        Expression input;
        if (a.isDocument() && !ExpressionParser.isOperator(a)) {
            BsonDocument d = a.asDocument();
            for (String k : d.keySet()) {
                if (!k.equals("field") && !k.equals("input")) {
                    throw error(MongoErrorCode.FAILED_TO_PARSE, "$getField found an unknown argument: " + k);
                }
            }
            field = Args.required("$getField", d, "field", s, MongoErrorCode.FAILED_TO_PARSE);
            input = d.containsKey("input") ? ExpressionParser.parse(d.get("input"), s) : Variables::current;
        } else {
            field = ExpressionParser.parse(a, s);
            input = Variables::current;
        }
        return vars -> {
            BsonValue f = field.evaluate(vars);
            if (f == null || !f.isString()) {
                throw error(MongoErrorCode.TYPE_MISMATCH, "$getField requires 'field' to evaluate to type String, but got "
                        + Values.typeName(f));
            }
            BsonValue in = input.evaluate(vars);
            if (Values.isNullish(in)) {
                return in == null ? null : BsonNull.VALUE;
            }
            return in.isDocument() ? in.asDocument().get(f.asString().getValue()) : null;
        };
    }

    private static Expression setField(String op, BsonValue a, Scope s, boolean unset) {
        if (!a.isDocument()) {
            throw error(MongoErrorCode.FAILED_TO_PARSE, op + " only supports an object as its argument");
        }
        BsonDocument d = a.asDocument();
        for (String k : d.keySet()) {
            if (!k.equals("field") && !k.equals("input") && !(k.equals("value") && !unset)) {
                throw error(MongoErrorCode.FAILED_TO_PARSE, op + " found an unknown argument: " + k);
            }
        }
        BsonValue fieldSpec = d.get("field");
        // A constant string: plain, or wrapped in $literal (the only way to name a field that starts with '$').
        if (fieldSpec != null && fieldSpec.isDocument() && fieldSpec.asDocument().size() == 1
                && fieldSpec.asDocument().containsKey("$literal")) {
            fieldSpec = fieldSpec.asDocument().get("$literal");
        } else if (fieldSpec != null && fieldSpec.isString() && fieldSpec.asString().getValue().startsWith("$")) {
            throw error(MongoErrorCode.FAILED_TO_PARSE, op + " requires 'field' to evaluate to a constant, but got a non-constant argument");
        }
        if (fieldSpec == null || !fieldSpec.isString()) {
            throw error(MongoErrorCode.FAILED_TO_PARSE, op + " requires 'field' to evaluate to a constant, but got a non-constant argument");
        }
        String name = fieldSpec.asString().getValue();
        Expression input = Args.required(op, d, "input", s, MongoErrorCode.FAILED_TO_PARSE);
        Expression value = unset ? null : Args.required(op, d, "value", s, MongoErrorCode.FAILED_TO_PARSE);
        return vars -> {
            BsonValue in = input.evaluate(vars);
            if (Values.isNullish(in)) {
                return BsonNull.VALUE;
            }
            if (!in.isDocument()) {
                throw error(MongoErrorCode.TYPE_MISMATCH, op + " requires 'input' to evaluate to type Object");
            }
            BsonDocument out = FieldPaths.shallowCopy(in.asDocument());
            BsonValue v = value == null ? null : value.evaluate(vars);
            if (v == null) {
                out.remove(name);
            } else {
                out.put(name, v);
            }
            return out;
        };
    }

    private static Expression let(BsonValue a, Scope s) {
        if (!a.isDocument()) {
            throw error(MongoErrorCode.LOCATION_16874, "$let only supports an object as its argument");
        }
        BsonDocument d = a.asDocument();
        for (String k : d.keySet()) {
            if (!k.equals("vars") && !k.equals("in")) {
                throw error(MongoErrorCode.LOCATION_16875, "Unrecognized parameter to $let: " + k);
            }
        }
        if (!d.containsKey("vars")) {
            throw error(MongoErrorCode.LOCATION_16876, "Missing 'vars' parameter to $let");
        }
        if (!d.containsKey("in")) {
            throw error(MongoErrorCode.LOCATION_16877, "Missing 'in' parameter to $let");
        }
        if (!d.get("vars").isDocument()) {
            throw error(MongoErrorCode.FAILED_TO_PARSE, "invalid parameter: expected an object (vars)");
        }
        List<String> names = new ArrayList<>();
        List<Expression> values = new ArrayList<>();
        Scope inner = s;
        for (Map.Entry<String, BsonValue> e : d.getDocument("vars").entrySet()) {
            names.add(e.getKey());
            values.add(ExpressionParser.parse(e.getValue(), s));
            inner = inner.define(e.getKey());
        }
        Expression in = ExpressionParser.parse(d.get("in"), inner);
        return vars -> {
            Variables bound = vars;
            for (int i = 0; i < names.size(); i++) {
                bound = bound.bind(names.get(i), values.get(i).evaluate(vars));
            }
            return in.evaluate(bound);
        };
    }
}
