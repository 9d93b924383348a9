package dev.argon.engine.query;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.query.ProjectionNode.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Parses a find projection into a {@link ProjectionNode} tree with mongod's rules (its projection_ast parser):
 * the first inclusion or exclusion decides the kind and a conflicting one is an error, {@code _id} may go
 * either way, literals and expressions are inclusions, $slice and $elemMatch only decide the kind when nothing
 * else does, and overlapping paths collide.
 */
final class ProjectionParser {
    /** The result of parsing. */
    record Parsed(ProjectionNode root, boolean inclusion, List<String[]> slicePaths, String[] positionalPath) {}

    private final ProjectionNode root = ProjectionNode.path();
    private final List<String[]> slicePaths = new ArrayList<>();
    private String[] positionalPath;
    private Boolean inclusion;
    private boolean idSpecified;
    private boolean idIncludedEntirely;
    private boolean idExcludedEntirely;
    private boolean hasElemMatch;
    private boolean hasFindSlice;

    private ProjectionParser() {}

    static Parsed parse(BsonDocument spec) {
        ProjectionParser p = new ProjectionParser();
        for (Map.Entry<String, BsonValue> e : spec.entrySet()) {
            String name = e.getKey();
            p.idSpecified |= name.equals("_id") || name.startsWith("_id.");
            p.parseElement(name, e.getValue(), new String[0], p.root);
        }
        return p.finish();
    }

    private Parsed finish() {
        if (inclusion == null) {
            if (hasFindSlice) {
                inclusion = idIncludedEntirely;
            } else if (hasElemMatch) {
                inclusion = true;
            } else {
                inclusion = idIncludedEntirely;
            }
        }
        if (!idSpecified && inclusion) {
            root.children.put("_id", ProjectionNode.of(Kind.INCLUDE));
        }
        if (!inclusion && idIncludedEntirely) {
            // {_id: 1, a: 0}: legal, and _id is kept by an exclusion anyway.
            root.children.remove("_id");
        }
        return new Parsed(root, inclusion, slicePaths, positionalPath);
    }

    private void parseElement(String name, BsonValue value, String[] parentPath, ProjectionNode parent) {
        int[] positional = firstPositional(name);
        if (value.isDocument()) {
            if (positional != null) {
                throw error(MongoErrorCode.BAD_VALUE,
                        "positional projection cannot be used with an expression or sub object");
            }
            parseSubObject(name, value.asDocument(), parentPath, parent);
        } else if (value.isBoolean() || value.isNumber() || value.isDecimal128()) {
            if (Args.truthy(value)) {
                parseInclusion(name, parentPath, parent, positional);
            } else {
                parseExclusion(name, parentPath, parent);
            }
        } else {
            if (positional != null) {
                throw error(MongoErrorCode.BAD_VALUE, "positional projection cannot be used with a literal");
            }
            addNode(parent, parentPath, validateFieldPath(name), ProjectionNode.expression(
                    ProjectionExpression.parse(value)));
            if (Boolean.FALSE.equals(inclusion)) {
                throw error(MongoErrorCode.LOCATION_31310, "Cannot use an expression " + Args.element(name, value)
                        + " in an exclusion projection");
            }
            inclusion = true;
        }
    }

    private void parseSubObject(String name, BsonDocument obj, String[] parentPath, ProjectionNode parent) {
        String[] path = validateFieldPath(name);
        if (obj.isEmpty()) {
            throw error(MongoErrorCode.LOCATION_51270, "An empty sub-projection is not a valid value. Found empty "
                    + "object at path " + String.join(".", concat(parentPath, path)));
        }
        if (obj.size() == 1 && obj.getFirstKey().startsWith("$")) {
            parseOperator(path, obj, parentPath, parent);
            return;
        }
        // A nested projection {a: {b: 1}} is {"a.b": 1}.
        ProjectionNode node = parent;
        for (int i = 0; i < path.length; i++) {
            ProjectionNode child = node.children.get(path[i]);
            if (child == null) {
                child = ProjectionNode.path();
                node.children.put(path[i], child);
            } else if (child.kind != Kind.PATH) {
                throw error(MongoErrorCode.LOCATION_31250, "Path collision at " + name);
            }
            node = child;
        }
        String[] fullPath = concat(parentPath, path);
        for (Map.Entry<String, BsonValue> e : obj.entrySet()) {
            parseElement(e.getKey(), e.getValue(), fullPath, node);
        }
    }

