package dev.argon.engine.query;

import dev.argon.engine.bson.RawFields;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

/**
 * A dotted field path ({@code "a.b.0.c"}) and the three ways MongoDB resolves one against a document.
 * Immutable and thread-safe.
 *
 * <h2>Query traversal ({@link #traverse}, {@link #values})</h2>
 * The semantics of the find filter language (mongod's {@code BSONElementIterator}):
 * <ul>
 * <li>Embedded documents are descended into by field name.</li>
 * <li>An array met before the last component is traversed implicitly: every element that is a document is
 * resolved against the rest of the path. If the next component is an array index ({@code "0"}, {@code "12"}),
 * the element at that index is also taken directly (after the document elements had their chance to match the
 * component as a field name). Scalars and nested arrays at other positions are skipped.</li>
 * <li>A missing field, or a scalar met before the last component, is reported once as "missing" (null), so
 * {@code {"a.b": null}} matches {@code {a: 5}} and {@code {a: [{c: 1}]}}. An array whose elements all skip the
 * path reports nothing.</li>
 * <li>With {@code expandLeafArrays}, an array at the last component reports each element and then the array
 * itself; without it, only the array itself.</li>
 * </ul>
 * Each reported value carries the index of the outermost array traversed implicitly to reach it, or -1; this
 * is the position the positional {@code $} operator uses. An explicit index component does not count.
 *
 * <h2>Exact navigation ({@link #get})</h2>
 * No implicit traversal: documents by field name, arrays only by numeric component. This is how update
 * operators address a single target.
 *
 * <h2>Aggregation field path ({@link #fieldPathValue})</h2>
 * {@code "$a.b"} semantics: arrays map the rest of the path over their document elements (nested arrays map
 * recursively, scalars are dropped) and numeric components are field names, not indexes.
 */
public final class DocPath {
    /** Receives values reached by {@link #traverse}; return true to stop the traversal. */
    @FunctionalInterface
    public interface Visitor {
        /**
         * @param value the value reached, or null when the path is missing at this point
         * @param arrayIndex the index in the outermost implicitly traversed array, or -1
         */
        boolean visit(BsonValue value, int arrayIndex);
    }

    private final String dotted;
    private final String[] parts;
    /** The parts' UTF-8 bytes, for the raw-document fast path ({@link RawFields}). */
    private final byte[][] partNames;
    private final int[] indexes;

