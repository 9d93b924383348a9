package dev.argon.engine.query;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.query.LeafPredicates.BitOp;
import dev.argon.engine.query.LeafPredicates.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonType;
import org.bson.BsonValue;

/**
 * Turns a filter document into a {@link MatchExpr} tree, validating it with mongod's error codes and messages
 * (mirroring its expression parser, so the same filters are accepted and rejected).
 */
final class FilterParser {
    /** Where a sub-filter is evaluated: $where, $expr and $text only make sense against the whole document. */
    enum Level {
        TOP, SUB
    }

    /** Top-level operators that take no path; a $elemMatch starting with one of them is the object form. */
    private static final Set<String> PATHLESS = Set.of("$and", "$or", "$nor", "$comment", "$where", "$expr",
            "$text", "$jsonSchema", "$alwaysTrue", "$alwaysFalse", "$sampleRate", "$db", "$id", "$ref");

    private static final Set<String> PATH_OPERATORS = Set.of("$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in",
            "$nin", "$exists", "$type", "$mod", "$regex", "$options", "$elemMatch", "$all", "$size", "$not",
            "$bitsAllSet", "$bitsAllClear", "$bitsAnySet", "$bitsAnyClear", "$geoWithin", "$within",
            "$geoIntersects", "$near", "$nearSphere", "$geoNear");

    private FilterParser() {}

    /** A parsed operator of a field: a predicate, or the negation of a group ($ne, $nin, $not, $exists: false). */
    sealed interface Clause permits Leaf, Negated {}

    record Leaf(ValuePredicate predicate) implements Clause {}

    record Negated(List<Clause> clauses) implements Clause {}

    static MatchExpr parse(BsonDocument filter, Level level) {
        List<MatchExpr> children = new ArrayList<>();
        for (Map.Entry<String, BsonValue> e : filter.entrySet()) {
            String name = e.getKey();
            BsonValue value = e.getValue();
            if (name.startsWith("$")) {
                MatchExpr expr = parseTopLevelOperator(name, value, level);
                if (expr != null) {
                    children.add(expr);
                }
                continue;
            }
            DocPath path = DocPath.of(name);
            if (isExpressionDocument(value, false)) {
                for (Clause clause : parseOperators(name, value.asDocument(), level)) {
                    children.add(toPathExpr(path, clause));
                }
            } else if (value.getBsonType() == BsonType.REGULAR_EXPRESSION) {
                children.add(MatchExpr.path(path, regex(value)));
            } else {
                children.add(MatchExpr.path(path, comparison(Op.EQ, name, value)));
            }
        }
        return MatchExpr.and(children);
    }

    private static MatchExpr parseTopLevelOperator(String name, BsonValue value, Level level) {
        switch (name) {
            case "$and":
            case "$or":
            case "$nor": {
                List<MatchExpr> children = parseTree(name, value, level);
                return name.equals("$and") ? MatchExpr.and(children)
                        : name.equals("$or") ? MatchExpr.or(children) : MatchExpr.nor(children);
            }
            case "$comment":
                return null;
            case "$expr":
                if (level == Level.SUB) {
                    throw Args.badValue(name + " can only be applied to the top-level document");
                }
                return expr(value);
            case "$where":
            case "$text":
                if (level == Level.SUB) {
                    throw Args.badValue(name + " can only be applied to the top-level document");
                }
                throw Args.notImplemented(name + " is not supported");
            case "$jsonSchema":
            case "$sampleRate":
                throw Args.notImplemented(name + " is not supported");
            case "$alwaysTrue":
            case "$alwaysFalse":
                return parseAlwaysBoolean(name, value);
            case "$ref":
            case "$id":
            case "$db":
                // DBRef fields queried directly, e.g. {$id: 5} inside an $elemMatch.
                return MatchExpr.path(DocPath.of(name), comparison(Op.EQ, name, value));
            case "$not":
                throw Args.badValue("unknown top level operator: $not. If you are trying to negate an entire "
                        + "expression, use $nor.");
            default:
                throw Args.badValue("unknown top level operator: " + name + ". If you have a field name that "
                        + "starts with a '$' symbol, consider using $getField or $setField.");
        }
    }

    private static List<MatchExpr> parseTree(String name, BsonValue value, Level level) {
        if (!value.isArray()) {
            throw Args.badValue(name + " must be an array");
        }
        if (value.asArray().isEmpty()) {
            throw Args.badValue("$and/$or/$nor must be a nonempty array");
        }
        List<MatchExpr> children = new ArrayList<>();
        for (BsonValue e : value.asArray()) {
            if (!e.isDocument()) {
                throw Args.badValue("$or/$and/$nor entries need to be full objects");
            }
            children.add(parse(e.asDocument(), level));
        }
        return children;
    }

