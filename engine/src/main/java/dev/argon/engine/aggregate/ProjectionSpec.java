package dev.argon.engine.aggregate;

import static dev.argon.engine.aggregate.Args.error;

import dev.argon.engine.MongoErrorCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The field tree behind $project, $addFields/$set and $unset. Leaves are inclusions (TRUE), exclusions
 * (FALSE) or computed {@link Expression}s. Application follows MongoDB: included fields keep the input's
 * order, computed fields are set afterwards in specification order, and array values are projected element
 * by element. Immutable and thread-safe.
 */
final class ProjectionSpec {
    private enum Mode { INCLUSION, EXCLUSION, ADD_FIELDS }

    /** One level of the tree; children values are Boolean, Expression or Node. */
    private static final class Node {
        final Map<String, Object> children = new LinkedHashMap<>();
        boolean hasComputed;
    }

    private final Mode mode;
    private final Node root;

    private ProjectionSpec(Mode mode, Node root) {
        this.mode = mode;
        this.root = root;
    }

    static ProjectionSpec project(BsonDocument spec, Scope scope) {
        if (spec.isEmpty()) {
            throw error(MongoErrorCode.LOCATION_51272,
                    "Invalid $project :: caused by :: projection specification must have at least one field");
        }
        Node root = new Node();
        Mode[] mode = {null};
        boolean[] idSpecified = {false};
        parseProject(spec, "", root, scope, mode, idSpecified);
        if (mode[0] == null) {
            // Only _id was mentioned: {_id: 0} is an exclusion, {_id: 1} or {_id: <expr>} an inclusion.
            Object id = root.children.get("_id");
            mode[0] = Boolean.FALSE.equals(id) ? Mode.EXCLUSION : Mode.INCLUSION;
        }
        if (mode[0] == Mode.INCLUSION) {
            if (!idSpecified[0]) {
                Node withId = new Node();
                withId.children.put("_id", Boolean.TRUE);
                withId.children.putAll(root.children);
                withId.hasComputed = root.hasComputed;
                root = withId;
            } else if (Boolean.FALSE.equals(root.children.get("_id"))) {
                root.children.remove("_id");
            }
        }
        return new ProjectionSpec(mode[0], root);
    }

    private static void parseProject(BsonDocument spec, String prefix, Node root, Scope scope, Mode[] mode,
            boolean[] idSpecified) {
        for (Map.Entry<String, BsonValue> e : spec.entrySet()) {
            String path = prefix + e.getKey();
            BsonValue v = e.getValue();
            if (prefix.isEmpty() && e.getKey().equals("_id")) {
                idSpecified[0] = true;
            }
            boolean isId = path.equals("_id");
            if (v.isBoolean() || v.isNumber()) {
                boolean include = Values.isTruthy(v);
                if (!isId) {
                    checkMode(mode, include ? Mode.INCLUSION : Mode.EXCLUSION, path);
                }
                insert(root, path, include);
            } else if (v.isDocument() && !ExpressionParser.isOperator(v)) {
                if (v.asDocument().isEmpty()) {
                    throw error(MongoErrorCode.LOCATION_51270, "Invalid $project :: caused by :: An empty sub-projection "
                            + "is not a valid value. Found empty object at path");
                }
                parseProject(v.asDocument(), path + ".", root, scope, mode, idSpecified);
            } else {
                if (v.isDocument() && v.asDocument().getFirstKey().equals("$meta")) {
                    throw error(MongoErrorCode.NOT_IMPLEMENTED, "$meta is not supported in $project");
                }
                checkMode(mode, Mode.INCLUSION, path);
                insert(root, path, ExpressionParser.parse(v, scope));
            }
        }
    }

    private static void checkMode(Mode[] mode, Mode wanted, String path) {
        if (mode[0] == null) {
            mode[0] = wanted;
        } else if (mode[0] != wanted) {
            if (wanted == Mode.EXCLUSION) {
                throw error(MongoErrorCode.LOCATION_31254, "Invalid $project :: caused by :: Cannot do exclusion on field "
                        + path + " in inclusion projection");
            }
            throw error(MongoErrorCode.LOCATION_31253, "Invalid $project :: caused by :: Cannot do inclusion on field "
                    + path + " in exclusion projection");
        }
    }

    static ProjectionSpec addFields(BsonDocument spec, Scope scope) {
        Node root = new Node();
        parseAddFields(spec, "", root, scope);
        return new ProjectionSpec(Mode.ADD_FIELDS, root);
    }

    private static void parseAddFields(BsonDocument spec, String prefix, Node root, Scope scope) {
        for (Map.Entry<String, BsonValue> e : spec.entrySet()) {
            String path = prefix + e.getKey();
            BsonValue v = e.getValue();
            if (v.isDocument() && !v.asDocument().isEmpty() && !ExpressionParser.isOperator(v)) {
                parseAddFields(v.asDocument(), path + ".", root, scope);
            } else {
                insert(root, path, ExpressionParser.parse(v, scope));
            }
        }
    }

