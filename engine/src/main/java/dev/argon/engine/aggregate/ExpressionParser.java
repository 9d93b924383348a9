package dev.argon.engine.aggregate;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonValue;

/**
 * Compiles expression specifications into {@link Expression} trees. Operators live in per-family classes
 * that register themselves in the operator table below. Stateless and thread-safe.
 */
final class ExpressionParser {
    /** Parses the argument of one operator. */
    @FunctionalInterface
    interface OperatorParser {
        Expression parse(BsonValue args, Scope scope);
    }

    private static final Map<String, OperatorParser> OPERATORS = new HashMap<>();

    static {
        ArithmeticOps.register(OPERATORS);
        LogicOps.register(OPERATORS);
        StringOps.register(OPERATORS);
        ArrayOps.register(OPERATORS);
        SetOps.register(OPERATORS);
        TypeOps.register(OPERATORS);
        DateOps.register(OPERATORS);
        ObjectOps.register(OPERATORS);
        OPERATORS.put("$literal", (args, scope) -> constant(args));
    }

    private ExpressionParser() {}

    static Expression parse(BsonValue spec, Scope scope) {
        if (spec.isString()) {
            String s = spec.asString().getValue();
            if (s.startsWith("$$")) {
                return variable(s.substring(2), scope);
            }
            if (s.startsWith("$")) {
                return fieldPath(s.substring(1));
            }
            return constant(spec);
        }
        if (spec.isDocument()) {
            BsonDocument doc = spec.asDocument();
            if (!doc.isEmpty() && doc.getFirstKey().startsWith("$")) {
                return operator(doc, scope);
            }
            return object(doc, scope);
        }
        if (spec.isArray()) {
            List<Expression> items = new ArrayList<>();
            boolean allConstant = true;
            for (BsonValue v : spec.asArray()) {
                Expression e = parse(v, scope);
                items.add(e);
                allConstant &= e instanceof Constant;
            }
            Expression array = vars -> {
                BsonArray out = new BsonArray(items.size());
                for (Expression e : items) {
                    BsonValue v = e.evaluate(vars);
                    out.add(v == null ? BsonNull.VALUE : v);
                }
                return out;
            };
            return allConstant ? constant(array.evaluate((Variables) null)) : array;
        }
        return constant(spec);
    }

    /** True when spec is an operator expression ({$op: ...}) rather than a literal or nested object. */
    static boolean isOperator(BsonValue spec) {
        return spec.isDocument() && !spec.asDocument().isEmpty() && spec.asDocument().getFirstKey().startsWith("$");
    }

    static Expression constant(BsonValue value) {
        return new Constant(value);
    }

    private static Expression operator(BsonDocument doc, Scope scope) {
        if (doc.size() != 1) {
            throw new ArgonException(MongoErrorCode.LOCATION_15983,
                    "an expression specification must contain exactly one field, the name of the expression. Found "
                            + doc.size() + " fields in " + BsonText.format(doc) + ", while parsing object "
                            + BsonText.format(doc));
        }
        String name = doc.getFirstKey();
        OperatorParser p = OPERATORS.get(name);
        if (p == null) {
            throw new ArgonException(MongoErrorCode.INVALID_PIPELINE_OPERATOR, "Unrecognized expression '" + name + "'");
        }
        return p.parse(doc.get(name), scope);
    }

    private static Expression object(BsonDocument doc, Scope scope) {
        List<String> names = new ArrayList<>(doc.size());
        List<Expression> values = new ArrayList<>(doc.size());
        for (Map.Entry<String, BsonValue> e : doc.entrySet()) {
            String name = e.getKey();
            FieldPaths.validateComponent(name);
            if (name.indexOf('.') >= 0) {
                throw new ArgonException(MongoErrorCode.LOCATION_16412, "FieldPath field names may not contain '.'.");
            }
            names.add(name);
            values.add(parse(e.getValue(), scope));
        }
        return vars -> {
            BsonDocument out = new BsonDocument();
            for (int i = 0; i < names.size(); i++) {
                BsonValue v = values.get(i).evaluate(vars);
                if (v != null) {
                    out.put(names.get(i), v);
                }
            }
            return out;
        };
    }

    static Expression fieldPath(String path) {
        if (path.isEmpty()) {
            throw new ArgonException(MongoErrorCode.LOCATION_16872, "'$' by itself is not a valid FieldPath");
        }
        String[] parts = FieldPaths.parse(path);
        if (parts.length == 1) {
            String name = parts[0];
            return vars -> {
                BsonValue cur = vars.current();
                return cur instanceof BsonDocument ? ((BsonDocument) cur).get(name) : null;
            };
        }
        return vars -> FieldPaths.get(vars.current(), parts, 0);
    }

    private static Expression variable(String ref, Scope scope) {
        int dot = ref.indexOf('.');
        String name = dot < 0 ? ref : ref.substring(0, dot);
        if (name.isEmpty()) {
            throw new ArgonException(MongoErrorCode.FAILED_TO_PARSE, "empty variable names are not allowed");
        }
        if (!scope.isDefined(name)) {
            throw new ArgonException(MongoErrorCode.LOCATION_17276, "Use of undefined variable: " + name);
        }
        String[] parts = dot < 0 ? new String[0] : FieldPaths.parse(ref.substring(dot + 1));
        if ("REMOVE".equals(name)) {
            return vars -> null;
        }
        if (parts.length == 0) {
            return vars -> vars.get(name);
        }
        return vars -> FieldPaths.get(vars.get(name), parts, 0);
    }

    /** A constant; kept as a class so that array literals and some operators can fold it. */
    static final class Constant implements Expression {
        final BsonValue value;

        Constant(BsonValue value) {
            this.value = value;
        }

        @Override
        public BsonValue evaluate(Variables vars) {
            return value;
        }
    }
}