    private static MatchExpr parseAlwaysBoolean(String name, BsonValue value) {
        long v;
        try {
            v = Args.integerToLong(name, value);
        } catch (IllegalArgumentException e) {
            throw ArgonException.failedToParse(e.getMessage());
        }
        if (v != 1) {
            throw ArgonException.failedToParse(name + " must be an integer value of 1");
        }
        return name.equals("$alwaysTrue") ? MatchExpr.ALWAYS_TRUE : MatchExpr.ALWAYS_FALSE;
    }

    /**
     * mongod's {@code isExpressionDocument}: a non-empty document whose first field starts with '$', unless it
     * is a DBRef ({$ref, $id}, or with allowIncompleteDBRef any of $ref/$id/$db).
     */
    static boolean isExpressionDocument(BsonValue value, boolean allowIncompleteDBRef) {
        if (!value.isDocument() || value.asDocument().isEmpty()) {
            return false;
        }
        BsonDocument doc = value.asDocument();
        if (!doc.getFirstKey().startsWith("$")) {
            return false;
        }
        boolean ref = doc.containsKey("$ref");
        boolean id = doc.containsKey("$id");
        boolean db = doc.containsKey("$db");
        boolean dbRef = allowIncompleteDBRef ? ref || id || db : ref && id;
        return !dbRef;
    }

    static MatchExpr toPathExpr(DocPath path, Clause clause) {
        if (clause instanceof Leaf leaf) {
            return MatchExpr.path(path, leaf.predicate());
        }
        List<MatchExpr> inner = new ArrayList<>();
        for (Clause c : ((Negated) clause).clauses()) {
            inner.add(toPathExpr(path, c));
        }
        return MatchExpr.not(MatchExpr.and(inner));
    }

    /** The clause applied to one value directly, as inside a value-form $elemMatch. */
    static ValuePredicate toElementPredicate(Clause clause) {
        if (clause instanceof Leaf leaf) {
            return leaf.predicate();
        }
        List<ValuePredicate> inner = new ArrayList<>();
        for (Clause c : ((Negated) clause).clauses()) {
            inner.add(toElementPredicate(c));
        }
        return value -> {
            for (ValuePredicate p : inner) {
                if (!p.matches(value)) {
                    return ValuePredicate.MATCH;
                }
            }
            return ValuePredicate.NO_MATCH;
        };
    }

    /** The operators of {@code {name: {$op: arg, ...}}}; all of them must hold (each traverses on its own). */
    static List<Clause> parseOperators(String name, BsonDocument ops, Level level) {
        List<Clause> clauses = new ArrayList<>();
        for (Map.Entry<String, BsonValue> e : ops.entrySet()) {
            String op = e.getKey();
            BsonValue arg = e.getValue();
            switch (op) {
                case "$not":
                    clauses.add(parseNot(name, arg, level));
                    break;
                case "$eq":
                    clauses.add(new Leaf(comparison(Op.EQ, name, arg)));
                    break;
                case "$ne":
                    if (arg.getBsonType() == BsonType.REGULAR_EXPRESSION) {
                        throw Args.badValue("Can't have regex as arg to $ne.");
                    }
                    clauses.add(new Negated(List.of(new Leaf(comparison(Op.EQ, name, arg)))));
                    break;
                case "$lt":
                    clauses.add(new Leaf(comparison(Op.LT, name, arg)));
                    break;
                case "$lte":
                    clauses.add(new Leaf(comparison(Op.LTE, name, arg)));
                    break;
                case "$gt":
                    clauses.add(new Leaf(comparison(Op.GT, name, arg)));
                    break;
                case "$gte":
                    clauses.add(new Leaf(comparison(Op.GTE, name, arg)));
                    break;
                case "$in":
                    clauses.add(new Leaf(in("$in", arg)));
                    break;
                case "$nin":
                    clauses.add(new Negated(List.of(new Leaf(in("$nin", arg)))));
                    break;
                case "$exists":
                    clauses.add(Args.truthy(arg) ? new Leaf(LeafPredicates.EXISTS)
                            : new Negated(List.of(new Leaf(LeafPredicates.EXISTS))));
                    break;
                case "$type":
                    clauses.add(new Leaf(TypeParser.parse(name, arg)));
                    break;
                case "$mod":
                    clauses.add(new Leaf(mod(arg)));
                    break;
                case "$regex":
                    clauses.add(new Leaf(regexDocument(ops)));
                    break;
                case "$options":
                    if (!ops.containsKey("$regex")) {
                        throw Args.badValue("$options needs a $regex");
                    }
                    break;
                case "$elemMatch":
                    clauses.add(new Leaf(elemMatch(arg)));
                    break;
                case "$all":
                    clauses.addAll(all(arg));
                    break;
                case "$size":
                    clauses.add(new Leaf(size(arg)));
                    break;
                case "$bitsAllSet":
                    clauses.add(new Leaf(BitTestParser.parse(op, BitOp.ALL_SET, arg)));
                    break;
                case "$bitsAllClear":
                    clauses.add(new Leaf(BitTestParser.parse(op, BitOp.ALL_CLEAR, arg)));
                    break;
                case "$bitsAnySet":
                    clauses.add(new Leaf(BitTestParser.parse(op, BitOp.ANY_SET, arg)));
                    break;
                case "$bitsAnyClear":
                    clauses.add(new Leaf(BitTestParser.parse(op, BitOp.ANY_CLEAR, arg)));
                    break;
                case "$geoWithin":
                case "$within":
                case "$geoIntersects":
                case "$near":
                case "$nearSphere":
                case "$geoNear":
                    throw Args.notImplemented(op + " is not supported");
                case "$where":
                    throw Args.badValue("$where cannot be applied to a field");
                default:
                    throw Args.badValue("unknown operator: " + op);
            }
        }
        return clauses;
    }

