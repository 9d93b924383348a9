package dev.argon.engine.update;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.aggregate.BsonText;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonValue;

/**
 * A validated update path such as {@code a.b}, {@code a.$.b}, {@code a.$[].b} or {@code a.$[x].b}.
 * Positional components are resolved against a concrete document with {@link #expand}. Immutable.
 */
final class UpdatePath {
    final String dotted;
    final String[] parts;
    final boolean dynamic;

    private UpdatePath(String dotted, String[] parts, boolean dynamic) {
        this.dotted = dotted;
        this.parts = parts;
        this.dynamic = dynamic;
    }

    static boolean isPositional(String part) {
        return part.equals("$");
    }

    static boolean isArrayFilter(String part) {
        return part.length() >= 3 && part.startsWith("$[") && part.endsWith("]");
    }

    /** The identifier of a $[identifier] component ("" for $[]). */
    static String identifier(String part) {
        return part.substring(2, part.length() - 1);
    }

    /** Validates the path with MongoDB's rules; identifiers used are recorded in filters. */
    static UpdatePath parse(String dotted, ArrayFilters filters) {
        if (dotted.isEmpty()) {
            throw new ArgonException(MongoErrorCode.EMPTY_FIELD_NAME, "An empty update path is not valid.");
        }
        // A top-level field, the common case, needs no split.
        String[] parts = dotted.indexOf('.') < 0 ? new String[] {dotted} : dotted.split("\\.", -1);
        int positional = 0;
        boolean dynamic = false;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty()) {
                throw new ArgonException(MongoErrorCode.EMPTY_FIELD_NAME, "The update path '" + dotted
                        + "' contains an empty field name, which is not allowed.");
            }
            if (isPositional(p)) {
                positional++;
                dynamic = true;
            } else if (isArrayFilter(p)) {
                dynamic = true;
                if (i == 0) {
                    throw ArgonException.badValue("Cannot have array filter identifier (i.e. '$[<id>]') element in the "
                            + "first position in path '" + dotted + "'");
                }
                String id = identifier(p);
                if (!id.isEmpty()) {
                    filters.use(id, dotted);
                }
            } else if (i == 0 && p.startsWith("$")) {
                throw new ArgonException(MongoErrorCode.DOLLAR_PREFIXED_FIELD_NAME, "The dollar ($) prefixed field '"
                        + p + "' in '" + dotted + "' is not valid for storage.");
            }
        }
        if (positional > 1) {
            throw ArgonException.badValue("Too many positional (i.e. '$') elements found in path '" + dotted + "'");
        }
        if (positional == 1 && isPositional(parts[0])) {
            throw ArgonException.badValue("Cannot have positional (i.e. '$') element in the first position in path '"
                    + dotted + "'");
        }
        return new UpdatePath(dotted, parts, dynamic);
    }

    /** The concrete paths this path denotes in the document's current state (itself if not dynamic). */
    List<String[]> expand(WorkingDoc doc) {
        List<String[]> out = new ArrayList<>(1);
        if (!dynamic) {
            out.add(parts);
        } else {
            expandFrom(doc, parts.clone(), 0, out);
        }
        return out;
    }

    private void expandFrom(WorkingDoc doc, String[] cur, int from, List<String[]> out) {
        for (int j = from; j < cur.length; j++) {
            String c = cur[j];
            if (isPositional(c)) {
                cur[j] = Integer.toString(doc.positionalIndex());
            } else if (isArrayFilter(c)) {
                BsonValue arr = doc.read(cur, j);
                if (arr == null) {
                    throw ArgonException.badValue("The path '" + join(cur, j)
                            + "' must exist in the document in order to apply array updates.");
                }
                if (!arr.isArray()) {
                    throw ArgonException.badValue("Cannot apply array updates to non-array element "
                            + BsonText.element(cur[j - 1], arr));
                }
                String id = identifier(c);
                List<BsonValue> elements = arr.asArray().getValues();
                for (int k = 0; k < elements.size(); k++) {
                    if (id.isEmpty() || doc.filters().matches(id, elements.get(k))) {
                        String[] next = cur.clone();
                        next[j] = Integer.toString(k);
                        expandFrom(doc, next, j + 1, out);
                    }
                }
                return;
            }
        }
        out.add(cur);
    }

    static String join(String[] parts, int count) {
        if (count == 1) {
            return parts[0];
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(parts[i]);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return dotted;
    }
}
