package dev.argon.engine.query;

import org.bson.BsonDocument;

/**
 * A compiled query filter (the {@code find} filter language). Compiling validates the filter and throws
 * {@link dev.argon.engine.ArgonException} with MongoDB's code (BadValue 2 for an unknown operator, ...).
 * Immutable and thread-safe once compiled.
 *
 * <p>Supported: implicit equality, $eq $ne $gt $gte $lt $lte $in $nin, $and $or $nor $not, $exists, $type,
 * $mod, $regex/$options (and regex values), $all (also of $elemMatch), $elemMatch (value and object form),
 * $size, $bitsAllSet $bitsAllClear $bitsAnySet $bitsAnyClear, $alwaysTrue $alwaysFalse, $comment; array
 * traversal as described in {@link DocPath}. $where, $text, $jsonSchema, $sampleRate and the geo
 * operators throw NotImplemented (238).
 */
public final class Matcher {
    private static final Matcher ALL = new Matcher(new BsonDocument(), MatchExpr.ALWAYS_TRUE);

    private final BsonDocument filter;
    private final MatchExpr root;

    private Matcher(BsonDocument filter, MatchExpr root) {
        this.filter = filter;
        this.root = root;
    }

    /** A null or empty filter matches every document. */
    public static Matcher compile(BsonDocument filter) {
        if (filter == null || filter.isEmpty()) {
            return ALL;
        }
        BsonDocument copy = filter.clone();
        return new Matcher(copy, FilterParser.parse(copy, FilterParser.Level.TOP));
    }

    /**
     * Compiles a filter whose {@code $expr} clauses may use the command's {@code let} variables ({@code $$name}):
     * each {@code $expr} is wrapped in {@code $let} with those variables.
     */
    public static Matcher compile(BsonDocument filter, BsonDocument let) {
        if (let == null || let.isEmpty() || filter == null) {
            return compile(filter);
        }
        return compile(bindLet(filter, let));
    }

    private static BsonDocument bindLet(BsonDocument filter, BsonDocument let) {
        BsonDocument out = new BsonDocument();
        for (java.util.Map.Entry<String, org.bson.BsonValue> e : filter.entrySet()) {
            String k = e.getKey();
            org.bson.BsonValue v = e.getValue();
            if (k.equals("$expr")) {
                v = new BsonDocument("$let", new BsonDocument("vars", let).append("in", v));
            } else if ((k.equals("$and") || k.equals("$or") || k.equals("$nor")) && v.isArray()) {
                org.bson.BsonArray arr = new org.bson.BsonArray();
                for (org.bson.BsonValue x : v.asArray()) {
                    arr.add(x.isDocument() ? bindLet(x.asDocument(), let) : x);
                }
                v = arr;
            }
            out.append(k, v);
        }
        return out;
    }

    /** The filter this matcher was compiled from. */
    public BsonDocument filter() {
        return filter.clone();
    }

    public boolean matches(BsonDocument doc) {
        return matches(doc, null);
    }

    /** Evaluates the filter; details (may be null) receives the matched array position. */
    public boolean matches(BsonDocument doc, MatchDetails details) {
        if (details == null) {
            return root.matches(doc, null);
        }
        MatchExpr.Position position = new MatchExpr.Position();
        boolean matched = root.matches(doc, position);
        if (matched && position.index >= 0) {
            details.arrayIndex(position.index);
        }
        return matched;
    }
}