    private static Clause parseNot(String name, BsonValue arg, Level level) {
        if (arg.getBsonType() == BsonType.REGULAR_EXPRESSION) {
            return new Negated(List.of(new Leaf(regex(arg))));
        }
        if (!arg.isDocument()) {
            throw Args.badValue("$not needs a regex or a document");
        }
        if (arg.asDocument().isEmpty()) {
            throw Args.badValue("$not cannot be empty");
        }
        return new Negated(parseOperators(name, arg.asDocument(), level));
    }

    private static ValuePredicate comparison(Op op, String name, BsonValue rhs) {
        if (op != Op.EQ && rhs.getBsonType() == BsonType.REGULAR_EXPRESSION) {
            throw Args.badValue("Can't have RegEx as arg to predicate over field '" + name + "'.");
        }
        if (rhs.getBsonType() == BsonType.UNDEFINED) {
            throw Args.badValue("cannot compare to undefined");
        }
        return new LeafPredicates.Comparison(op, rhs);
    }

    private static RegexPredicate regex(BsonValue value) {
        return new RegexPredicate(value.asRegularExpression().getPattern(), value.asRegularExpression().getOptions());
    }

    /** $regex and $options may come in either order and $regex may be a string or a regex with its own flags. */
    private static RegexPredicate regexDocument(BsonDocument ops) {
        String pattern = "";
        String options = "";
        for (Map.Entry<String, BsonValue> e : ops.entrySet()) {
            BsonValue v = e.getValue();
            if (e.getKey().equals("$regex")) {
                if (v.isString()) {
                    pattern = v.asString().getValue();
                } else if (v.getBsonType() == BsonType.REGULAR_EXPRESSION) {
                    pattern = v.asRegularExpression().getPattern();
                    String flags = v.asRegularExpression().getOptions();
                    if (!flags.isEmpty()) {
                        if (!options.isEmpty()) {
                            throw new ArgonException(MongoErrorCode.LOCATION_51074,
                                    "options set in both $regex and $options");
                        }
                        options = flags;
                    }
                } else {
                    throw Args.badValue("$regex has to be a string");
                }
            } else if (e.getKey().equals("$options")) {
                if (!v.isString()) {
                    throw Args.badValue("$options has to be a string");
                }
                if (!options.isEmpty()) {
                    throw new ArgonException(MongoErrorCode.LOCATION_51075, "options set in both $regex and $options");
                }
                options = v.asString().getValue();
            }
        }
        return new RegexPredicate(pattern, options);
    }

    private static ValuePredicate in(String op, BsonValue arg) {
        if (!arg.isArray()) {
            throw Args.badValue(op + " needs an array");
        }
        List<BsonValue> equalities = new ArrayList<>();
        List<RegexPredicate> regexes = new ArrayList<>();
        for (BsonValue e : arg.asArray()) {
            if (isExpressionDocument(e, false)) {
                throw Args.badValue("cannot nest $ under $in");
            }
            if (e.getBsonType() == BsonType.REGULAR_EXPRESSION) {
                regexes.add(regex(e));
            } else if (e.getBsonType() == BsonType.UNDEFINED) {
                throw Args.badValue("InMatchExpression equality cannot be undefined");
            } else {
                equalities.add(e);
            }
        }
        return new LeafPredicates.In(equalities, regexes);
    }