    private void parseOperator(String[] path, BsonDocument obj, String[] parentPath, ProjectionNode parent) {
        String op = obj.getFirstKey();
        BsonValue arg = obj.get(op);
        switch (op) {
            case "$slice":
                addNode(parent, parentPath, path, parseSlice(arg));
                slicePaths.add(concat(parentPath, path));
                hasFindSlice = true;
                return;
            case "$elemMatch":
                if (!arg.isDocument()) {
                    throw error(MongoErrorCode.LOCATION_31274,
                            "elemMatch: Invalid argument, object required, but got " + Args.json(arg));
                }
                if (positionalPath != null) {
                    throw error(MongoErrorCode.LOCATION_31255, "Cannot specify positional operator and $elemMatch.");
                }
                if (path.length != 1 || parent != root) {
                    throw error(MongoErrorCode.LOCATION_31275, "Cannot use $elemMatch projection on a nested field.");
                }
                Matcher matcher = Matcher.compile(new BsonDocument(path[0], new BsonDocument("$elemMatch", arg)));
                addNode(parent, parentPath, path, ProjectionNode.elemMatch(matcher));
                hasElemMatch = true;
                return;
            default:
                boolean meta = op.equals("$meta");
                if (Boolean.FALSE.equals(inclusion) && !meta) {
                    throw error(MongoErrorCode.LOCATION_31252,
                            "Cannot use expression other than $meta in exclusion projection");
                }
                ProjectionExpression expression = ProjectionExpression.operator(obj);
                addNode(parent, parentPath, path, ProjectionNode.expression(expression));
                inclusion = true;
        }
    }

    private static ProjectionNode parseSlice(BsonValue arg) {
        if (arg.isNumber() || arg.isDecimal128()) {
            return ProjectionNode.slice(null, intValue(arg));
        }
        if (arg.isArray()) {
            List<BsonValue> values = arg.asArray().getValues();
            if (values.size() != 2) {
                throw error(MongoErrorCode.BAD_VALUE, "$slice array argument should be of form [skip, limit]");
            }
            BsonValue skip = values.get(0);
            BsonValue limit = values.get(1);
            if (!skip.isNumber() && !skip.isDecimal128()) {
                throw error(MongoErrorCode.BAD_VALUE,
                        "$slice expects the skip argument to be a number, got " + skip.getBsonType());
            }
            if (!limit.isNumber() && !limit.isDecimal128()) {
                throw error(MongoErrorCode.BAD_VALUE,
                        "$slice expects the limit argument to be a number, got " + limit.getBsonType());
            }
            if (intValue(limit) <= 0) {
                throw error(MongoErrorCode.BAD_VALUE, "$slice limit must be positive, got " + intValue(limit));
            }
            return ProjectionNode.slice(intValue(skip), intValue(limit));
        }
        throw error(MongoErrorCode.LOCATION_31273, "$slice only supports numbers and [skip, limit] arrays");
    }

    /** mongod's numberInt(): doubles truncate and saturate. */
    private static int intValue(BsonValue v) {
        double d = v.isDecimal128() ? v.asDecimal128().getValue().doubleValue() : v.asNumber().doubleValue();
        if (v.isInt32()) {
            return v.asInt32().getValue();
        }
        if (v.isInt64()) {
            return (int) v.asInt64().getValue();
        }
        return Double.isNaN(d) ? 0 : (int) d;
    }

