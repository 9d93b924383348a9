package dev.argon.engine.query;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonValue;

/**
 * The small subset of aggregation expressions a find projection can compute without the aggregation engine:
 * literals, {@code "$field.path"}, {@code "$$ROOT"}/{@code "$$CURRENT"} (optionally with a path),
 * {@code "$$REMOVE"}, {@code {$literal: v}}, and arrays and documents built from those. Any other operator
 * throws NotImplemented. Immutable.
 */
abstract class ProjectionExpression {
    /** The value, or null when it evaluates to "missing" (the field is then left out). */
    abstract BsonValue evaluate(BsonDocument root);

    static ProjectionExpression parse(BsonValue operand) {
        if (operand.isString()) {
            String s = operand.asString().getValue();
            if (s.startsWith("$$")) {
                return variable(s);
            }
            if (s.startsWith("$")) {
                return fieldPath(s.substring(1), s);
            }
            return literal(operand);
        }
        if (operand.isArray()) {
            List<ProjectionExpression> elements = new ArrayList<>();
            for (BsonValue v : operand.asArray()) {
                elements.add(parse(v));
            }
            return new ArrayExpression(elements);
        }
        if (operand.isDocument()) {
            BsonDocument doc = operand.asDocument();
            if (!doc.isEmpty() && doc.getFirstKey().startsWith("$")) {
                return operator(doc);
            }
            Map<String, ProjectionExpression> fields = new LinkedHashMap<>();
            for (Map.Entry<String, BsonValue> e : doc.entrySet()) {
                ProjectionParser.validateFieldName(e.getKey());
                fields.put(e.getKey(), parse(e.getValue()));
            }
            return new ObjectExpression(fields);
        }
        return literal(operand);
    }

    /** A single-operator document such as {@code {$literal: 1}}. */
    static ProjectionExpression operator(BsonDocument doc) {
        String op = doc.getFirstKey();
        if (op.equals("$literal") && doc.size() == 1) {
            return literal(doc.get(op));
        }
        if (op.equals("$meta")) {
            throw Args.notImplemented("$meta is not supported");
        }
        throw Args.notImplemented("projection expression " + op + " is not supported; only field paths and "
                + "$literal can be computed in a find projection");
    }

    static ProjectionExpression literal(BsonValue value) {
        return new ProjectionExpression() {
            @Override
            BsonValue evaluate(BsonDocument root) {
                return value;
            }
        };
    }

    private static ProjectionExpression variable(String s) {
        int dot = s.indexOf('.');
        String name = dot < 0 ? s.substring(2) : s.substring(2, dot);
        switch (name) {
            case "ROOT":
            case "CURRENT":
                if (dot < 0) {
                    return new ProjectionExpression() {
                        @Override
                        BsonValue evaluate(BsonDocument root) {
                            return root;
                        }
                    };
                }
                return fieldPath(s.substring(dot + 1), s);
            case "REMOVE":
                return new ProjectionExpression() {
                    @Override
                    BsonValue evaluate(BsonDocument root) {
                        return null;
                    }
                };
            default:
                throw Args.notImplemented("variable $$" + name + " is not supported in a find projection");
        }
    }

    private static ProjectionExpression fieldPath(String dotted, String original) {
        if (dotted.isEmpty()) {
            throw Args.badValue("'$' by itself is not a valid FieldPath");
        }
        ProjectionParser.validateFieldPath(dotted);
        DocPath path = DocPath.of(dotted);
        return new ProjectionExpression() {
            @Override
            BsonValue evaluate(BsonDocument root) {
                return path.fieldPathValue(root);
            }
        };
    }

    private static final class ArrayExpression extends ProjectionExpression {
        private final List<ProjectionExpression> elements;

        ArrayExpression(List<ProjectionExpression> elements) {
            this.elements = elements;
        }

        @Override
        BsonValue evaluate(BsonDocument root) {
            BsonArray out = new BsonArray();
            for (ProjectionExpression e : elements) {
                BsonValue v = e.evaluate(root);
                // A missing value inside an array literal becomes null, as in aggregation.
                out.add(v == null ? BsonNull.VALUE : v);
            }
            return out;
        }
    }

    private static final class ObjectExpression extends ProjectionExpression {
        private final Map<String, ProjectionExpression> fields;

        ObjectExpression(Map<String, ProjectionExpression> fields) {
            this.fields = fields;
        }

        @Override
        BsonValue evaluate(BsonDocument root) {
            BsonDocument out = new BsonDocument();
            for (Map.Entry<String, ProjectionExpression> e : fields.entrySet()) {
                BsonValue v = e.getValue().evaluate(root);
                if (v != null) {
                    out.put(e.getKey(), v);
                }
            }
            return out;
        }
    }
}
