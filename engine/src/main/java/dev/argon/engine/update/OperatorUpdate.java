package dev.argon.engine.update;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.aggregate.BsonText;
import dev.argon.engine.aggregate.Values;
import dev.argon.engine.query.MatchDetails;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * An update-operator document ({$set: ..., $inc: ...}) compiled into ops. Paths are checked for conflicts
 * with MongoDB's update-tree rules, and ops run in the order MongoDB applies them: by path, field names
 * lexicographically and array indexes numerically, so new fields are appended in that order. Immutable.
 */
final class OperatorUpdate {
    private final List<UpdateOp> ops;
    private final ArrayFilters filters;
    private final boolean dynamic;
    /** True when a path holds the positional {@code $}, the only use of the filter's match details. */
    private final boolean positional;

    private OperatorUpdate(List<UpdateOp> ops, ArrayFilters filters, boolean dynamic, boolean positional) {
        this.ops = ops;
        this.filters = filters;
        this.dynamic = dynamic;
        this.positional = positional;
    }

    boolean positional() {
        return positional;
    }

    /** See {@link UpdateSpec#singleTopLevelField()}. */
    String singleTopLevelField() {
        if (ops.size() != 1 || dynamic) {
            return null;
        }
        UpdateOp op = ops.get(0);
        UpdatePath[] claimed = op.claimedPaths();
        if (claimed.length != 1 || claimed[0].parts.length != 1 || claimed[0].parts[0].equals("_id")) {
            return null;
        }
        return claimed[0].parts[0];
    }

    static OperatorUpdate compile(BsonDocument update, ArrayFilters filters) {
        List<UpdateOp> ops = new ArrayList<>();
        // Built only once a second path is claimed: a single path (the common {$set: {f: v}}) cannot conflict.
        ConflictTree tree = null;
        UpdatePath first = null;
        boolean dynamic = false;
        boolean positional = false;
        for (Map.Entry<String, BsonValue> e : update.entrySet()) {
            String operator = e.getKey();
            BsonValue fields = e.getValue();
            if (!isOperator(operator)) {
                throw ArgonException.failedToParse("Unknown modifier: " + operator
                        + ". Expected a valid update modifier or pipeline-style update specified as an array");
            }
            if (!fields.isDocument()) {
                throw ArgonException.failedToParse("Modifiers operate on fields but we found type "
                        + Values.typeName(fields) + " instead. For example: {$mod: {<field>: ...}} not {"
                        + BsonText.element(operator, fields) + "}");
            }
            if (fields.asDocument().isEmpty()) {
                throw ArgonException.failedToParse("'" + operator + "' is empty. You must specify a field like so: {"
                        + operator + ": {<field>: ...}}");
            }
            for (Map.Entry<String, BsonValue> f : fields.asDocument().entrySet()) {
                UpdateOp op = op(operator, f.getKey(), f.getValue(), filters);
                for (UpdatePath p : op.claimedPaths()) {
                    if (first == null) {
                        first = p;
                    } else {
                        if (tree == null) {
                            tree = new ConflictTree();
                            tree.claim(first);
                        }
                        tree.claim(p);
                    }
                    dynamic |= p.dynamic;
                    for (String part : p.parts) {
                        positional |= UpdatePath.isPositional(part);
                    }
                }
                ops.add(op);
            }
        }
        if (ops.size() > 1) {
            ops.sort(Comparator.comparing(op -> op.path.parts, OperatorUpdate::comparePaths));
        }
        return new OperatorUpdate(ops, filters, dynamic, positional);
    }

    static boolean isOperator(String name) {
        switch (name) {
            case "$set":
            case "$setOnInsert":
            case "$unset":
            case "$inc":
            case "$mul":
            case "$min":
            case "$max":
            case "$rename":
            case "$currentDate":
            case "$push":
            case "$addToSet":
            case "$pull":
            case "$pullAll":
            case "$pop":
            case "$bit":
                return true;
            default:
                return false;
        }
    }

