package dev.argon.engine.aggregate;

import static dev.argon.engine.aggregate.Args.error;

import dev.argon.engine.MongoErrorCode;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;

/** $regexMatch, $regexFind and $regexFindAll, using java.util.regex for MongoDB's PCRE patterns. */
final class RegexOps {
    private static final Set<String> ARGS = Set.of("input", "regex", "options");

    private enum Mode { MATCH, FIND, FIND_ALL }

    private RegexOps() {}

    static void register(Map<String, ExpressionParser.OperatorParser> ops) {
        ops.put("$regexMatch", (a, s) -> parse("$regexMatch", a, s, Mode.MATCH));
        ops.put("$regexFind", (a, s) -> parse("$regexFind", a, s, Mode.FIND));
        ops.put("$regexFindAll", (a, s) -> parse("$regexFindAll", a, s, Mode.FIND_ALL));
    }

    private static Expression parse(String op, BsonValue a, Scope s, Mode mode) {
        if (!a.isDocument()) {
            throw error(MongoErrorCode.LOCATION_51103, op + " expects an object of named arguments but found: "
                    + Values.typeName(a));
        }
        BsonDocument d = a.asDocument();
        for (String k : d.keySet()) {
            if (!ARGS.contains(k)) {
                throw error(MongoErrorCode.LOCATION_31024, op + " found an unknown argument: " + k);
            }
        }
        Expression input = Args.required(op, d, "input", s, MongoErrorCode.LOCATION_31022);
        Expression regex = Args.required(op, d, "regex", s, MongoErrorCode.LOCATION_31023);
        Expression options = Args.optional(d, "options", s);
        return vars -> {
            BsonValue in = input.evaluate(vars);
            BsonValue re = regex.evaluate(vars);
            BsonValue opt = options == null ? null : options.evaluate(vars);
            if (!Values.isNullish(in) && !in.isString()) {
                throw error(MongoErrorCode.LOCATION_51104, op + " needs 'input' to be of type string");
            }
            Pattern p = pattern(op, re, opt);
            if (p == null || Values.isNullish(in)) {
                return mode == Mode.MATCH ? BsonBoolean.FALSE : mode == Mode.FIND ? BsonNull.VALUE : new BsonArray();
            }
            String str = in.asString().getValue();
            java.util.regex.Matcher m = p.matcher(str);
            if (mode == Mode.MATCH) {
                return BsonBoolean.valueOf(m.find());
            }
            if (mode == Mode.FIND) {
                return m.find() ? result(str, m) : BsonNull.VALUE;
            }
            BsonArray out = new BsonArray();
            int from = 0;
            while (from <= str.length() && m.find(from)) {
                out.add(result(str, m));
                from = m.end() > m.start() ? m.end()
                        : m.end() < str.length() ? m.end() + Character.charCount(str.codePointAt(m.end())) : str.length() + 1;
            }
            return out;
        };
    }

    private static BsonDocument result(String str, java.util.regex.Matcher m) {
        BsonArray captures = new BsonArray();
        for (int g = 1; g <= m.groupCount(); g++) {
            String c = m.group(g);
            captures.add(c == null ? BsonNull.VALUE : new BsonString(c));
        }
        BsonDocument out = new BsonDocument("match", new BsonString(m.group()));
        out.put("idx", new BsonInt32(str.codePointCount(0, m.start())));
        out.put("captures", captures);
        return out;
    }

    /** Null when the regex is nullish (the result is then "no match"). */
    private static Pattern pattern(String op, BsonValue re, BsonValue opt) {
        if (Values.isNullish(re)) {
            return null;
        }
        String source;
        String flags = "";
        if (re.isRegularExpression()) {
            source = re.asRegularExpression().getPattern();
            flags = re.asRegularExpression().getOptions();
            if (!flags.isEmpty() && !Values.isNullish(opt)) {
                throw error(MongoErrorCode.LOCATION_51075,
                        op + ": regex option(s) specified in both 'regex' and 'option' fields");
            }
        } else if (re.isString()) {
            source = re.asString().getValue();
        } else {
            throw error(MongoErrorCode.LOCATION_51105, op + " needs 'regex' to be of type string or regex");
        }
        if (!Values.isNullish(opt)) {
            if (!opt.isString()) {
                throw error(MongoErrorCode.LOCATION_51106, op + " needs 'options' to be of type string");
            }
            flags = opt.asString().getValue();
        }
        return compile(op, source, flags);
    }

    static Pattern compile(String op, String source, String flags) {
        int f = 0;
        for (char c : flags.toCharArray()) {
            switch (c) {
                case 'i': f |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE; break;
                case 'm': f |= Pattern.MULTILINE; break;
                case 's': f |= Pattern.DOTALL; break;
                case 'x': f |= Pattern.COMMENTS; break;
                case 'u': f |= Pattern.UNICODE_CASE; break;
                default:
                    throw error(MongoErrorCode.LOCATION_51108, op + " invalid flag in regex options: " + c);
            }
        }
        try {
            return Pattern.compile(source, f);
        } catch (PatternSyntaxException e) {
            throw error(MongoErrorCode.LOCATION_51111, "Invalid Regex in " + op + ": " + e.getDescription());
        }
    }
}
