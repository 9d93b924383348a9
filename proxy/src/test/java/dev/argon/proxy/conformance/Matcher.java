package dev.argon.proxy.conformance;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonType;
import org.bson.BsonValue;

/**
 * The unified format's "Evaluating Matches" rules: extra fields only in root-level documents, key order ignored,
 * arrays of equal length, numbers equal across int32/int64/double, and the {@code $$} operators. Outcome checks use
 * {@link #exactDifference}, which the format requires to be an exact comparison up to key order.
 */
final class Matcher {
    private final Entities entities;

    Matcher(Entities entities) {
        this.entities = entities;
    }

    /**
     * Matches {@code actual} (null when absent) against {@code expected}; throws {@link AssertionError} naming the
     * path of the first difference.
     */
    void match(BsonValue expected, BsonValue actual, boolean root) {
        matchAt("", expected, actual, root);
    }

    private void matchAt(String path, BsonValue expected, BsonValue actual, boolean root) {
        if (isOperator(expected)) {
            operator(path, expected.asDocument(), actual, root);
            return;
        }
        if (expected.isDocument()) {
            if (actual == null || !actual.isDocument()) {
                throw mismatch(path, "expected a document", expected, actual);
            }
            BsonDocument e = expected.asDocument();
            BsonDocument a = actual.asDocument();
            for (Map.Entry<String, BsonValue> entry : e.entrySet()) {
                String key = entry.getKey();
                BsonValue ev = entry.getValue();
                boolean present = a.containsKey(key);
                BsonValue av = present ? a.get(key) : null;
                String p = path.isEmpty() ? key : path + "." + key;
                if (isOperator(ev)) {
                    String op = ev.asDocument().getFirstKey();
                    if (op.equals("$$exists")) {
                        boolean want = ev.asDocument().get(op).asBoolean().getValue();
                        if (want != present) {
                            throw mismatch(p, want ? "field missing" : "field present but expected absent", null, av);
                        }
                        continue;
                    }
                    if (op.equals("$$unsetOrMatches") && !present) {
                        continue;
                    }
                }
                if (!present) {
                    throw mismatch(p, "field missing", ev, null);
                }
                matchAt(p, ev, av, false);
            }
            if (!root) {
                for (String key : a.keySet()) {
                    if (!e.containsKey(key)) {
                        throw mismatch(path.isEmpty() ? key : path + "." + key, "unexpected extra field", null, a.get(key));
                    }
                }
            }
            return;
        }
        if (expected.isArray()) {
            if (actual == null || !actual.isArray()) {
                throw mismatch(path, "expected an array", expected, actual);
            }
            BsonArray e = expected.asArray();
            BsonArray a = actual.asArray();
            if (e.size() != a.size()) {
                throw mismatch(path, "array length " + a.size() + " instead of " + e.size(), expected, actual);
            }
            for (int i = 0; i < e.size(); i++) {
                matchAt(path + "[" + i + "]", e.get(i), a.get(i), false);
            }
            return;
        }
        if (actual == null) {
            throw mismatch(path, "value missing", expected, null);
        }
        if (!scalarEquals(expected, actual)) {
            throw mismatch(path, "values differ", expected, actual);
        }
    }

