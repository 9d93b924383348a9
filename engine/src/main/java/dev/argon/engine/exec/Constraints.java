package dev.argon.engine.exec;

import dev.argon.engine.bson.BsonOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * What a filter says about single fields that an index can bound: equalities and {@code $in} lists (points),
 * and {@code $gt/$gte/$lt/$lte} (a range). Read from the filter's top level and from {@code $and}; everything
 * else ({@code $or}, {@code $expr}, {@code $ne}, regexes, ...) is left out, which only widens the bounds, never
 * narrows them: every document the filter matches satisfies each constraint here. Values that could match a
 * whole array or a document (arrays, documents, regexes, MinKey/MaxKey) give no constraint, so an index that
 * indexes array elements cannot miss a match. {@code null} (in {@code $eq} or {@code $in}) is a point that also
 * stands for a missing field ({@link Field#hasNull}); {@code $exists: true} is a field that must be present
 * ({@link Field#exists}); {@link IndexBounds} uses them only on an index whose keys hold them. An anchored
 * regex with a literal prefix ({@code /^abc/}) bounds the strings with that prefix and the regexes with its pattern.
 * Immutable once built.
 */
final class Constraints {
    /** One field's constraint: points, or a range (either end may be open), with a filter's own values. */
    static final class Field {
        List<BsonValue> points;
        BsonValue lower;
        boolean lowerInclusive;
        BsonValue upper;
        boolean upperInclusive;
        /** An anchored regex's literal prefix (no {@code i}, {@code m}, {@code x} options), or null. */
        String regexPrefix;
        /** The regex's own pattern: a stored regular expression with it matches too. */
        String regexPattern;
        /** Which predicate gave each end: 0 a plain one, n the n-th {@code $elemMatch} (one element meets both). */
        int lowerFrom;
        int upperFrom;
        /** {@code $exists: true} (or {@code $exists} with another truthy value): the path has a value. */
        boolean exists;
        /** Which field-form {@code $elemMatch} gave the points and each end: 0 none, n the n-th one read. */
        int pointsWithin;
        int lowerWithin;
        int upperWithin;

        /**
         * The field-form {@code $elemMatch} that gave this field's whole bound (points, or both ends of a range), or
         * 0: within one, one element of that array meets every condition on fields below it.
         */
        int within() {
            if (points != null) {
                return pointsWithin;
            }
            if (regexPrefix != null) {
                return 0;
            }
            if (lower != null && upper != null) {
                return lowerWithin == upperWithin ? lowerWithin : 0;
            }
            return lower != null ? lowerWithin : upper != null ? upperWithin : 0;
        }

        /** Whether the points include null, which a missing field also matches. */
        boolean hasNull() {
            return points != null && points.stream().anyMatch(v -> v.isNull());
        }

        /** Both ends, and possibly met by different elements of an array (so a multikey index cannot intersect them). */
        boolean straddles() {
            return lower != null && upper != null && (lowerFrom == 0 || lowerFrom != upperFrom);
        }

        boolean isPoints() {
            return points != null;
        }

        boolean isRange() {
            return points == null && (lower != null || upper != null);
        }
    }

    private final Map<String, Field> fields = new LinkedHashMap<>();
    /** The $elemMatch being read (0 outside one), numbering them. */
    private int elemMatch;
    private int elemMatches;
    /** The field-form $elemMatch being read (0 outside one), numbering them, and each one's array path. */
    private int within;
    private final List<String> withinPaths = new java.util.ArrayList<>();

    private Constraints() {}

    static Constraints of(BsonDocument filter) {
        Constraints c = new Constraints();
        if (filter != null) {
            c.add(filter);
        }
        return c;
    }

    Field get(String path) {
        return fields.get(path);
    }

    /** The array path of the n-th field-form {@code $elemMatch} ({@link Field#within}). */
    String withinPath(int n) {
        return withinPaths.get(n - 1);
    }

    boolean isEmpty() {
        return fields.isEmpty();
    }

    private void add(BsonDocument filter) {
        add(filter, "");
    }

    /** Reads a filter whose paths are relative to {@code prefix} (a field-form {@code $elemMatch}). */
    private void add(BsonDocument filter, String prefix) {
        for (Map.Entry<String, BsonValue> e : filter.entrySet()) {
            String k = e.getKey();
            BsonValue v = e.getValue();
            if (k.equals("$and") && v.isArray()) {
                for (BsonValue clause : v.asArray()) {
                    if (clause.isDocument()) {
                        add(clause.asDocument(), prefix);
                    }
                }
            } else if (!k.startsWith("$") && plainPath(k)) {
                field(prefix + k, v);
            }
        }
    }

    private void field(String path, BsonValue v) {
        if (v.isRegularExpression()) {
            regex(path, v.asRegularExpression().getPattern(), v.asRegularExpression().getOptions());
            return;
        }
        if (v.isDocument() && v.asDocument().containsKey("$regex")) {
            BsonValue re = v.asDocument().get("$regex");
            BsonValue opts = v.asDocument().get("$options");
            String options = opts != null && opts.isString() ? opts.asString().getValue() : "";
            if (re.isString()) {
                regex(path, re.asString().getValue(), options);
            } else if (re.isRegularExpression() && opts == null) {
                regex(path, re.asRegularExpression().getPattern(), re.asRegularExpression().getOptions());
            }
        }
        if (v.isDocument() && !v.asDocument().isEmpty() && v.asDocument().getFirstKey().startsWith("$")) {
            for (Map.Entry<String, BsonValue> op : v.asDocument().entrySet()) {
                BsonValue x = op.getValue();
                switch (op.getKey()) {
                    case "$eq" -> {
                        if (pointable(x)) {
                            points(path, List.of(x));
                        }
                    }
                    case "$in" -> {
                        if (x.isArray() && !x.asArray().isEmpty() && x.asArray().stream().allMatch(Constraints::pointable)) {
                            points(path, x.asArray().getValues());
                        }
                    }
                    case "$exists" -> {
                        if (truthy(x)) {
                            fields.computeIfAbsent(path, p -> new Field()).exists = true;
                        }
                    }
                    case "$elemMatch" -> {
                        if (x.isDocument() && !x.asDocument().isEmpty()) {
                            elemMatch(path, x.asDocument());
                        }
                    }
                    case "$gt", "$gte" -> {
                        if (indexable(x)) {
                            lower(path, x, op.getKey().equals("$gte"));
                        }
                    }
                    case "$lt", "$lte" -> {
                        if (indexable(x)) {
                            upper(path, x, op.getKey().equals("$lte"));
                        }
                    }
                    default -> {
                        // not a bound ($ne, $not, $type, $regex, $options, ...)
                    }
                }
            }
        } else if (pointable(v)) {
            points(path, List.of(v));
        }
    }

    /** A value an equality can look up as an index point: an {@link #indexable} one, or null. */
    private static boolean pointable(BsonValue v) {
        return v.isNull() || indexable(v);
    }

    /**
     * {@code $exists}' argument when it plainly means "exists" (true, or a non-zero int or double); any other
     * spelling gives no constraint, which is always safe.
     */
    private static boolean truthy(BsonValue x) {
        return switch (x.getBsonType()) {
            case BOOLEAN -> x.asBoolean().getValue();
            case INT32, INT64 -> x.asNumber().longValue() != 0;
            case DOUBLE -> x.asDouble().getValue() != 0 && !Double.isNaN(x.asDouble().getValue());
            default -> false;
        };
    }

    /**
     * {@code $elemMatch}: one element of the array meets every condition. The value form ({@code {$gt: 3, $lt: 6}})
     * constrains the path's elements, and both ends may intersect even on a multikey index (each element is tested
     * alone, never expanded); the field form ({@code {b: 5}}) constrains {@code path.b}.
     */
    private void elemMatch(String path, BsonDocument spec) {
        int outer = elemMatch;
        if (spec.getFirstKey().startsWith("$") && !spec.getFirstKey().equals("$and") && !spec.getFirstKey().equals("$or")
                && !spec.getFirstKey().equals("$nor") && !spec.getFirstKey().equals("$expr") && !spec.getFirstKey().equals("$where")) {
            elemMatch = ++elemMatches;
            field(path, spec);
        } else {
            // The field form gives no same-value guarantee: the element's field may itself be an array. It does say
            // that one element of the array at path meets every condition below it (see Field#within).
            int outerWithin = within;
            withinPaths.add(path);
            within = withinPaths.size();
            elemMatch = 0;
            add(spec, path + ".");
            within = outerWithin;
        }
        elemMatch = outer;
    }

    private void regex(String path, String pattern, String options) {
        String prefix = literalPrefix(pattern, options);
        Field f = fields.computeIfAbsent(path, p -> new Field());
        if (prefix == null || f.points != null || f.isRange() || f.regexPrefix != null) {
            return;
        }
        f.regexPrefix = prefix;
        f.regexPattern = pattern;
    }

    /**
     * The literal text every match starts with: the pattern is anchored with {@code ^} (or {@code \A}), has no
     * alternation, and the options leave {@code ^} and letters as they are (no {@code i}, {@code m}, {@code x}).
     * Null when there is none.
     */
    static String literalPrefix(String pattern, String options) {
        if (options.contains("i") || options.contains("m") || options.contains("x") || pattern.indexOf('|') >= 0) {
            return null;
        }
        int i;
        if (pattern.startsWith("^")) {
            i = 1;
        } else if (pattern.startsWith("\\A")) {
            i = 2;
        } else {
            return null;
        }
        StringBuilder out = new StringBuilder();
        while (i < pattern.length()) {
            char ch = pattern.charAt(i);
            if (".^$*+?()[]{}|\\".indexOf(ch) >= 0 || Character.isSurrogate(ch)) {
                if ((ch == '*' || ch == '?' || ch == '{') && out.length() > 0) {
                    out.setLength(out.length() - 1); // the last literal may be absent
                }
                break;
            }
            out.append(ch);
            i++;
        }
        return out.length() == 0 ? null : out.toString();
    }

    private void points(String path, List<BsonValue> values) {
        Field f = fields.computeIfAbsent(path, p -> new Field());
        if (f.points != null && f.points.size() <= values.size()) {
            return; // keep the smaller set: both must hold, either alone is a superset
        }
        TreeSet<BsonValue> sorted = new TreeSet<>(BsonOrder.COMPARATOR);
        sorted.addAll(values);
        f.points = new ArrayList<>(sorted);
        f.pointsWithin = within;
        f.lower = null;
        f.upper = null;
        f.regexPrefix = null;
    }

    private void lower(String path, BsonValue x, boolean inclusive) {
        Field f = fields.computeIfAbsent(path, p -> new Field());
        if (f.points != null) {
            return;
        }
        f.regexPrefix = null;
        if (f.lower == null || (BsonOrder.typeRank(f.lower) == BsonOrder.typeRank(x) && BsonOrder.compare(x, f.lower) > 0)) {
            f.lower = x;
            f.lowerInclusive = inclusive;
            f.lowerFrom = elemMatch;
            f.lowerWithin = within;
        } else if (BsonOrder.compare(x, f.lower) == 0) {
            f.lowerInclusive &= inclusive;
        }
    }

    private void upper(String path, BsonValue x, boolean inclusive) {
        Field f = fields.computeIfAbsent(path, p -> new Field());
        if (f.points != null) {
            return;
        }
        f.regexPrefix = null;
        if (f.upper == null || (BsonOrder.typeRank(f.upper) == BsonOrder.typeRank(x) && BsonOrder.compare(x, f.upper) < 0)) {
            f.upper = x;
            f.upperInclusive = inclusive;
            f.upperFrom = elemMatch;
            f.upperWithin = within;
        } else if (BsonOrder.compare(x, f.upper) == 0) {
            f.upperInclusive &= inclusive;
        }
    }

    /** A value an index entry holds as itself for every document the predicate matches. */
    static boolean indexable(BsonValue v) {
        return switch (v.getBsonType()) {
            case NULL, UNDEFINED, ARRAY, DOCUMENT, REGULAR_EXPRESSION, MIN_KEY, MAX_KEY -> false;
            default -> true;
        };
    }

    /** A dotted path without numeric components (those address array positions, which index keys do not). */
    static boolean plainPath(String path) {
        for (String part : path.split("\\.", -1)) {
            if (part.isEmpty() || part.chars().allMatch(Character::isDigit)) {
                return false;
            }
        }
        return true;
    }
}
