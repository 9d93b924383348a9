package dev.argon.engine.exec;

import dev.argon.engine.bson.BsonOrder;
import dev.argon.engine.bson.KeyEncoder;
import dev.argon.engine.store.DocFields;
import dev.argon.engine.store.IndexInfo;
import dev.argon.engine.store.IndexKeys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonType;
import org.bson.BsonValue;

/**
 * The key ranges of one index that hold every document a filter can match: the longest prefix of index
 * fields with points (equality, {@code $in}; their cartesian product), then at most one field with a range,
 * the rest unbounded. Ranges are bracketed by type as the matcher is ({@code $gt: 5} covers numbers only).
 * Intervals are over the encoded compound key ({@link KeyEncoder}), start inclusive, end exclusive, sorted
 * and disjoint. Immutable.
 */
final class IndexBounds {
    /** Most intervals a plan builds from {@code $in} lists; past it the prefix stops earlier (wider bounds). */
    private static final int MAX_INTERVALS = 4_096;

    /** One encoded key range: start inclusive, end exclusive. */
    record Interval(byte[] start, byte[] end) {}

    final IndexInfo index;
    final List<String> fields;
    final boolean[] descending;
    final List<Interval> intervals;
    /** Leading index fields pinned to points. */
    final int pointFields;
    /** Leading point fields that hold exactly one value (so the index order below them is one run). */
    final int singlePointFields;
    /** Whether the field after the points has a range. */
    final boolean range;
    /** The range has both ends: on a multikey document different elements may satisfy each end. */
    final boolean twoSided;
    /** MongoDB's {@code indexBounds}: per field, the intervals as text. */
    final BsonDocument explain;

    private IndexBounds(IndexInfo index, List<String> fields, boolean[] descending, List<Interval> intervals, int pointFields,
                        int singlePointFields, boolean range, boolean twoSided, BsonDocument explain) {
        this.index = index;
        this.fields = fields;
        this.descending = descending;
        this.intervals = intervals;
        this.pointFields = pointFields;
        this.singlePointFields = singlePointFields;
        this.range = range;
        this.twoSided = twoSided;
        this.explain = explain;
    }

    /** Whether the planner can read the index at all: numeric key directions over plain paths, with markers. */
    static boolean readable(IndexInfo index) {
        if (!index.markers() || index.hidden()) {
            return false;
        }
        for (Map.Entry<String, BsonValue> e : index.key().entrySet()) {
            if (!e.getValue().isNumber() || !Constraints.plainPath(e.getKey())) {
                return false;
            }
        }
        return true;
    }

    /** The bounds the constraints give this index, or null when its first field has none (as on a non-multikey index). */
    static IndexBounds of(IndexInfo index, Constraints cons) {
        return of(index, cons, false);
    }