    private void operator(String path, BsonDocument op, BsonValue actual, boolean root) {
        String name = op.getFirstKey();
        BsonValue arg = op.get(name);
        switch (name) {
            case "$$exists" -> {
                if (arg.asBoolean().getValue() != (actual != null)) {
                    throw mismatch(path, "$$exists " + arg.asBoolean().getValue(), null, actual);
                }
            }
            case "$$unsetOrMatches" -> {
                if (actual != null) {
                    matchAt(path, arg, actual, root);
                }
            }
            case "$$type" -> {
                List<BsonValue> names = arg.isArray() ? arg.asArray().getValues() : List.of(arg);
                if (actual == null) {
                    throw mismatch(path, "value missing, expected $$type " + arg, null, null);
                }
                for (BsonValue n : names) {
                    if (typeMatches(n.asString().getValue(), actual.getBsonType())) {
                        return;
                    }
                }
                throw mismatch(path, "type " + actual.getBsonType() + " is not " + arg, null, actual);
            }
            case "$$matchesEntity" -> {
                Object entity = entities.get(arg.asString().getValue());
                if (!(entity instanceof BsonValue v)) {
                    throw new IllegalStateException("entity " + arg + " is not a BSON value");
                }
                matchAt(path, v, actual, root);
            }
            case "$$sessionLsid" -> {
                BsonDocument lsid = entities.lsid(arg.asString().getValue());
                if (actual == null || !lsid.equals(actual)) {
                    throw mismatch(path, "lsid of session " + arg.asString().getValue(), lsid, actual);
                }
            }
            case "$$lte" -> {
                if (actual == null || !actual.isNumber() || !arg.isNumber()
                        || toDecimal(actual).compareTo(toDecimal(arg)) > 0) {
                    throw mismatch(path, "$$lte " + arg, arg, actual);
                }
            }
            case "$$matchesHexBytes" -> {
                byte[] want = HexFormat.of().parseHex(arg.asString().getValue());
                byte[] got = actual != null && actual.isBinary() ? actual.asBinary().getData() : null;
                if (got == null || !Arrays.equals(want, got)) {
                    throw mismatch(path, "$$matchesHexBytes", arg, actual);
                }
            }
            case "$$matchAsDocument" -> {
                if (actual == null || !actual.isString()) {
                    throw mismatch(path, "$$matchAsDocument needs a JSON string", null, actual);
                }
                matchAt(path, arg, BsonDocument.parse(actual.asString().getValue()), false);
            }
            case "$$matchAsRoot" -> matchAt(path, arg, actual, true);
            default -> throw SkipTest.unsupported("runner: matching operator " + name);
        }
    }

    static boolean isOperator(BsonValue v) {
        return v != null && v.isDocument() && v.asDocument().size() == 1 && v.asDocument().getFirstKey().startsWith("$$");
    }

    private static boolean typeMatches(String alias, BsonType t) {
        return switch (alias) {
            case "double" -> t == BsonType.DOUBLE;
            case "string" -> t == BsonType.STRING;
            case "object" -> t == BsonType.DOCUMENT;
            case "array" -> t == BsonType.ARRAY;
            case "binData" -> t == BsonType.BINARY;
            case "undefined" -> t == BsonType.UNDEFINED;
            case "objectId" -> t == BsonType.OBJECT_ID;
            case "bool" -> t == BsonType.BOOLEAN;
            case "date" -> t == BsonType.DATE_TIME;
            case "null" -> t == BsonType.NULL;
            case "regex" -> t == BsonType.REGULAR_EXPRESSION;
            case "dbPointer" -> t == BsonType.DB_POINTER;
            case "javascript" -> t == BsonType.JAVASCRIPT;
            case "symbol" -> t == BsonType.SYMBOL;
            case "javascriptWithScope" -> t == BsonType.JAVASCRIPT_WITH_SCOPE;
            case "int" -> t == BsonType.INT32;
            case "timestamp" -> t == BsonType.TIMESTAMP;
            case "long" -> t == BsonType.INT64;
            case "decimal" -> t == BsonType.DECIMAL128;
            case "minKey" -> t == BsonType.MIN_KEY;
            case "maxKey" -> t == BsonType.MAX_KEY;
            case "number" -> t == BsonType.INT32 || t == BsonType.INT64 || t == BsonType.DOUBLE || t == BsonType.DECIMAL128;
            default -> throw new IllegalArgumentException("unknown $$type alias " + alias);
        };
    }

