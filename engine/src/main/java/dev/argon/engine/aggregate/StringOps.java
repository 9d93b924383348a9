package dev.argon.engine.aggregate;

import static dev.argon.engine.aggregate.Args.error;

import dev.argon.engine.MongoErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * String operators. Code-point operators (CP) count Unicode code points, byte operators count UTF-8
 * bytes, as in MongoDB. Regex operators live in {@link RegexOps}.
 */
final class StringOps {
    /** The characters $trim removes by default: MongoDB's list of Unicode whitespace and NUL. */
    private static final String DEFAULT_TRIM = "\u0000 \t\n\u000B\f\r\u00A0\u1680\u2000\u2001\u2002\u2003\u2004"
            + "\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000";

    private StringOps() {}

    static void register(Map<String, ExpressionParser.OperatorParser> ops) {
        ops.put("$concat", (a, s) -> concat(Args.list(a, s)));
        ops.put("$toLower", (a, s) -> caseOp("$toLower", a, s, x -> x.toLowerCase(Locale.ROOT)));
        ops.put("$toUpper", (a, s) -> caseOp("$toUpper", a, s, x -> x.toUpperCase(Locale.ROOT)));
        ops.put("$substrCP", (a, s) -> substr("$substrCP", Args.exactly("$substrCP", 3, a, s), true));
        ops.put("$substrBytes", (a, s) -> substr("$substrBytes", Args.exactly("$substrBytes", 3, a, s), false));
        ops.put("$substr", (a, s) -> substr("$substr", Args.exactly("$substr", 3, a, s), false));
        ops.put("$strLenCP", (a, s) -> strLen("$strLenCP", Args.exactly("$strLenCP", 1, a, s).get(0), true));
        ops.put("$strLenBytes", (a, s) -> strLen("$strLenBytes", Args.exactly("$strLenBytes", 1, a, s).get(0), false));
        ops.put("$split", (a, s) -> split(Args.exactly("$split", 2, a, s)));
        ops.put("$trim", (a, s) -> trim("$trim", a, s, true, true));
        ops.put("$ltrim", (a, s) -> trim("$ltrim", a, s, true, false));
        ops.put("$rtrim", (a, s) -> trim("$rtrim", a, s, false, true));
        ops.put("$indexOfCP", (a, s) -> indexOf("$indexOfCP", Args.between("$indexOfCP", 2, 4, a, s), true));
        ops.put("$indexOfBytes", (a, s) -> indexOf("$indexOfBytes", Args.between("$indexOfBytes", 2, 4, a, s), false));
        ops.put("$strcasecmp", (a, s) -> {
            List<Expression> args = Args.exactly("$strcasecmp", 2, a, s);
            return vars -> {
                String x = coerceToString("$strcasecmp", args.get(0).evaluate(vars)).toUpperCase(Locale.ROOT);
                String y = coerceToString("$strcasecmp", args.get(1).evaluate(vars)).toUpperCase(Locale.ROOT);
                return new BsonInt32(Integer.signum(x.compareTo(y)));
            };
        });
        ops.put("$replaceOne", (a, s) -> replace("$replaceOne", a, s, false));
        ops.put("$replaceAll", (a, s) -> replace("$replaceAll", a, s, true));
        RegexOps.register(ops);
    }

    /** MongoDB's implicit string conversion: nullish is "", numbers and dates are printed. */
    static String coerceToString(String op, BsonValue v) {
        if (Values.isNullish(v)) {
            return "";
        }
        switch (v.getBsonType()) {
            case STRING: return v.asString().getValue();
            case SYMBOL: return v.asSymbol().getSymbol();
            case INT32:
            case INT64:
            case DOUBLE:
            case DECIMAL128:
                return TypeOps.numberToString(v);
            case DATE_TIME: return DateOps.iso(v.asDateTime().getValue());
            case TIMESTAMP: return BsonText.format(v);
            case JAVASCRIPT: return v.asJavaScript().getCode();
            default:
                throw error(MongoErrorCode.LOCATION_16007,
                        "can't convert from BSON type " + Values.typeName(v) + " to String");
        }
    }