    private DocPath(String dotted) {
        this.dotted = dotted;
        this.parts = dotted.split("\\.", -1);
        this.indexes = new int[parts.length];
        this.partNames = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            indexes[i] = arrayIndex(parts[i]);
            partNames[i] = RawFields.name(parts[i]);
        }
    }

    public static DocPath of(String dotted) {
        return new DocPath(dotted);
    }

    /** The array index a path component denotes, or -1: digits only, no leading zero, fits an int. */
    public static int arrayIndex(String part) {
        int n = part.length();
        if (n == 0 || n > 9 || (n > 1 && part.charAt(0) == '0')) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < n; i++) {
            char c = part.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    public String dotted() {
        return dotted;
    }

    public int length() {
        return parts.length;
    }

    public String part(int i) {
        return parts[i];
    }

    public List<String> parts() {
        return Collections.unmodifiableList(Arrays.asList(parts));
    }

    @Override
    public String toString() {
        return dotted;
    }

    // ---- query traversal ----

    /**
     * Reports every value the path reaches in doc with query semantics (see the class comment), in document
     * order. Returns true if the visitor stopped the traversal.
     */
    public boolean traverse(BsonDocument doc, boolean expandLeafArrays, Visitor visitor) {
        return walkDocument(doc, 0, -1, expandLeafArrays, visitor);
    }

    /**
     * The values the path reaches (see {@link #traverse}), missing ones left out and an array at the end of the
     * path replaced by its elements (one level), which is what {@code distinct} and index keys see:
     * {@code {a: [1, [2]]}} gives 1 and [2] for "a".
     */
    public List<BsonValue> values(BsonDocument doc) {
        List<BsonValue> out = new ArrayList<>();
        traverse(doc, false, (v, i) -> {
            if (v != null) {
                if (v.isArray()) {
                    out.addAll(v.asArray().getValues());
                } else {
                    out.add(v);
                }
            }
            return false;
        });
        return out;
    }

    public static List<BsonValue> values(BsonDocument doc, String dotted) {
        return of(dotted).values(doc);
    }

    private boolean walkDocument(BsonDocument doc, int from, int outer, boolean expand, Visitor visitor) {
        BsonDocument current = doc;
        int i = from;
        while (true) {
            BsonValue value = current instanceof RawBsonDocument raw ? RawFields.get(raw, parts[i], partNames[i]) : current.get(parts[i]);
            i++;
            if (value == null) {
                return visitor.visit(null, outer);
            }
            if (i == parts.length) {
                if (expand && value.isArray()) {
                    return walkLeafArray(value.asArray(), outer, visitor);
                }
                return visitor.visit(value, outer);
            }
            if (value.isDocument()) {
                current = value.asDocument();
            } else if (value.isArray()) {
                return walkInnerArray(value.asArray(), i, outer, expand, visitor);
            } else {
                return visitor.visit(null, outer);
            }
        }
    }

    private static boolean walkLeafArray(BsonArray array, int outer, Visitor visitor) {
        List<BsonValue> values = array.getValues();
        for (int idx = 0; idx < values.size(); idx++) {
            if (visitor.visit(values.get(idx), outer >= 0 ? outer : idx)) {
                return true;
            }
        }
        return visitor.visit(array, outer);
    }

    /** An array reached with path components from..end still to resolve. */
    private boolean walkInnerArray(BsonArray array, int from, int outer, boolean expand, Visitor visitor) {
        int wantedIndex = indexes[from];
        boolean last = from + 1 == parts.length;
        List<BsonValue> values = array.getValues();
        for (int idx = 0; idx < values.size(); idx++) {
            BsonValue element = values.get(idx);
            if (element.isDocument()) {
                if (walkDocument(element.asDocument(), from, outer >= 0 ? outer : idx, expand, visitor)) {
                    return true;
                }
                if (wantedIndex == idx) {
                    if (last ? visitor.visit(element, outer)
                            : walkDocument(element.asDocument(), from + 1, outer, expand, visitor)) {
                        return true;
                    }
                }
            } else if (wantedIndex == idx) {
                if (last) {
                    if (visitor.visit(element, outer)) {
                        return true;
                    }
                } else if (element.isArray()) {
                    if (walkInnerArray(element.asArray(), from + 1, outer, expand, visitor)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    // ---- exact navigation ----

    /** The single value at this path without implicit array traversal, or null if there is none. */
    public BsonValue get(BsonValue root) {
        BsonValue current = root;
        for (int i = 0; i < parts.length && current != null; i++) {
            if (current.isDocument()) {
                current = current.asDocument().get(parts[i]);
            } else if (current.isArray() && indexes[i] >= 0) {
                List<BsonValue> values = current.asArray().getValues();
                current = indexes[i] < values.size() ? values.get(indexes[i]) : null;
            } else {
                current = null;
            }
        }
        return current;
    }

    public static BsonValue get(BsonValue root, String dotted) {
        return of(dotted).get(root);
    }

    // ---- aggregation field path ----

    /** The value of the aggregation field path {@code "$" + dotted} in doc, or null when missing. */
    public BsonValue fieldPathValue(BsonDocument doc) {
        return fieldPath(doc, 0);
    }

    private BsonValue fieldPath(BsonDocument doc, int i) {
        BsonValue value = doc.get(parts[i]);
        if (value == null || i + 1 == parts.length) {
            return value;
        }
        if (value.isDocument()) {
            return fieldPath(value.asDocument(), i + 1);
        }
        if (value.isArray()) {
            return fieldPathArray(value.asArray(), i + 1);
        }
        return null;
    }

    private BsonArray fieldPathArray(BsonArray array, int i) {
        BsonArray out = new BsonArray();
        for (BsonValue element : array) {
            if (element.isDocument()) {
                BsonValue nested = fieldPath(element.asDocument(), i);
                if (nested != null) {
                    out.add(nested);
                }
            } else if (element.isArray()) {
                out.add(fieldPathArray(element.asArray(), i));
            }
        }
        return out;
    }
}
