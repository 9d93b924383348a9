package dev.argon.engine.aggregate;

import static dev.argon.engine.aggregate.Args.error;

import dev.argon.engine.MongoErrorCode;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/** $type $isNumber and the conversions $convert $toString $toInt $toLong $toDouble $toDecimal $toBool ... */
final class TypeOps {
    private static final Set<String> CONVERT_ARGS = Set.of("input", "to", "onError", "onNull");

    private TypeOps() {}

    static void register(Map<String, ExpressionParser.OperatorParser> ops) {
        ops.put("$type", (a, s) -> {
            Expression arg = Args.exactly("$type", 1, a, s).get(0);
            return vars -> new BsonString(Values.typeName(arg.evaluate(vars)));
        });
        ops.put("$isNumber", (a, s) -> {
            Expression arg = Args.exactly("$isNumber", 1, a, s).get(0);
            return vars -> BsonBoolean.valueOf(Values.isNumber(arg.evaluate(vars)));
        });
        shortcut(ops, "$toString", BsonType.STRING);
        shortcut(ops, "$toInt", BsonType.INT32);
        shortcut(ops, "$toLong", BsonType.INT64);
        shortcut(ops, "$toDouble", BsonType.DOUBLE);
        shortcut(ops, "$toDecimal", BsonType.DECIMAL128);
        shortcut(ops, "$toBool", BsonType.BOOLEAN);
        shortcut(ops, "$toObjectId", BsonType.OBJECT_ID);
        shortcut(ops, "$toDate", BsonType.DATE_TIME);
        ops.put("$convert", TypeOps::convert);
    }

    private static void shortcut(Map<String, ExpressionParser.OperatorParser> ops, String name, BsonType to) {
        ops.put(name, (a, s) -> {
            Expression arg = Args.exactly(name, 1, a, s).get(0);
            return vars -> {
                BsonValue v = arg.evaluate(vars);
                return Values.isNullish(v) ? BsonNull.VALUE : convertValue(v, to);
            };
        });
    }

    private static Expression convert(BsonValue a, Scope s) {
        if (!a.isDocument()) {
            throw error(MongoErrorCode.FAILED_TO_PARSE, "$convert expects an object of named arguments but found: "
                    + Values.typeName(a));
        }
        BsonDocument d = a.asDocument();
        for (String k : d.keySet()) {
            if (!CONVERT_ARGS.contains(k)) {
                throw error(MongoErrorCode.FAILED_TO_PARSE, "$convert found an unknown argument: " + k);
            }
        }
        Expression input = Args.required("$convert", d, "input", s, MongoErrorCode.FAILED_TO_PARSE);
        Expression to = Args.required("$convert", d, "to", s, MongoErrorCode.FAILED_TO_PARSE);
        Expression onError = Args.optional(d, "onError", s);
        Expression onNull = Args.optional(d, "onNull", s);
        return vars -> {
            BsonValue in = input.evaluate(vars);
            BsonValue target = to.evaluate(vars);
            if (Values.isNullish(target)) {
                return BsonNull.VALUE;
            }
            BsonType type = targetType(target);
            if (Values.isNullish(in)) {
                return onNull == null ? BsonNull.VALUE : onNull.evaluate(vars);
            }
            if (onError == null) {
                return convertValue(in, type);
            }
            try {
                return convertValue(in, type);
            } catch (dev.argon.engine.ArgonException e) {
                if (e.error() != MongoErrorCode.CONVERSION_FAILURE) {
                    throw e;
                }
                return onError.evaluate(vars);
            }
        };
    }

    private static BsonType targetType(BsonValue target) {
        if (target.isString()) {
            switch (target.asString().getValue()) {
                case "double": return BsonType.DOUBLE;
                case "string": return BsonType.STRING;
                case "objectId": return BsonType.OBJECT_ID;
                case "bool": return BsonType.BOOLEAN;
                case "date": return BsonType.DATE_TIME;
                case "int": return BsonType.INT32;
                case "long": return BsonType.INT64;
                case "decimal": return BsonType.DECIMAL128;
                default:
                    throw error(MongoErrorCode.BAD_VALUE, "Unknown type name: " + target.asString().getValue());
            }
        }
        Integer code = Values.exactInt(target);
        if (code != null) {
            for (BsonType t : new BsonType[] {BsonType.DOUBLE, BsonType.STRING, BsonType.OBJECT_ID, BsonType.BOOLEAN,
                BsonType.DATE_TIME, BsonType.INT32, BsonType.INT64, BsonType.DECIMAL128}) {
                if (t.getValue() == code) {
                    return t;
                }
            }
            throw error(MongoErrorCode.FAILED_TO_PARSE, "In $convert, numeric value for 'to' does not correspond to a BSON type: "
                    + code);
        }
        throw error(MongoErrorCode.FAILED_TO_PARSE, "$convert's 'to' argument must be a string or number, but is "
                + Values.typeName(target));
    }

