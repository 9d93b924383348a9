package dev.argon.engine.query;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.bson.BsonValue;

/**
 * $regex: searches strings and symbols; a stored regular expression matches only if pattern and options are
 * identical. Patterns are PCRE in MongoDB and run here on {@link java.util.regex}, which agrees on the common
 * syntax; POSIX bracket classes such as {@code [[:alpha:]]} are translated. Immutable.
 */
final class RegexPredicate implements ValuePredicate {
    private final String pattern;
    private final String options;
    private final Pattern compiled;

    RegexPredicate(String pattern, String options) {
        if (pattern.indexOf('\0') >= 0) {
            throw new ArgonException(MongoErrorCode.BAD_VALUE,
                    "Regular expression cannot contain an embedded null byte");
        }
        this.pattern = pattern;
        this.options = sortedOptions(options);
        try {
            this.compiled = Pattern.compile(translatePosixClasses(pattern), flags(options));
        } catch (PatternSyntaxException e) {
            throw new ArgonException(MongoErrorCode.LOCATION_51091,
                    "Regular expression is invalid: " + e.getDescription());
        }
    }

    @Override
    public int test(BsonValue value) {
        if (value == null) {
            return NO_MATCH;
        }
        switch (value.getBsonType()) {
            case STRING:
                return ValuePredicate.result(compiled.matcher(value.asString().getValue()).find());
            case SYMBOL:
                return ValuePredicate.result(compiled.matcher(value.asSymbol().getSymbol()).find());
            case REGULAR_EXPRESSION:
                return ValuePredicate.result(pattern.equals(value.asRegularExpression().getPattern())
                        && options.equals(sortedOptions(value.asRegularExpression().getOptions())));
            default:
                return NO_MATCH;
        }
    }

    private static int flags(String options) {
        int flags = 0;
        for (int i = 0; i < options.length(); i++) {
            char c = options.charAt(i);
            switch (c) {
                case 'i':
                    flags |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
                    break;
                case 'm':
                    flags |= Pattern.MULTILINE;
                    break;
                case 's':
                    flags |= Pattern.DOTALL;
                    break;
                case 'x':
                    flags |= Pattern.COMMENTS;
                    break;
                case 'u':
                    // UTF-8 mode; Java strings are always Unicode.
                    break;
                default:
                    throw new ArgonException(MongoErrorCode.LOCATION_51108, "invalid flag in regex options: " + c);
            }
        }
        return flags;
    }

    /** The driver sorts option letters of stored regexes; sorting ours makes the identity test order-free. */
    private static String sortedOptions(String options) {
        char[] chars = options.toCharArray();
        Arrays.sort(chars);
        return new String(chars);
    }

    private static final String[][] POSIX_CLASSES = {
        {"[:alpha:]", "\\p{Alpha}"}, {"[:digit:]", "\\p{Digit}"}, {"[:alnum:]", "\\p{Alnum}"},
        {"[:upper:]", "\\p{Upper}"}, {"[:lower:]", "\\p{Lower}"}, {"[:space:]", "\\s"},
        {"[:punct:]", "\\p{Punct}"}, {"[:xdigit:]", "\\p{XDigit}"}, {"[:word:]", "\\w"},
        {"[:blank:]", "\\p{Blank}"}, {"[:cntrl:]", "\\p{Cntrl}"}, {"[:print:]", "\\p{Print}"},
        {"[:graph:]", "\\p{Graph}"},
    };

    private static String translatePosixClasses(String pattern) {
        if (!pattern.contains("[:")) {
            return pattern;
        }
        String out = pattern;
        for (String[] c : POSIX_CLASSES) {
            out = out.replace(c[0], c[1]);
        }
        return out;
    }
}