    private static ValuePredicate mod(BsonValue arg) {
        if (!arg.isArray()) {
            throw Args.badValue("malformed mod, needs to be an array");
        }
        List<BsonValue> values = arg.asArray().getValues();
        if (values.isEmpty()) {
            throw Args.badValue("malformed mod, not enough elements");
        }
        if (!values.get(0).isNumber() && !values.get(0).isDecimal128()) {
            throw Args.badValue("malformed mod, divisor not a number");
        }
        if (values.size() < 2) {
            throw Args.badValue("malformed mod, not enough elements");
        }
        if (!values.get(1).isNumber() && !values.get(1).isDecimal128()) {
            throw Args.badValue("malformed mod, remainder not a number");
        }
        if (values.size() > 2) {
            throw Args.badValue("malformed mod, too many elements");
        }
        long divisor;
        long remainder;
        try {
            divisor = Args.coerceToLong(values.get(0));
        } catch (IllegalArgumentException e) {
            throw Args.badValue("malformed mod, divisor value is invalid :: caused by :: " + e.getMessage());
        }
        try {
            remainder = Args.coerceToLong(values.get(1));
        } catch (IllegalArgumentException e) {
            throw Args.badValue("malformed mod, remainder value is invalid :: caused by :: " + e.getMessage());
        }
        if (divisor == 0) {
            throw Args.badValue("divisor cannot be 0");
        }
        return new LeafPredicates.Mod(divisor, remainder);
    }

    private static ValuePredicate size(BsonValue arg) {
        try {
            return new LeafPredicates.Size(Args.integerToNonNegativeInt("$size", arg));
        } catch (IllegalArgumentException e) {
            throw Args.badValue("Failed to parse $size. " + e.getMessage());
        }
    }

    static ValuePredicate elemMatch(BsonValue arg) {
        if (!arg.isDocument()) {
            throw Args.badValue("$elemMatch needs an Object");
        }
        BsonDocument doc = arg.asDocument();
        boolean valueForm = isExpressionDocument(arg, true) && !PATHLESS.contains(doc.getFirstKey());
        if (valueForm) {
            List<ValuePredicate> predicates = new ArrayList<>();
            for (Clause clause : parseOperators("", doc, Level.SUB)) {
                predicates.add(toElementPredicate(clause));
            }
            return new ElemMatch.ValueForm(predicates);
        }
        return new ElemMatch.ObjectForm(parse(doc, Level.SUB));
    }

    /** AND of equalities (or regexes), or of $elemMatch clauses; an empty $all matches nothing. */
    private static List<Clause> all(BsonValue arg) {
        if (!arg.isArray()) {
            throw Args.badValue("$all needs an array");
        }
        List<BsonValue> values = arg.asArray().getValues();
        List<Clause> clauses = new ArrayList<>();
        if (!values.isEmpty() && startsWithElemMatch(values.get(0))) {
            for (BsonValue v : values) {
                if (!startsWithElemMatch(v)) {
                    throw Args.badValue("$all/$elemMatch has to be consistent");
                }
                clauses.add(new Leaf(elemMatch(v.asDocument().get("$elemMatch"))));
            }
            return clauses;
        }
        for (BsonValue v : values) {
            if (v.getBsonType() == BsonType.REGULAR_EXPRESSION) {
                clauses.add(new Leaf(regex(v)));
            } else if (v.isDocument() && !v.asDocument().isEmpty()
                    && PATH_OPERATORS.contains(v.asDocument().getFirstKey())) {
                throw Args.badValue("no $ expressions in $all");
            } else {
                clauses.add(new Leaf(comparison(Op.EQ, "", v)));
            }
        }
        if (clauses.isEmpty()) {
            clauses.add(new Leaf(ValuePredicate.NEVER));
        }
        return clauses;
    }

    private static boolean startsWithElemMatch(BsonValue v) {
        return v.isDocument() && !v.asDocument().isEmpty() && v.asDocument().getFirstKey().equals("$elemMatch");
    }

    /** {@code $expr}: an aggregation expression over the whole document, true when its value is truthy. */
    private static MatchExpr expr(BsonValue value) {
        dev.argon.engine.aggregate.Expression e = dev.argon.engine.aggregate.Expression.compile(value);
        return (doc, position) -> dev.argon.engine.aggregate.Values.isTruthy(e.evaluate(doc));
    }
}