    static ProjectionSpec unset(List<String> paths) {
        Node root = new Node();
        for (String p : paths) {
            insert(root, p, Boolean.FALSE);
        }
        return new ProjectionSpec(Mode.EXCLUSION, root);
    }

    private static void insert(Node root, String path, Object leaf) {
        String[] parts = FieldPaths.parse(path);
        Node node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            Object child = node.children.get(parts[i]);
            if (child == null) {
                Node n = new Node();
                node.children.put(parts[i], n);
                node = n;
            } else if (child instanceof Node) {
                node = (Node) child;
            } else {
                throw collision(path, i);
            }
            if (leaf instanceof Expression) {
                node.hasComputed = true;
            }
        }
        if (node.children.containsKey(parts[parts.length - 1])) {
            throw collision(path, parts.length - 1);
        }
        node.children.put(parts[parts.length - 1], leaf);
        if (leaf instanceof Expression) {
            root.hasComputed = true;
        }
    }

    private static RuntimeException collision(String path, int at) {
        String[] parts = path.split("\\.");
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i <= at; i++) {
            prefix.append(i == 0 ? "" : ".").append(parts[i]);
        }
        StringBuilder rest = new StringBuilder();
        for (int i = at + 1; i < parts.length; i++) {
            rest.append(i == at + 1 ? "" : ".").append(parts[i]);
        }
        return error(MongoErrorCode.LOCATION_31250, "Invalid $project :: caused by :: Path collision at " + path
                + (rest.length() == 0 ? "" : " remaining portion " + rest));
    }

    BsonDocument apply(BsonDocument doc, Variables vars) {
        switch (mode) {
            case INCLUSION: {
                BsonDocument out = include(root, doc);
                applyExpressions(root, out, vars);
                return out;
            }
            case EXCLUSION: return exclude(root, doc);
            default: {
                BsonDocument out = FieldPaths.shallowCopy(doc);
                applyExpressions(root, out, vars);
                return out;
            }
        }
    }

    private static BsonDocument include(Node node, BsonDocument in) {
        BsonDocument out = new BsonDocument();
        for (Map.Entry<String, BsonValue> e : in.entrySet()) {
            Object spec = node.children.get(e.getKey());
            if (spec == Boolean.TRUE) {
                out.put(e.getKey(), e.getValue());
            } else if (spec instanceof Node) {
                BsonValue r = includeValue((Node) spec, e.getValue());
                if (r != null) {
                    out.put(e.getKey(), r);
                }
            }
        }
        return out;
    }

    private static BsonValue includeValue(Node node, BsonValue v) {
        if (v.isDocument()) {
            return include(node, v.asDocument());
        }
        if (v.isArray()) {
            BsonArray out = new BsonArray();
            for (BsonValue e : v.asArray()) {
                BsonValue r = includeValue(node, e);
                if (r != null) {
                    out.add(r);
                }
            }
            return out;
        }
        return null;
    }

    private static void applyExpressions(Node node, BsonDocument out, Variables vars) {
        for (Map.Entry<String, Object> e : node.children.entrySet()) {
            Object spec = e.getValue();
            if (spec instanceof Expression) {
                BsonValue v = ((Expression) spec).evaluate(vars);
                if (v == null) {
                    out.remove(e.getKey());
                } else {
                    out.put(e.getKey(), v);
                }
            } else if (spec instanceof Node && ((Node) spec).hasComputed) {
                out.put(e.getKey(), expressionsToValue((Node) spec, out.get(e.getKey()), vars));
            }
        }
    }

    private static BsonValue expressionsToValue(Node node, BsonValue v, Variables vars) {
        if (v != null && v.isDocument()) {
            BsonDocument copy = FieldPaths.shallowCopy(v.asDocument());
            applyExpressions(node, copy, vars);
            return copy;
        }
        if (v != null && v.isArray()) {
            BsonArray out = new BsonArray(v.asArray().size());
            for (BsonValue e : v.asArray()) {
                out.add(expressionsToValue(node, e, vars));
            }
            return out;
        }
        BsonDocument fresh = new BsonDocument();
        applyExpressions(node, fresh, vars);
        return fresh;
    }

    private static BsonDocument exclude(Node node, BsonDocument in) {
        BsonDocument out = new BsonDocument();
        for (Map.Entry<String, BsonValue> e : in.entrySet()) {
            Object spec = node.children.get(e.getKey());
            if (spec == Boolean.FALSE) {
                continue;
            }
            out.put(e.getKey(), spec instanceof Node ? excludeValue((Node) spec, e.getValue()) : e.getValue());
        }
        return out;
    }

    private static BsonValue excludeValue(Node node, BsonValue v) {
        if (v.isDocument()) {
            return exclude(node, v.asDocument());
        }
        if (v.isArray()) {
            BsonArray out = new BsonArray(v.asArray().size());
            for (BsonValue e : v.asArray()) {
                out.add(excludeValue(node, e));
            }
            return out;
        }
        return v;
    }
}