    private static Expression concat(List<Expression> args) {
        return vars -> {
            StringBuilder sb = new StringBuilder();
            for (Expression e : args) {
                BsonValue v = e.evaluate(vars);
                if (Values.isNullish(v)) {
                    return BsonNull.VALUE;
                }
                if (!v.isString()) {
                    throw error(MongoErrorCode.LOCATION_16702,
                            "$concat only supports strings, not " + Values.typeName(v));
                }
                sb.append(v.asString().getValue());
            }
            return new BsonString(sb.toString());
        };
    }

    private static Expression caseOp(String op, BsonValue a, Scope s, UnaryOperator<String> f) {
        Expression arg = Args.exactly(op, 1, a, s).get(0);
        return vars -> new BsonString(f.apply(coerceToString(op, arg.evaluate(vars))));
    }

    private static int intArg(String op, String what, BsonValue v, MongoErrorCode notNumber) {
        if (!Values.isNumber(v)) {
            throw error(notNumber, op + ": " + what + " must be a numeric type (is BSON type " + Values.typeName(v) + ")");
        }
        Long l = Values.exactLong(v);
        if (l == null) {
            double d = Arith.toDouble(v);
            if (Double.isNaN(d) || d >= 0x1p31 || d < -0x1p31) {
                throw error(notNumber, op + ": " + what + " cannot be represented as a 32-bit integral value");
            }
            return (int) d;
        }
        if (l > Integer.MAX_VALUE || l < Integer.MIN_VALUE) {
            throw error(notNumber, op + ": " + what + " cannot be represented as a 32-bit integral value");
        }
        return l.intValue();
    }

    private static Expression substr(String op, List<Expression> args, boolean codePoints) {
        return vars -> {
            String str = coerceToString(op, args.get(0).evaluate(vars));
            BsonValue startV = args.get(1).evaluate(vars);
            BsonValue lenV = args.get(2).evaluate(vars);
            int start = intArg(op, "starting index", startV, MongoErrorCode.LOCATION_34450);
            int len = intArg(op, "length", lenV, MongoErrorCode.LOCATION_34452);
            if (codePoints) {
                if (start < 0) {
                    throw error(MongoErrorCode.LOCATION_34455, op + ": starting index must be non-negative (got: "
                            + start + ")");
                }
                int n = str.codePointCount(0, str.length());
                if (start >= n) {
                    return new BsonString("");
                }
                int end = len < 0 || (long) start + len > n ? n : start + len;
                int from = str.offsetByCodePoints(0, start);
                int to = str.offsetByCodePoints(from, end - start);
                return new BsonString(str.substring(from, to));
            }
            byte[] bytes = str.getBytes(StandardCharsets.UTF_8);
            if (start < 0 || start >= bytes.length) {
                return new BsonString("");
            }
            int end = len < 0 || (long) start + len > bytes.length ? bytes.length : start + len;
            if (isContinuation(bytes, start) || (end < bytes.length && isContinuation(bytes, end))) {
                throw error(MongoErrorCode.LOCATION_28656, op + ":  Invalid range, "
                        + (isContinuation(bytes, start) ? "starting index" : "ending index") + " is a UTF-8 continuation byte.");
            }
            return new BsonString(new String(bytes, start, end - start, StandardCharsets.UTF_8));
        };
    }

    private static boolean isContinuation(byte[] b, int i) {
        return (b[i] & 0xC0) == 0x80;
    }

    private static Expression strLen(String op, Expression arg, boolean codePoints) {
        return vars -> {
            BsonValue v = arg.evaluate(vars);
            if (v == null || !v.isString()) {
                throw error(codePoints ? MongoErrorCode.LOCATION_34471 : MongoErrorCode.LOCATION_34473,
                        op + " requires a string argument, found: " + Values.typeName(v));
            }
            String str = v.asString().getValue();
            return new BsonInt32(codePoints ? str.codePointCount(0, str.length())
                    : str.getBytes(StandardCharsets.UTF_8).length);
        };
    }