    private void parseInclusion(String name, String[] parentPath, ProjectionNode parent, int[] positional) {
        boolean topLevelId = name.equals("_id") && parent == root;
        if (positional == null) {
            addNode(parent, parentPath, validateFieldPath(name), ProjectionNode.of(Kind.INCLUDE));
            if (topLevelId) {
                idIncludedEntirely = true;
            }
        } else {
            if (positionalPath != null) {
                throw error(MongoErrorCode.LOCATION_31276,
                        "Cannot specify more than one positional projection per query.");
            }
            if (hasElemMatch) {
                throw error(MongoErrorCode.LOCATION_31256, "Cannot specify positional operator and $elemMatch.");
            }
            if (name.endsWith(".$.")) {
                throw error(MongoErrorCode.BAD_VALUE, "Path cannot end with '.$.'");
            }
            String rest = name.substring(positional[1]);
            if (firstPositional(rest) != null || rest.equals("$")) {
                throw error(MongoErrorCode.BAD_VALUE, "Cannot use positional operator twice: " + name);
            }
            String[] path = validateFieldPath(name.substring(0, positional[0]));
            addNode(parent, parentPath, path, ProjectionNode.of(Kind.POSITIONAL));
            positionalPath = concat(parentPath, path);
        }
        if (!topLevelId) {
            if (Boolean.FALSE.equals(inclusion)) {
                throw error(MongoErrorCode.LOCATION_31253,
                        "Cannot do inclusion on field " + name + " in exclusion projection");
            }
            inclusion = true;
        }
    }

    private void parseExclusion(String name, String[] parentPath, ProjectionNode parent) {
        addNode(parent, parentPath, validateFieldPath(name), ProjectionNode.of(Kind.EXCLUDE));
        if (name.equals("_id") && parent == root) {
            idExcludedEntirely = true;
            return;
        }
        if (Boolean.TRUE.equals(inclusion)) {
            throw error(MongoErrorCode.LOCATION_31254,
                    "Cannot do exclusion on field " + name + " in inclusion projection");
        }
        inclusion = false;
    }

    /** mongod's addNodeAtPath, with its two path-collision errors. */
    private static void addNode(ProjectionNode parent, String[] parentPath, String[] path, ProjectionNode node) {
        String full = String.join(".", concat(parentPath, path));
        ProjectionNode current = parent;
        for (int i = 0; i < path.length; i++) {
            ProjectionNode child = current.children.get(path[i]);
            if (i == path.length - 1) {
                if (child != null) {
                    throw error(MongoErrorCode.LOCATION_31250, "Path collision at " + full);
                }
                current.children.put(path[i], node);
                return;
            }
            if (child == null) {
                child = ProjectionNode.path();
                current.children.put(path[i], child);
            } else if (child.kind != Kind.PATH) {
                String tail = String.join(".", Arrays.copyOfRange(path, 1, path.length));
                throw error(MongoErrorCode.LOCATION_31249, "Path collision at " + full + " remaining portion " + tail);
            }
            current = child;
        }
    }

    /** {begin, end} of the first ".$." or a trailing ".$" (or the whole name "$"), or null. */
    private static int[] firstPositional(String name) {
        int i = name.indexOf(".$.");
        if (i >= 0) {
            return new int[] {i, i + 3};
        }
        if (name.endsWith(".$")) {
            return new int[] {name.length() - 2, name.length()};
        }
        if (name.equals("$")) {
            return new int[] {0, 1};
        }
        return null;
    }

    /** mongod's FieldPath validation: non-empty components that do not start with '$'. */
    static String[] validateFieldPath(String dotted) {
        if (dotted.isEmpty()) {
            throw error(MongoErrorCode.LOCATION_40352, "FieldPath cannot be constructed with empty string");
        }
        String[] parts = dotted.split("\\.", -1);
        for (String part : parts) {
            validateFieldName(part);
        }
        return parts;
    }

    static void validateFieldName(String part) {
        if (part.isEmpty()) {
            throw error(MongoErrorCode.LOCATION_15998, "FieldPath field names may not be empty strings.");
        }
        if (part.startsWith("$")) {
            throw error(MongoErrorCode.LOCATION_16410, "FieldPath field names may not start with '$'. "
                    + "Consider using $getField or $setField.");
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static ArgonException error(MongoErrorCode code, String message) {
        return new ArgonException(code, message);
    }
}