    /**
     * The bounds the constraints give this index, or null when its first field has none. On a {@code multikey}
     * index, a field whose path shares a prefix with an earlier bounded field's ({@code a.b} and {@code a.c},
     * {@code a} and {@code a.b}) is left unbounded, as mongod does: one key per element of a shared array, and
     * the conditions may be met by different elements. Unless both bounds come from one {@code $elemMatch} on
     * exactly that shared prefix ({@code {a: {$elemMatch: {b: 1, c: 2}}}}), which one element meets whole.
     */
    static IndexBounds of(IndexInfo index, Constraints cons, boolean multikey) {
        List<String> fields = new ArrayList<>(index.key().keySet());
        boolean[] desc = directions(index);
        List<byte[]> prefixes = new ArrayList<>();
        prefixes.add(new byte[0]);
        int points = 0;
        int single = 0;
        BsonDocument explain = new BsonDocument();
        Constraints.Field rangeField = null;
        boolean wholeField = false;
        // Whether some bounded field cannot be missing: a sparse index holds every such document, none other.
        boolean present = false;
        for (int i = 0; i < fields.size(); i++) {
            Constraints.Field f = cons.get(fields.get(i));
            if (multikey && f != null && !compounds(fields, i, cons)) {
                break;
            }
            if (f != null && f.regexPrefix != null && !f.isPoints() && !f.isRange() && !desc[i]) {
                rangeField = f;
                break;
            }
            if (f != null && f.exists && !f.isPoints() && !f.isRange() && f.regexPrefix == null) {
                // Present, any value: every key of a sparse index's leading field; nothing gained on other indexes.
                wholeField = points == 0 && index.sparse();
                break;
            }
            if (f == null || (!f.isPoints() && f.lower == null && f.upper == null)) {
                break;
            }
            if (f.isPoints() && f.hasNull() && !index.nullKeys()) {
                break; // an older index wrote no null key for an array element without the path
            }
            if (!f.isPoints()) {
                rangeField = f;
                break;
            }
            if ((long) prefixes.size() * f.points.size() > MAX_INTERVALS) {
                break;
            }
            List<byte[]> next = new ArrayList<>();
            List<BsonValue> ordered = new ArrayList<>(f.points);
            if (desc[i]) {
                java.util.Collections.reverse(ordered);
            }
            for (byte[] p : prefixes) {
                for (BsonValue v : ordered) {
                    next.add(concat(p, KeyEncoder.encode(v, desc[i])));
                }
            }
            prefixes = next;
            BsonArray text = new BsonArray();
            for (BsonValue v : ordered) {
                text.add(new BsonString("[" + show(v) + ", " + show(v) + "]"));
            }
            explain.append(fields.get(i), text);
            points++;
            present |= !f.hasNull();
            if (f.points.size() == 1 && single == i) {
                single++;
            }
        }
        if ((points == 0 && rangeField == null && !wholeField) || (index.sparse() && !present && rangeField == null && !wholeField)) {
            return null;
        }
        List<Interval> intervals = new ArrayList<>();
        boolean twoSided = false;
        if (rangeField != null && rangeField.regexPrefix != null) {
            // Strings (and symbols) that start with the prefix, and stored regexes with the same pattern.
            byte[] strings = KeyEncoder.encode(new BsonString(rangeField.regexPrefix));
            strings = Arrays.copyOf(strings, strings.length - 2); // without the terminator: a prefix of longer strings
            byte[] regexes = KeyEncoder.encode(new BsonString(rangeField.regexPattern));
            regexes[0] = KeyEncoder.encode(new org.bson.BsonRegularExpression("", ""))[0];
            for (byte[] p : prefixes) {
                intervals.add(new Interval(concat(p, strings), concat(p, prefixEnd(strings))));
                intervals.add(new Interval(concat(p, regexes), concat(p, prefixEnd(regexes))));
            }
            String pre = rangeField.regexPrefix;
            String next = pre.substring(0, pre.length() - 1) + (char) (pre.charAt(pre.length() - 1) + 1);
            explain.append(fields.get(points), new BsonArray(List.of(
                    new BsonString("[\"" + pre + "\", \"" + next + "\")"),
                    new BsonString("[/" + rangeField.regexPattern + "/, /" + rangeField.regexPattern + "/]"))));
        } else if (rangeField != null) {
            int i = points;
            BsonValue lo = rangeField.lower;
            BsonValue hi = rangeField.upper;
            if (lo != null && hi != null && BsonOrder.typeRank(lo) != BsonOrder.typeRank(hi)) {
                hi = null; // matches nothing anyway; one end bounds a superset
            }
            twoSided = hi != null && rangeField.straddles();
            byte[][] r = range(lo, rangeField.lowerInclusive, hi, rangeField.upperInclusive, desc[i]);
            for (byte[] p : prefixes) {
                intervals.add(new Interval(concat(p, r[0]), concat(p, r[1])));
            }
            explain.append(fields.get(i), new BsonArray(List.of(new BsonString(rangeText(lo, rangeField.lowerInclusive, hi,
                    rangeField.upperInclusive, desc[i])))));
        } else {
            for (byte[] p : prefixes) {
                intervals.add(new Interval(p, prefixEnd(p)));
            }
            if (wholeField) {
                explain.append(fields.get(0), new BsonArray(List.of(new BsonString(desc[0] ? "[MaxKey, MinKey]" : "[MinKey, MaxKey]"))));
            }
        }
        for (int i = explain.size(); i < fields.size(); i++) {
            explain.append(fields.get(i), new BsonArray(List.of(new BsonString(desc[i] ? "[MaxKey, MinKey]" : "[MinKey, MaxKey]"))));
        }
        return new IndexBounds(index, fields, desc, merge(intervals), points, single, rangeField != null || wholeField, twoSided,
                explain);
    }