    private static UpdateOp op(String operator, String field, BsonValue value, ArrayFilters filters) {
        if (operator.equals("$rename")) {
            UpdatePath from = UpdatePath.parse(field, filters);
            if (!value.isString()) {
                throw ArgonException.badValue("The 'to' field for $rename must be a string: "
                        + BsonText.element(field, value));
            }
            UpdatePath to = UpdatePath.parse(value.asString().getValue(), filters);
            return new RenameOp(from, to, value.asString().getValue());
        }
        UpdatePath path = UpdatePath.parse(field, filters);
        switch (operator) {
            case "$set":
            case "$setOnInsert":
                return new FieldOps.Set(operator, path, value);
            case "$unset": return new FieldOps.Unset(path);
            case "$currentDate": return new FieldOps.CurrentDate(path, value);
            case "$inc":
            case "$mul":
                return new NumericOps.Arithmetic(operator, path, field, value);
            case "$min":
            case "$max":
                return new NumericOps.Compare(operator, path, value);
            case "$bit": return new NumericOps.Bit(path, field, value);
            case "$push": return new ArrayOps.Push(path, value);
            case "$addToSet": return new ArrayOps.AddToSet(path, value);
            case "$pull":
            case "$pullAll":
                return new ArrayOps.Pull(operator, path, value);
            default: return new ArrayOps.Pop(path, field, value);
        }
    }

    /** Numeric components in numeric order, everything else lexicographically (MongoDB 5.0+). */
    static int comparePaths(String[] a, String[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            int c = compareComponents(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.length, b.length);
    }

    private static int compareComponents(String x, String y) {
        int ix = WorkingDoc.arrayIndex(x);
        int iy = WorkingDoc.arrayIndex(y);
        if (ix >= 0 && iy >= 0 && ix != Integer.MAX_VALUE && iy != Integer.MAX_VALUE) {
            return ix != iy ? Integer.compare(ix, iy) : x.compareTo(y);
        }
        return x.compareTo(y);
    }

    BsonDocument apply(BsonDocument doc, MatchDetails details, boolean insert) {
        WorkingDoc work = new WorkingDoc(doc, details, insert, filters, dynamic);
        List<List<String[]>> targets = new ArrayList<>(ops.size());
        for (UpdateOp op : ops) {
            targets.add(op.targets(work));
        }
        for (int i = 0; i < ops.size(); i++) {
            ops.get(i).apply(work, targets.get(i));
        }
        return work.root;
    }

    /**
     * MongoDB's update tree, used only to detect conflicting paths at compile time: internal nodes are
     * object or array nodes (an array node when the next component is $[...]), leaves are ops.
     */
    private static final class ConflictTree {
        private enum Kind { OBJECT, ARRAY, LEAF }

        private static final class Node {
            final Kind kind;
            final Map<String, Node> children = new HashMap<>();

            Node(Kind kind) {
                this.kind = kind;
            }
        }

        private final Node root = new Node(Kind.OBJECT);

        void claim(UpdatePath path) {
            String[] parts = path.parts;
            Node cur = root;
            for (int i = 0; i < parts.length - 1; i++) {
                String key = key(parts[i]);
                Kind wanted = UpdatePath.isArrayFilter(parts[i + 1]) ? Kind.ARRAY : Kind.OBJECT;
                Node child = cur.children.get(key);
                if (child == null) {
                    child = new Node(wanted);
                    cur.children.put(key, child);
                } else if (child.kind != wanted) {
                    throw conflict(path.dotted, UpdatePath.join(parts, i + 1));
                }
                cur = child;
            }
            String key = key(parts[parts.length - 1]);
            if (cur.children.containsKey(key)) {
                throw conflict(path.dotted, path.dotted);
            }
            cur.children.put(key, new Node(Kind.LEAF));
        }

        private static String key(String part) {
            return UpdatePath.isArrayFilter(part) ? "$[" + UpdatePath.identifier(part) + "]" : part;
        }

        private static ArgonException conflict(String path, String at) {
            return new ArgonException(MongoErrorCode.CONFLICTING_UPDATE_OPERATORS, "Updating the path '" + path
                    + "' would create a conflict at '" + at + "'");
        }
    }
}