    private static Expression split(List<Expression> args) {
        return vars -> {
            BsonValue input = args.get(0).evaluate(vars);
            BsonValue sep = args.get(1).evaluate(vars);
            if (Values.isNullish(input) || Values.isNullish(sep)) {
                return BsonNull.VALUE;
            }
            if (!input.isString()) {
                throw error(MongoErrorCode.LOCATION_16154,
                        "$split requires an expression that evaluates to a string as a first argument, found: "
                                + Values.typeName(input));
            }
            if (!sep.isString()) {
                throw error(MongoErrorCode.LOCATION_16155,
                        "$split requires an expression that evaluates to a string as a second argument, found: "
                                + Values.typeName(sep));
            }
            String str = input.asString().getValue();
            String d = sep.asString().getValue();
            if (d.isEmpty()) {
                throw error(MongoErrorCode.LOCATION_40087, "$split requires a non-empty separator");
            }
            BsonArray out = new BsonArray();
            int from = 0;
            int at;
            while ((at = str.indexOf(d, from)) >= 0) {
                out.add(new BsonString(str.substring(from, at)));
                from = at + d.length();
            }
            out.add(new BsonString(str.substring(from)));
            return out;
        };
    }

    private static Expression trim(String op, BsonValue a, Scope s, boolean left, boolean right) {
        if (!a.isDocument()) {
            throw error(MongoErrorCode.LOCATION_50696, op + " only supports an object as its argument, found: "
                    + Values.typeName(a));
        }
        BsonDocument d = a.asDocument();
        for (String k : d.keySet()) {
            if (!k.equals("input") && !k.equals("chars")) {
                throw error(MongoErrorCode.LOCATION_50694, op + " found an unknown argument: " + k);
            }
        }
        if (!d.containsKey("input")) {
            throw error(MongoErrorCode.LOCATION_50695, op + " requires an 'input' field");
        }
        Expression input = ExpressionParser.parse(d.get("input"), s);
        Expression chars = Args.optional(d, "chars", s);
        return vars -> {
            BsonValue in = input.evaluate(vars);
            if (Values.isNullish(in)) {
                return BsonNull.VALUE;
            }
            if (!in.isString()) {
                throw error(MongoErrorCode.LOCATION_50699, op + " requires its input to be a string, got "
                        + BsonText.format(in) + " (of type " + Values.typeName(in) + ") instead.");
            }
            String set = DEFAULT_TRIM;
            if (chars != null) {
                BsonValue c = chars.evaluate(vars);
                if (Values.isNullish(c)) {
                    return BsonNull.VALUE;
                }
                if (!c.isString()) {
                    throw error(MongoErrorCode.LOCATION_50700, op + " requires 'chars' to be a string, got "
                            + BsonText.format(c) + " (of type " + Values.typeName(c) + ") instead.");
                }
                set = c.asString().getValue();
            }
            String str = in.asString().getValue();
            int from = 0;
            int to = str.length();
            if (left) {
                while (from < to) {
                    int cp = str.codePointAt(from);
                    if (!containsCodePoint(set, cp)) {
                        break;
                    }
                    from += Character.charCount(cp);
                }
            }
            if (right) {
                while (to > from) {
                    int cp = str.codePointBefore(to);
                    if (!containsCodePoint(set, cp)) {
                        break;
                    }
                    to -= Character.charCount(cp);
                }
            }
            return new BsonString(str.substring(from, to));
        };
    }

    private static boolean containsCodePoint(String set, int cp) {
        return set.indexOf(cp) >= 0;
    }