    /**
     * Whether field i's bound may be intersected with every earlier field's on a multikey index: each earlier
     * path that shares a prefix with it has its bound from the same field-form {@code $elemMatch} as field i,
     * on exactly that prefix.
     */
    private static boolean compounds(List<String> fields, int i, Constraints cons) {
        String[] p = fields.get(i).split("\\.");
        Constraints.Field f = cons.get(fields.get(i));
        for (int j = 0; j < i; j++) {
            String[] q = fields.get(j).split("\\.");
            int common = 0;
            while (common < p.length && common < q.length && p[common].equals(q[common])) {
                common++;
            }
            if (common == 0) {
                continue;
            }
            Constraints.Field g = cons.get(fields.get(j));
            int within = f.within();
            if (within == 0 || g == null || g.within() != within
                    || !cons.withinPath(within).equals(String.join(".", Arrays.copyOf(p, common)))) {
                return false;
            }
        }
        return true;
    }

    /**
     * find's {@code min}/{@code max} on a hinted index: the compound keys from {@code min} (inclusive) to {@code max}
     * (exclusive) in the index's order; an empty document leaves that end open. Each non-empty bound names the
     * index's fields in order (else 51174), and min must come before max (else 51175).
     */
    static IndexBounds minMax(IndexInfo index, BsonDocument min, BsonDocument max) {
        List<String> fields = new ArrayList<>(index.key().keySet());
        boolean[] desc = directions(index);
        for (BsonDocument bound : List.of(min, max)) {
            if (!bound.isEmpty() && !new ArrayList<>(bound.keySet()).equals(fields)) {
                throw new dev.argon.engine.ArgonException(dev.argon.engine.MongoErrorCode.LOCATION_51174,
                        "The index chosen is not compatible with min/max");
            }
        }
        byte[] start = min.isEmpty() ? new byte[0] : KeyEncoder.encodeCompound(new ArrayList<>(min.values()), desc);
        byte[] end = max.isEmpty() ? IndexKeys.MARKER : KeyEncoder.encodeCompound(new ArrayList<>(max.values()), desc);
        if (Arrays.compareUnsigned(start, end) >= 0) {
            throw new dev.argon.engine.ArgonException(dev.argon.engine.MongoErrorCode.LOCATION_51175,
                    "The value provided for min() does not come before the value provided for max() in the hinted index");
        }
        BsonDocument explain = new BsonDocument();
        for (String f : fields) {
            String lo = min.isEmpty() ? "MinKey" : show(min.get(f));
            String hi = max.isEmpty() ? "MaxKey" : show(max.get(f));
            explain.append(f, new BsonArray(List.of(new BsonString("[" + lo + ", " + hi + ")"))));
        }
        return new IndexBounds(index, fields, desc, List.of(new Interval(start, end)), 0, 0, true, false, explain);
    }

    /** Every real key of the index (not its multikey markers): a hinted index the filter does not bound. */
    static IndexBounds full(IndexInfo index) {
        List<String> fields = new ArrayList<>(index.key().keySet());
        boolean[] desc = directions(index);
        BsonDocument explain = new BsonDocument();
        for (int i = 0; i < fields.size(); i++) {
            explain.append(fields.get(i), new BsonArray(List.of(new BsonString(desc[i] ? "[MaxKey, MinKey]" : "[MinKey, MaxKey]"))));
        }
        return new IndexBounds(index, fields, desc, List.of(new Interval(new byte[0], IndexKeys.MARKER)), 0, 0, false, false, explain);
    }