    private static dev.argon.engine.ArgonException unsupported(BsonValue v, BsonType to) {
        return error(MongoErrorCode.CONVERSION_FAILURE, "Unsupported conversion from " + Values.typeName(v) + " to "
                + Values.typeName(to) + " in $convert with no onError value");
    }

    private static dev.argon.engine.ArgonException overflow(BsonValue v) {
        return error(MongoErrorCode.CONVERSION_FAILURE,
                "Conversion would overflow target type in $convert with no onError value: " + BsonText.format(v));
    }

    /** Converts a non-null value; failures throw ConversionFailure (241). */
    static BsonValue convertValue(BsonValue v, BsonType to) {
        if (v.getBsonType() == to) {
            return v;
        }
        switch (to) {
            case STRING: return new BsonString(toStringValue(v));
            case BOOLEAN: return BsonBoolean.valueOf(toBool(v));
            case INT32: {
                long l = toLongValue(v, to);
                if (l != (int) l) {
                    throw overflow(v);
                }
                return new BsonInt32((int) l);
            }
            case INT64: return new BsonInt64(toLongValue(v, to));
            case DOUBLE: return new BsonDouble(toDoubleValue(v));
            case DECIMAL128: return toDecimalValue(v);
            case OBJECT_ID: {
                if (!v.isString()) {
                    throw unsupported(v, to);
                }
                String s = v.asString().getValue();
                if (s.length() != 24) {
                    throw error(MongoErrorCode.CONVERSION_FAILURE, "Failed to parse objectId '" + s
                            + "' in $convert with no onError value: Invalid string length for parsing to OID, expected 24 but found "
                            + s.length());
                }
                if (!ObjectId.isValid(s)) {
                    throw error(MongoErrorCode.CONVERSION_FAILURE, "Failed to parse objectId '" + s
                            + "' in $convert with no onError value: Invalid character found in hex string");
                }
                return new BsonObjectId(new ObjectId(s));
            }
            case DATE_TIME: return toDate(v);
            default: throw unsupported(v, to);
        }
    }

    private static String toStringValue(BsonValue v) {
        switch (v.getBsonType()) {
            case INT32:
            case INT64:
            case DOUBLE:
            case DECIMAL128:
                return numberToString(v);
            case BOOLEAN: return Boolean.toString(v.asBoolean().getValue());
            case OBJECT_ID: return v.asObjectId().getValue().toHexString();
            case DATE_TIME: return DateOps.iso(v.asDateTime().getValue());
            case SYMBOL: return v.asSymbol().getSymbol();
            case JAVASCRIPT: return v.asJavaScript().getCode();
            default: throw unsupported(v, BsonType.STRING);
        }
    }