    private static Expression indexOf(String op, List<Expression> args, boolean codePoints) {
        return vars -> {
            BsonValue strV = args.get(0).evaluate(vars);
            if (Values.isNullish(strV)) {
                return BsonNull.VALUE;
            }
            if (!strV.isString()) {
                throw error(MongoErrorCode.LOCATION_40091, op + " requires a string as the first argument, found: "
                        + Values.typeName(strV));
            }
            BsonValue subV = args.get(1).evaluate(vars);
            if (subV == null || !subV.isString()) {
                throw error(MongoErrorCode.LOCATION_40092, op + " requires a string as the second argument, found: "
                        + Values.typeName(subV));
            }
            String str = strV.asString().getValue();
            String sub = subV.asString().getValue();
            byte[] bytes = codePoints ? null : str.getBytes(StandardCharsets.UTF_8);
            int length = codePoints ? str.codePointCount(0, str.length()) : bytes.length;
            int start = 0;
            int end = length;
            if (args.size() > 2) {
                start = boundArg(op, "starting index", args.get(2).evaluate(vars));
            }
            if (args.size() > 3) {
                end = Math.min(length, boundArg(op, "ending index", args.get(3).evaluate(vars)));
            }
            if (start > end || start > length) {
                return new BsonInt32(-1);
            }
            if (codePoints) {
                int from = str.offsetByCodePoints(0, start);
                int to = str.offsetByCodePoints(0, end);
                int at = str.substring(0, to).indexOf(sub, from);
                return new BsonInt32(at < 0 ? -1 : str.codePointCount(0, at));
            }
            byte[] needle = sub.getBytes(StandardCharsets.UTF_8);
            outer:
            for (int i = start; i + needle.length <= end; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (bytes[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return new BsonInt32(i);
            }
            return new BsonInt32(-1);
        };
    }

    private static int boundArg(String op, String what, BsonValue v) {
        Integer i = Values.exactInt(v);
        if (i == null) {
            throw error(MongoErrorCode.LOCATION_40096, op + " requires an integral " + what + ", found a value of type: "
                    + Values.typeName(v) + ", with value: " + BsonText.format(v));
        }
        if (i < 0) {
            throw error(MongoErrorCode.LOCATION_40097, op + " requires a nonnegative " + what + ", found: " + i);
        }
        return i;
    }

    private static final Set<String> REPLACE_ARGS = Set.of("input", "find", "replacement");

    private static Expression replace(String op, BsonValue a, Scope s, boolean all) {
        BsonDocument d = Args.object(op, a, REPLACE_ARGS, MongoErrorCode.LOCATION_51751, MongoErrorCode.LOCATION_51750);
        Expression input = Args.required(op, d, "input", s, MongoErrorCode.LOCATION_51749);
        Expression find = Args.required(op, d, "find", s, MongoErrorCode.LOCATION_51748);
        Expression replacement = Args.required(op, d, "replacement", s, MongoErrorCode.LOCATION_51747);
        return vars -> {
            BsonValue in = input.evaluate(vars);
            BsonValue f = find.evaluate(vars);
            BsonValue r = replacement.evaluate(vars);
            checkString(op, "input", in);
            checkString(op, "find", f);
            checkString(op, "replacement", r);
            if (Values.isNullish(in) || Values.isNullish(f) || Values.isNullish(r)) {
                return BsonNull.VALUE;
            }
            String str = in.asString().getValue();
            String target = f.asString().getValue();
            String with = r.asString().getValue();
            if (all) {
                return new BsonString(str.replace(target, with));
            }
            int at = str.indexOf(target);
            return at < 0 ? in : new BsonString(str.substring(0, at) + with + str.substring(at + target.length()));
        };
    }

    private static void checkString(String op, String what, BsonValue v) {
        if (!Values.isNullish(v) && !v.isString()) {
            throw error(MongoErrorCode.LOCATION_51746, op + " requires that '" + what + "' be a string, found: "
                    + BsonText.format(v));
        }
    }
}