    /** Flexible numeric comparison (int32, int64 and double by value); everything else by type and value. */
    static boolean scalarEquals(BsonValue e, BsonValue a) {
        if (isFlexibleNumber(e) && isFlexibleNumber(a)) {
            if (e.isDouble() && Double.isNaN(e.asDouble().getValue()) || a.isDouble() && Double.isNaN(a.asDouble().getValue())) {
                return e.isDouble() && a.isDouble() && Double.isNaN(e.asDouble().getValue()) && Double.isNaN(a.asDouble().getValue());
            }
            if (e.isDouble() && Double.isInfinite(e.asDouble().getValue()) || a.isDouble() && Double.isInfinite(a.asDouble().getValue())) {
                return e.isDouble() && a.isDouble() && e.asDouble().getValue() == a.asDouble().getValue();
            }
            return toDecimal(e).compareTo(toDecimal(a)) == 0;
        }
        return e.getBsonType() == a.getBsonType() && e.equals(a);
    }

    private static boolean isFlexibleNumber(BsonValue v) {
        return v.isInt32() || v.isInt64() || v.isDouble();
    }

    private static BigDecimal toDecimal(BsonValue v) {
        return switch (v.getBsonType()) {
            case INT32 -> BigDecimal.valueOf(v.asInt32().getValue());
            case INT64 -> BigDecimal.valueOf(v.asInt64().getValue());
            case DOUBLE -> new BigDecimal(v.asDouble().getValue());
            case DECIMAL128 -> v.asDecimal128().getValue().bigDecimalValue();
            default -> throw new IllegalArgumentException("not a number: " + v);
        };
    }

    /**
     * Exact comparison used for {@code outcome}: same keys (in any order), same array lengths, same BSON types and
     * values. Returns a description of the first difference, or null when equal.
     */
    static String exactDifference(String path, BsonValue e, BsonValue a) {
        if (a == null) {
            return path + ": missing, expected " + show(e);
        }
        if (e.isDocument() && a.isDocument()) {
            BsonDocument ed = e.asDocument();
            BsonDocument ad = a.asDocument();
            for (Map.Entry<String, BsonValue> en : ed.entrySet()) {
                String d = exactDifference(path + "." + en.getKey(), en.getValue(), ad.get(en.getKey()));
                if (d != null) {
                    return d;
                }
            }
            for (String k : ad.keySet()) {
                if (!ed.containsKey(k)) {
                    return path + "." + k + ": unexpected extra field " + show(ad.get(k));
                }
            }
            return null;
        }
        if (e.isArray() && a.isArray()) {
            if (e.asArray().size() != a.asArray().size()) {
                return path + ": array length " + a.asArray().size() + " instead of " + e.asArray().size();
            }
            for (int i = 0; i < e.asArray().size(); i++) {
                String d = exactDifference(path + "[" + i + "]", e.asArray().get(i), a.asArray().get(i));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (e.getBsonType() != a.getBsonType()) {
            boolean sameNumber = isFlexibleNumber(e) && isFlexibleNumber(a) && scalarEquals(e, a);
            return path + ": " + (sameNumber ? "numeric type " : "type ") + a.getBsonType() + " instead of "
                    + e.getBsonType() + " (" + show(a) + " vs " + show(e) + ")";
        }
        return e.equals(a) ? null : path + ": " + show(a) + " instead of " + show(e);
    }

    private static AssertionError mismatch(String path, String what, BsonValue expected, BsonValue actual) {
        StringBuilder sb = new StringBuilder(path.isEmpty() ? "(root)" : path).append(": ").append(what);
        if (expected != null) {
            sb.append("; expected ").append(show(expected));
        }
        sb.append("; actual ").append(actual == null ? "(absent)" : show(actual));
        return new AssertionError(sb.toString());
    }

    static String show(BsonValue v) {
        if (v == null) {
            return "(absent)";
        }
        String s;
        if (v.isDocument()) {
            s = v.asDocument().toJson();
        } else {
            s = new BsonDocument("v", v).toJson();
            s = s.substring(s.indexOf(':') + 1, s.length() - 1).trim();
        }
        return s.length() > 160 ? s.substring(0, 157) + "..." : s;
    }
}