    /** MongoDB prints whole doubles without a fraction and uses C-style exponents. */
    static String numberToString(BsonValue v) {
        switch (v.getBsonType()) {
            case INT32: return Integer.toString(v.asInt32().getValue());
            case INT64: return Long.toString(v.asInt64().getValue());
            case DECIMAL128: return v.asDecimal128().getValue().toString();
            default: {
                double d = v.asDouble().getValue();
                if (Double.isNaN(d)) {
                    return "NaN";
                }
                if (Double.isInfinite(d)) {
                    return d > 0 ? "Infinity" : "-Infinity";
                }
                if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                    return d == 0 && 1 / d < 0 ? "-0" : Long.toString((long) d);
                }
                String s = BsonText.formatDouble(d);
                return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
            }
        }
    }

    private static boolean toBool(BsonValue v) {
        switch (v.getBsonType()) {
            case INT32:
            case INT64:
            case DOUBLE:
            case DECIMAL128:
                return Values.isTruthy(v);
            default:
                return true;
        }
    }

    private static long toLongValue(BsonValue v, BsonType to) {
        switch (v.getBsonType()) {
            case INT32: return v.asInt32().getValue();
            case INT64: return v.asInt64().getValue();
            case BOOLEAN: return v.asBoolean().getValue() ? 1 : 0;
            case DOUBLE: {
                double d = v.asDouble().getValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw error(MongoErrorCode.CONVERSION_FAILURE, "Attempt to convert "
                            + (Double.isNaN(d) ? "NaN" : "infinity") + " value to integer type in $convert with no onError value");
                }
                if (d >= 0x1p63 || d < -0x1p63) {
                    throw overflow(v);
                }
                return (long) d;
            }
            case DECIMAL128: {
                BigDecimal b = Values.decimalValue(v.asDecimal128().getValue());
                if (b == null) {
                    throw error(MongoErrorCode.CONVERSION_FAILURE,
                            "Attempt to convert NaN or infinity value to integer type in $convert with no onError value");
                }
                BigDecimal t = b.setScale(0, java.math.RoundingMode.DOWN);
                if (t.toBigInteger().bitLength() > 63) {
                    throw overflow(v);
                }
                return t.longValueExact();
            }
            case DATE_TIME:
                if (to == BsonType.INT64) {
                    return v.asDateTime().getValue();
                }
                throw unsupported(v, to);
            case STRING: {
                String s = v.asString().getValue();
                try {
                    if (s.isEmpty() || s.startsWith("+") || Character.isWhitespace(s.charAt(0))) {
                        throw new NumberFormatException();
                    }
                    long l = Long.parseLong(s);
                    if (to == BsonType.INT32 && l != (int) l) {
                        throw error(MongoErrorCode.CONVERSION_FAILURE, "Failed to parse number '" + s
                                + "' in $convert with no onError value: Overflow");
                    }
                    return l;
                } catch (NumberFormatException e) {
                    throw parseFailure(s);
                }
            }
            default: throw unsupported(v, to);
        }
    }

    private static dev.argon.engine.ArgonException parseFailure(String s) {
        return error(MongoErrorCode.CONVERSION_FAILURE, "Failed to parse number '" + s
                + "' in $convert with no onError value: Did not consume whole string.");
    }

    private static double toDoubleValue(BsonValue v) {
        switch (v.getBsonType()) {
            case INT32:
            case INT64:
            case DOUBLE:
                return v.asNumber().doubleValue();
            case DECIMAL128: return v.asDecimal128().getValue().doubleValue();
            case BOOLEAN: return v.asBoolean().getValue() ? 1 : 0;
            case DATE_TIME: return v.asDateTime().getValue();
            case STRING: {
                String s = v.asString().getValue();
                if (!s.matches("[-]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?|[-]?(Infinity|inf|NaN|nan)")) {
                    throw parseFailure(s);
                }
                String n = s.replace("inf", "Infinity").replace("nan", "NaN");
                return Double.parseDouble(n);
            }
            default: throw unsupported(v, BsonType.DOUBLE);
        }
    }

    private static BsonValue toDecimalValue(BsonValue v) {
        switch (v.getBsonType()) {
            case INT32:
            case INT64:
            case DOUBLE:
                return Arith.toBigDecimal(v) == null ? Arith.decimalFromDouble(v.asDouble().getValue())
                        : Arith.decimal(Arith.toBigDecimal(v));
            case BOOLEAN: return new BsonDecimal128(new Decimal128(v.asBoolean().getValue() ? 1 : 0));
            case DATE_TIME: return new BsonDecimal128(new Decimal128(v.asDateTime().getValue()));
            case STRING: {
                String s = v.asString().getValue();
                try {
                    return new BsonDecimal128(Decimal128.parse(s));
                } catch (NumberFormatException e) {
                    throw parseFailure(s);
                }
            }
            default: throw unsupported(v, BsonType.DECIMAL128);
        }
    }

    private static BsonValue toDate(BsonValue v) {
        switch (v.getBsonType()) {
            case INT64: return new BsonDateTime(v.asInt64().getValue());
            case DOUBLE: {
                double d = v.asDouble().getValue();
                if (Double.isNaN(d) || Double.isInfinite(d) || d >= 0x1p63 || d < -0x1p63) {
                    throw overflow(v);
                }
                return new BsonDateTime((long) d);
            }
            case DECIMAL128: return new BsonDateTime(toLongValue(v, BsonType.INT64));
            case OBJECT_ID: return new BsonDateTime(v.asObjectId().getValue().getTimestamp() * 1000L);
            case TIMESTAMP: return new BsonDateTime(Integer.toUnsignedLong(v.asTimestamp().getTime()) * 1000L);
            case STRING: {
                Long millis = DateOps.parseIso(v.asString().getValue());
                if (millis == null) {
                    throw error(MongoErrorCode.CONVERSION_FAILURE, "Error parsing date string '"
                            + v.asString().getValue() + "'");
                }
                return new BsonDateTime(millis);
            }
            default: throw unsupported(v, BsonType.DATE_TIME);
        }
    }
}
