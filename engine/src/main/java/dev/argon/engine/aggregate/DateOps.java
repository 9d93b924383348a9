package dev.argon.engine.aggregate;

import static dev.argon.engine.aggregate.Args.error;

import dev.argon.engine.MongoErrorCode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;

/** Date part extraction, $dateToString, $dateFromString, $dateAdd, $dateSubtract and $dateDiff. */
final class DateOps {
    static final String DEFAULT_FORMAT = "%Y-%m-%dT%H:%M:%S.%LZ";
    private static final Pattern ISO = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})(?:[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?)?\\s*(Z|[+-]\\d{2}(?::?\\d{2})?)?");
    private static final Set<String> DATE_PART_ARGS = Set.of("date", "timezone");

    private DateOps() {}

    static void register(Map<String, ExpressionParser.OperatorParser> ops) {
        part(ops, "$year", ZonedDateTime::getYear);
        part(ops, "$month", ZonedDateTime::getMonthValue);
        part(ops, "$dayOfMonth", ZonedDateTime::getDayOfMonth);
        part(ops, "$hour", ZonedDateTime::getHour);
        part(ops, "$minute", ZonedDateTime::getMinute);
        part(ops, "$second", ZonedDateTime::getSecond);
        part(ops, "$millisecond", z -> z.getNano() / 1_000_000);
        part(ops, "$dayOfYear", ZonedDateTime::getDayOfYear);
        part(ops, "$dayOfWeek", z -> z.getDayOfWeek().getValue() % 7 + 1);
        part(ops, "$week", DateOps::sundayWeek);
        part(ops, "$isoWeek", z -> z.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        part(ops, "$isoWeekYear", z -> z.get(IsoFields.WEEK_BASED_YEAR));
        part(ops, "$isoDayOfWeek", z -> z.getDayOfWeek().getValue());
        ops.put("$dateToString", DateOps::dateToString);
        ops.put("$dateFromString", DateOps::dateFromString);
        ops.put("$dateAdd", (a, s) -> dateAdd("$dateAdd", a, s, 1));
        ops.put("$dateSubtract", (a, s) -> dateAdd("$dateSubtract", a, s, -1));
        ops.put("$dateDiff", DateOps::dateDiff);
    }

    /** Week of the year with weeks starting on Sunday; days before the first Sunday are week 0. */
    private static int sundayWeek(ZonedDateTime z) {
        int yday = z.getDayOfYear() - 1;
        int wday = z.getDayOfWeek().getValue() % 7;
        return (yday + 7 - wday) / 7;
    }

    private static void part(Map<String, ExpressionParser.OperatorParser> ops, String name, ToIntFunction<ZonedDateTime> f) {
        ops.put(name, (a, s) -> {
            Expression date;
            Expression tz = null;
            if (a.isDocument() && !ExpressionParser.isOperator(a) && !a.asDocument().isEmpty()) {
                BsonDocument d = a.asDocument();
                for (String k : d.keySet()) {
                    if (!DATE_PART_ARGS.contains(k)) {
                        throw error(MongoErrorCode.LOCATION_40535, "unrecognized option to " + name + ": \"" + k + "\"");
                    }
                }
                date = Args.required(name, d, "date", s, MongoErrorCode.LOCATION_40539);
                tz = Args.optional(d, "timezone", s);
            } else {
                date = Args.exactly(name, 1, a, s).get(0);
            }
            Expression zone = tz;
            return vars -> {
                BsonValue v = date.evaluate(vars);
                if (Values.isNullish(v)) {
                    return BsonNull.VALUE;
                }
                ZoneId z = ZoneOffset.UTC;
                if (zone != null) {
                    BsonValue zv = zone.evaluate(vars);
                    if (Values.isNullish(zv)) {
                        return BsonNull.VALUE;
                    }
                    z = zone(zv);
                }
                return new BsonInt32(f.applyAsInt(zoned(millis(v), z)));
            };
        });
    }

    /** Milliseconds since the epoch of a date, timestamp or ObjectId. */
    static long millis(BsonValue v) {
        switch (v.getBsonType()) {
            case DATE_TIME: return v.asDateTime().getValue();
            case TIMESTAMP: return Integer.toUnsignedLong(v.asTimestamp().getTime()) * 1000L;
            case OBJECT_ID: return v.asObjectId().getValue().getTimestamp() * 1000L;
            default:
                throw error(MongoErrorCode.LOCATION_16006, "can't convert from BSON type " + Values.typeName(v) + " to Date");
        }
    }

    static ZonedDateTime zoned(long millis, ZoneId zone) {
        return Instant.ofEpochMilli(millis).atZone(zone);
    }

    static ZoneId zone(BsonValue v) {
        if (!v.isString()) {
            throw error(MongoErrorCode.LOCATION_40517, "timezone must evaluate to a string, found " + Values.typeName(v));
        }
        String id = v.asString().getValue();
        try {
            if (id.startsWith("+") || id.startsWith("-")) {
                String digits = id.substring(1).replace(":", "");
                int hours;
                int minutes = 0;
                if (digits.length() == 2) {
                    hours = Integer.parseInt(digits);
                } else if (digits.length() == 4) {
                    hours = Integer.parseInt(digits.substring(0, 2));
                    minutes = Integer.parseInt(digits.substring(2));
                } else {
                    throw new DateTimeException(id);
                }
                int sign = id.charAt(0) == '-' ? -1 : 1;
                return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
            }
            if (id.equals("UTC") || id.equals("GMT") || id.equals("Z")) {
                return ZoneOffset.UTC;
            }
            return ZoneId.of(id);
        } catch (DateTimeException | NumberFormatException e) {
            throw error(MongoErrorCode.LOCATION_40485, "unrecognized time zone identifier: \"" + id + "\"");
        }
    }

    static String iso(long millis) {
        return format(DEFAULT_FORMAT, zoned(millis, ZoneOffset.UTC));
    }

    private static Expression dateToString(BsonValue a, Scope s) {
        if (!a.isDocument()) {
            throw error(MongoErrorCode.LOCATION_18629, "$dateToString only supports an object as its argument");
        }
        BsonDocument d = a.asDocument();
        for (String k : d.keySet()) {
            if (!Set.of("date", "format", "timezone", "onNull").contains(k)) {
                throw error(MongoErrorCode.LOCATION_18534, "Unrecognized argument to $dateToString: " + k);
            }
        }
        Expression date = Args.required("$dateToString", d, "date", s, MongoErrorCode.LOCATION_18628);
        Expression format = Args.optional(d, "format", s);
        Expression tz = Args.optional(d, "timezone", s);
        Expression onNull = Args.optional(d, "onNull", s);
        if (d.containsKey("format") && d.get("format").isString()) {
            validateFormat(d.getString("format").getValue());
        }
        return vars -> {
            String fmt = DEFAULT_FORMAT;
            if (format != null) {
                BsonValue f = format.evaluate(vars);
                if (Values.isNullish(f)) {
                    return BsonNull.VALUE;
                }
                if (!f.isString()) {
                    throw error(MongoErrorCode.LOCATION_18533, "$dateToString requires that 'format' be a string, found: "
                            + Values.typeName(f) + " with value " + BsonText.format(f));
                }
                fmt = f.asString().getValue();
                validateFormat(fmt);
            }
            ZoneId zone = ZoneOffset.UTC;
            if (tz != null) {
                BsonValue z = tz.evaluate(vars);
                if (Values.isNullish(z)) {
                    return BsonNull.VALUE;
                }
                zone = zone(z);
            }
            BsonValue v = date.evaluate(vars);
            if (Values.isNullish(v)) {
                return onNull == null ? BsonNull.VALUE : onNull.evaluate(vars);
            }
            return new BsonString(format(fmt, zoned(millis(v), zone)));
        };
    }

    private static void validateFormat(String fmt) {
        for (int i = 0; i < fmt.length(); i++) {
            if (fmt.charAt(i) != '%') {
                continue;
            }
            if (i + 1 >= fmt.length()) {
                throw error(MongoErrorCode.LOCATION_18535, "Unmatched '%' at end of format string");
            }
            char c = fmt.charAt(++i);
            if ("dGHjLmMSwuUVYzZ%bB".indexOf(c) < 0) {
                throw error(MongoErrorCode.LOCATION_18536, "Invalid format character '%" + c + "' in format string");
            }
        }
    }

    static String format(String fmt, ZonedDateTime z) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%') {
                sb.append(c);
                continue;
            }
            char f = fmt.charAt(++i);
            switch (f) {
                case 'd': pad(sb, z.getDayOfMonth(), 2); break;
                case 'G': pad(sb, z.get(IsoFields.WEEK_BASED_YEAR), 4); break;
                case 'H': pad(sb, z.getHour(), 2); break;
                case 'j': pad(sb, z.getDayOfYear(), 3); break;
                case 'L': pad(sb, z.getNano() / 1_000_000, 3); break;
                case 'm': pad(sb, z.getMonthValue(), 2); break;
                case 'M': pad(sb, z.getMinute(), 2); break;
                case 'S': pad(sb, z.getSecond(), 2); break;
                case 'w': sb.append(z.getDayOfWeek().getValue() % 7 + 1); break;
                case 'u': sb.append(z.getDayOfWeek().getValue()); break;
                case 'U': pad(sb, sundayWeek(z), 2); break;
                case 'V': pad(sb, z.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2); break;
                case 'Y': pad(sb, z.getYear(), 4); break;
                case 'z': {
                    int secs = z.getOffset().getTotalSeconds();
                    sb.append(secs < 0 ? '-' : '+');
                    pad(sb, Math.abs(secs) / 3600, 2);
                    pad(sb, Math.abs(secs) / 60 % 60, 2);
                    break;
                }
                case 'Z': {
                    int minutes = z.getOffset().getTotalSeconds() / 60;
                    sb.append(minutes < 0 ? "-" : "+").append(Math.abs(minutes));
                    break;
                }
                case 'b': sb.append(z.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH)); break;
                case 'B': sb.append(z.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH)); break;
                default: sb.append(f);
            }
        }
        return sb.toString();
    }

    private static void pad(StringBuilder sb, int v, int width) {
        String s = Integer.toString(v);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        sb.append(s);
    }

    /** ISO-8601 style strings as MongoDB accepts them without a format; null if unparseable. */
    static Long parseIso(String s) {
        Matcher m = ISO.matcher(s.trim());
        if (!m.matches()) {
            return null;
        }
        try {
            LocalDate date = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
            LocalTime time = LocalTime.MIDNIGHT;
            if (m.group(4) != null) {
                int nanos = 0;
                if (m.group(7) != null) {
                    String frac = (m.group(7) + "000000000").substring(0, 9);
                    nanos = Integer.parseInt(frac);
                }
                time = LocalTime.of(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                        m.group(6) == null ? 0 : Integer.parseInt(m.group(6)), nanos);
            }
            ZoneId zone = m.group(8) == null ? ZoneOffset.UTC : zone(new BsonString(m.group(8)));
            return LocalDateTime.of(date, time).atZone(zone).toInstant().toEpochMilli();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static Expression dateFromString(BsonValue a, Scope s) {
        if (!a.isDocument()) {
            throw error(MongoErrorCode.LOCATION_40540, "$dateFromString only supports an object as an argument, found: "
                    + Values.typeName(a));
        }
        BsonDocument d = a.asDocument();
        for (String k : d.keySet()) {
            if (!Set.of("dateString", "timezone", "onError", "onNull", "format").contains(k)) {
                throw error(MongoErrorCode.LOCATION_40541, "Unrecognized argument to $dateFromString: " + k);
            }
        }
        if (d.containsKey("format")) {
            throw error(MongoErrorCode.NOT_IMPLEMENTED, "$dateFromString with a 'format' is not supported");
        }
        Expression str = Args.required("$dateFromString", d, "dateString", s, MongoErrorCode.LOCATION_40542);
        Expression tz = Args.optional(d, "timezone", s);
        Expression onError = Args.optional(d, "onError", s);
        Expression onNull = Args.optional(d, "onNull", s);
        return vars -> {
            BsonValue v = str.evaluate(vars);
            if (Values.isNullish(v)) {
                return onNull == null ? BsonNull.VALUE : onNull.evaluate(vars);
            }
            try {
                if (!v.isString()) {
                    throw error(MongoErrorCode.CONVERSION_FAILURE, "$dateFromString requires that 'dateString' be a string, found: "
                            + Values.typeName(v) + " with value " + BsonText.format(v));
                }
                String text = v.asString().getValue();
                Long millis = parseIso(text);
                if (millis == null) {
                    throw error(MongoErrorCode.CONVERSION_FAILURE, "Error parsing date string '" + text + "'");
                }
                if (tz != null && !hasZone(text)) {
                    BsonValue z = tz.evaluate(vars);
                    if (Values.isNullish(z)) {
                        return BsonNull.VALUE;
                    }
                    ZoneId zone = zone(z);
                    LocalDateTime local = LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
                    millis = local.atZone(zone).toInstant().toEpochMilli();
                }
                return new BsonDateTime(millis);
            } catch (dev.argon.engine.ArgonException e) {
                if (onError == null || e.error() != MongoErrorCode.CONVERSION_FAILURE) {
                    throw e;
                }
                return onError.evaluate(vars);
            }
        };
    }

    private static boolean hasZone(String text) {
        Matcher m = ISO.matcher(text.trim());
        return m.matches() && m.group(8) != null;
    }

    /** ChronoUnit has no quarter, so CENTURIES stands for "quarter" inside this class. */
    private static ChronoUnit unit(BsonValue v, String op) {
        if (v == null || !v.isString()) {
            throw error(MongoErrorCode.FAILED_TO_PARSE, op + " requires 'unit' to be a string, but got "
                    + Values.typeName(v));
        }
        switch (v.asString().getValue()) {
            case "year": return ChronoUnit.YEARS;
            case "quarter": return ChronoUnit.CENTURIES;
            case "month": return ChronoUnit.MONTHS;
            case "week": return ChronoUnit.WEEKS;
            case "day": return ChronoUnit.DAYS;
            case "hour": return ChronoUnit.HOURS;
            case "minute": return ChronoUnit.MINUTES;
            case "second": return ChronoUnit.SECONDS;
            case "millisecond": return ChronoUnit.MILLIS;
            default:
                throw error(MongoErrorCode.FAILED_TO_PARSE, op + " parameter 'unit' value parsing failed :: caused by :: unknown time unit value: "
                        + v.asString().getValue());
        }
    }

    private static Expression dateAdd(String op, BsonValue a, Scope s, int sign) {
        BsonDocument d = Args.object(op, a, Set.of("startDate", "unit", "amount", "timezone"),
                MongoErrorCode.FAILED_TO_PARSE, MongoErrorCode.FAILED_TO_PARSE);
        Expression start = Args.required(op, d, "startDate", s, MongoErrorCode.FAILED_TO_PARSE);
        Expression unitE = Args.required(op, d, "unit", s, MongoErrorCode.FAILED_TO_PARSE);
        Expression amountE = Args.required(op, d, "amount", s, MongoErrorCode.FAILED_TO_PARSE);
        Expression tz = Args.optional(d, "timezone", s);
        return vars -> {
            BsonValue sv = start.evaluate(vars);
            BsonValue uv = unitE.evaluate(vars);
            BsonValue av = amountE.evaluate(vars);
            BsonValue zv = tz == null ? null : tz.evaluate(vars);
            if (Values.isNullish(sv) || Values.isNullish(uv) || Values.isNullish(av) || (tz != null && Values.isNullish(zv))) {
                return BsonNull.VALUE;
            }
            ChronoUnit unit = unit(uv, op);
            Long amount = Values.exactLong(av);
            if (amount == null) {
                throw error(MongoErrorCode.BAD_VALUE, op + " expects integer amount of time units");
            }
            ZonedDateTime z = zoned(millis(sv), zv == null ? ZoneOffset.UTC : zone(zv));
            long n = sign * amount;
            ZonedDateTime r;
            if (unit == ChronoUnit.CENTURIES) {
                r = z.plusMonths(3 * n);
            } else if (unit.isDateBased()) {
                r = z.plus(n, unit);
            } else {
                r = z.toInstant().plus(n, unit).atZone(z.getZone());
            }
            return new BsonDateTime(r.toInstant().toEpochMilli());
        };
    }

    private static Expression dateDiff(BsonValue a, Scope s) {
        String op = "$dateDiff";
        BsonDocument d = Args.object(op, a, Set.of("startDate", "endDate", "unit", "timezone", "startOfWeek"),
                MongoErrorCode.FAILED_TO_PARSE, MongoErrorCode.FAILED_TO_PARSE);
        Expression start = Args.required(op, d, "startDate", s, MongoErrorCode.FAILED_TO_PARSE);
        Expression end = Args.required(op, d, "endDate", s, MongoErrorCode.FAILED_TO_PARSE);
        Expression unitE = Args.required(op, d, "unit", s, MongoErrorCode.FAILED_TO_PARSE);
        Expression tz = Args.optional(d, "timezone", s);
        return vars -> {
            BsonValue sv = start.evaluate(vars);
            BsonValue ev = end.evaluate(vars);
            BsonValue uv = unitE.evaluate(vars);
            BsonValue zv = tz == null ? null : tz.evaluate(vars);
            if (Values.isNullish(sv) || Values.isNullish(ev) || Values.isNullish(uv) || (tz != null && Values.isNullish(zv))) {
                return BsonNull.VALUE;
            }
            ChronoUnit unit = unit(uv, op);
            ZoneId zone = zv == null ? ZoneOffset.UTC : zone(zv);
            ZonedDateTime x = zoned(millis(sv), zone);
            ZonedDateTime y = zoned(millis(ev), zone);
            long diff;
            switch (unit) {
                case YEARS: diff = y.getYear() - x.getYear(); break;
                case CENTURIES: diff = quarter(y) - quarter(x); break;
                case MONTHS: diff = (y.getYear() * 12L + y.getMonthValue()) - (x.getYear() * 12L + x.getMonthValue()); break;
                case WEEKS: {
                    LocalDate xs = x.toLocalDate().minusDays(x.getDayOfWeek().getValue() % 7);
                    LocalDate ys = y.toLocalDate().minusDays(y.getDayOfWeek().getValue() % 7);
                    diff = ChronoUnit.WEEKS.between(xs, ys);
                    break;
                }
                case DAYS: diff = y.toLocalDate().toEpochDay() - x.toLocalDate().toEpochDay(); break;
                default: {
                    long ms = unitMillis(unit);
                    diff = Math.floorDiv(millis(ev) + y.getOffset().getTotalSeconds() * 1000L, ms)
                            - Math.floorDiv(millis(sv) + x.getOffset().getTotalSeconds() * 1000L, ms);
                }
            }
            return new BsonInt64(diff);
        };
    }

    private static long quarter(ZonedDateTime z) {
        return z.getYear() * 4L + (z.getMonthValue() - 1) / 3;
    }

    private static long unitMillis(ChronoUnit u) {
        switch (u) {
            case HOURS: return 3_600_000L;
            case MINUTES: return 60_000L;
            case SECONDS: return 1000L;
            default: return 1L;
        }
    }
}
