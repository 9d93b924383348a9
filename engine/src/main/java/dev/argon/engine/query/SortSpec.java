package dev.argon.engine.query;

import dev.argon.engine.bson.BsonOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonType;
import org.bson.BsonUndefined;
import org.bson.BsonValue;

/**
 * A compiled sort specification {@code {a: 1, "b.c": -1}} with MongoDB's semantics: missing sorts as null,
 * an array sorts by its smallest element ascending and by its largest descending, and an empty array sorts
 * below null. Thread-safe.
 *
 * <p>The values of a path are collected the way mongod generates index keys: arrays anywhere on the path are
 * traversed (an element without the rest of the path counts as null), a numeric component after an array
 * selects that element, and an array at the end contributes its elements. Each component of a compound sort
 * picks its minimum or maximum on its own; mongod instead rejects sorting on two parallel arrays, and with an
 * array under two sort keys of different directions may order those documents differently.
 * {@code $natural} is accepted and ignored.
 */
public final class SortSpec {
    /** The key of an empty array: below null and every other value except MinKey. */
    private static final BsonValue EMPTY_ARRAY_KEY = new BsonUndefined();

    private final BsonDocument spec;
    private final DocPath[] paths;
    private final boolean[] descending;

    private SortSpec(BsonDocument spec, DocPath[] paths, boolean[] descending) {
        this.spec = spec;
        this.paths = paths;
        this.descending = descending;
    }

    /** A null or empty spec sorts nothing (every pair compares equal). */
    public static SortSpec compile(BsonDocument spec) {
        List<DocPath> paths = new ArrayList<>();
        List<Boolean> directions = new ArrayList<>();
        BsonDocument copy = spec == null ? new BsonDocument() : spec.clone();
        for (Map.Entry<String, BsonValue> e : copy.entrySet()) {
            String field = e.getKey();
            BsonValue value = e.getValue();
            if (value.isDocument()) {
                if (value.asDocument().containsKey("$meta")) {
                    throw Args.notImplemented("$meta sort is not supported");
                }
                throw Args.badValue("$meta is the only expression supported by $sort right now");
            }
            if (!BsonOrder.isNumber(value)) {
                throw Args.badValue("Illegal key in $sort specification: " + Args.element(field, value));
            }
            int direction = direction(value);
            if (direction == 0) {
                throw Args.badValue("$sort key ordering must be 1 (for ascending) or -1 (for descending)");
            }
            if (field.equals("$natural")) {
                continue;
            }
            if (field.isEmpty()) {
                throw Args.badValue("FieldPath cannot be constructed with empty string");
            }
            ProjectionParser.validateFieldPath(field);
            paths.add(DocPath.of(field));
            directions.add(direction < 0);
        }
        boolean[] descending = new boolean[directions.size()];
        for (int i = 0; i < descending.length; i++) {
            descending[i] = directions.get(i);
        }
        return new SortSpec(copy, paths.toArray(new DocPath[0]), descending);
    }

    private static int direction(BsonValue v) {
        double d = v.getBsonType() == BsonType.DECIMAL128 ? v.asDecimal128().getValue().doubleValue()
                : v.asNumber().doubleValue();
        return d == 1 ? 1 : d == -1 ? -1 : 0;
    }

    /** The spec this was compiled from. */
    public BsonDocument spec() {
        return spec.clone();
    }

    /** Whether there is nothing to sort by ({@code $natural} alone counts as nothing). */
    public boolean isEmpty() {
        return paths.length == 0;
    }

    public Comparator<BsonDocument> comparator() {
        return (a, b) -> compareKeys(sortKey(a), sortKey(b));
    }

    /** The per-component sort key of doc; compute once per document and compare with {@link #compareKeys}. */
    public BsonValue[] sortKey(BsonDocument doc) {
        BsonValue[] key = new BsonValue[paths.length];
        for (int i = 0; i < paths.length; i++) {
            List<BsonValue> values = new ArrayList<>();
            collect(doc, paths[i], 0, values);
            BsonValue best = null;
            for (BsonValue v : values) {
                if (best == null) {
                    best = v;
                } else {
                    int c = compareKeyValues(v, best);
                    if (descending[i] ? c > 0 : c < 0) {
                        best = v;
                    }
                }
            }
            key[i] = best == null ? BsonNull.VALUE : best;
        }
        return key;
    }

    public int compareKeys(BsonValue[] a, BsonValue[] b) {
        for (int i = 0; i < paths.length; i++) {
            int c = compareKeyValues(a[i], b[i]);
            if (c != 0) {
                return descending[i] ? -c : c;
            }
        }
        return 0;
    }

    private static int compareKeyValues(BsonValue a, BsonValue b) {
        boolean ea = a == EMPTY_ARRAY_KEY;
        boolean eb = b == EMPTY_ARRAY_KEY;
        if (ea || eb) {
            if (ea && eb) {
                return 0;
            }
            BsonValue other = ea ? b : a;
            int c = other.getBsonType() == BsonType.MIN_KEY ? 1 : -1;
            return ea ? c : -c;
        }
        return BsonOrder.compare(a, b);
    }

    /** Index-key-style extraction of the values of path in value, from component i on. */
    private static void collect(BsonValue value, DocPath path, int i, List<BsonValue> out) {
        if (i == path.length()) {
            if (value.isArray()) {
                if (value.asArray().isEmpty()) {
                    out.add(EMPTY_ARRAY_KEY);
                } else {
                    out.addAll(value.asArray().getValues());
                }
            } else {
                out.add(value);
            }
            return;
        }
        if (value.isDocument()) {
            BsonValue field = value.asDocument().get(path.part(i));
            if (field == null) {
                out.add(BsonNull.VALUE);
            } else {
                collect(field, path, i + 1, out);
            }
            return;
        }
        if (value.isArray()) {
            List<BsonValue> elements = value.asArray().getValues();
            int index = DocPath.arrayIndex(path.part(i));
            if (index >= 0) {
                if (index < elements.size()) {
                    collect(elements.get(index), path, i + 1, out);
                } else {
                    out.add(BsonNull.VALUE);
                }
                return;
            }
            if (elements.isEmpty()) {
                out.add(BsonNull.VALUE);
                return;
            }
            for (BsonValue element : elements) {
                if (element.isDocument()) {
                    collect(element, path, i, out);
                } else {
                    out.add(BsonNull.VALUE);
                }
            }
            return;
        }
        out.add(BsonNull.VALUE);
    }
}