    private static boolean[] directions(IndexInfo index) {
        boolean[] desc = new boolean[index.key().size()];
        int i = 0;
        for (BsonValue v : index.key().values()) {
            desc[i++] = v.isNumber() && v.asNumber().doubleValue() < 0;
        }
        return desc;
    }

    /** {start, end} of one component's range; an open end stops at the edge of the other end's type. */
    private static byte[][] range(BsonValue lo, boolean loIncl, BsonValue hi, boolean hiIncl, boolean desc) {
        byte type = KeyEncoder.encode(lo != null ? lo : hi)[0];
        if (!desc) {
            byte[] start = lo == null ? new byte[] {type} : loIncl ? KeyEncoder.encode(lo) : prefixEnd(KeyEncoder.encode(lo));
            byte[] end = hi == null ? new byte[] {(byte) (type + 1)} : hiIncl ? prefixEnd(KeyEncoder.encode(hi)) : KeyEncoder.encode(hi);
            return new byte[][] {start, end};
        }
        byte ctype = (byte) ~type;
        byte[] start = hi == null ? new byte[] {ctype} : hiIncl ? KeyEncoder.encode(hi, true) : prefixEnd(KeyEncoder.encode(hi, true));
        byte[] end = lo == null ? new byte[] {(byte) (ctype + 1)} : loIncl ? prefixEnd(KeyEncoder.encode(lo, true)) : KeyEncoder.encode(lo, true);
        return new byte[][] {start, end};
    }

    private static String rangeText(BsonValue lo, boolean loIncl, BsonValue hi, boolean hiIncl, boolean desc) {
        BsonValue typed = lo != null ? lo : hi;
        String low = lo == null ? openEnd(typed, false) : show(lo);
        String high = hi == null ? openEnd(typed, true) : show(hi);
        boolean li = lo == null || loIncl;
        boolean hiI = hi == null || hiIncl;
        if (desc) {
            return (hiI ? "[" : "(") + high + ", " + low + (li ? "]" : ")");
        }
        return (li ? "[" : "(") + low + ", " + high + (hiI ? "]" : ")");
    }

    private static String openEnd(BsonValue typed, boolean high) {
        if (BsonOrder.isNumber(typed)) {
            return high ? "inf.0" : "-inf.0";
        }
        if (typed.getBsonType() == BsonType.STRING || typed.getBsonType() == BsonType.SYMBOL) {
            return high ? "{}" : "\"\"";
        }
        return high ? "MaxKey" : "MinKey";
    }

    private static String show(BsonValue v) {
        return DocFields.shellForm(v);
    }

    /** The smallest byte string above every string that starts with p (the marker byte when there is none). */
    static byte[] prefixEnd(byte[] p) {
        for (int i = p.length - 1; i >= 0; i--) {
            if (p[i] != (byte) 0xFF) {
                byte[] out = Arrays.copyOf(p, i + 1);
                out[i]++;
                return out;
            }
        }
        return IndexKeys.MARKER;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Sorted, with overlapping intervals joined ({@code $in} lists may repeat a value under two spellings). */
    private static List<Interval> merge(List<Interval> in) {
        List<Interval> sorted = new ArrayList<>(in);
        sorted.sort((a, b) -> Arrays.compareUnsigned(a.start(), b.start()));
        List<Interval> out = new ArrayList<>();
        for (Interval iv : sorted) {
            if (!out.isEmpty() && Arrays.compareUnsigned(iv.start(), out.get(out.size() - 1).end()) <= 0) {
                Interval last = out.remove(out.size() - 1);
                byte[] end = Arrays.compareUnsigned(iv.end(), last.end()) > 0 ? iv.end() : last.end();
                out.add(new Interval(last.start(), end));
            } else {
                out.add(iv);
            }
        }
        return out;
    }
}
