package dev.argon.engine.aggregate;

import java.util.Iterator;
import java.util.Map;
import org.bson.BsonBinary;
import org.bson.BsonValue;

/**
 * Renders BSON the way MongoDB prints values inside error messages ({@code { a: 1, b: "x" }},
 * {@code ObjectId('...')}), so that messages match the server's text. Stateless.
 */
public final class BsonText {
    private BsonText() {}

    /** {@code name: value}, MongoDB's element form. */
    public static String element(String name, BsonValue value) {
        StringBuilder sb = new StringBuilder(name).append(": ");
        append(sb, value);
        return sb.toString();
    }

    public static String format(BsonValue v) {
        StringBuilder sb = new StringBuilder();
        append(sb, v);
        return sb.toString();
    }

    private static void append(StringBuilder sb, BsonValue v) {
        if (v == null) {
            sb.append("MISSING");
            return;
        }
        switch (v.getBsonType()) {
            case DOCUMENT: {
                if (v.asDocument().isEmpty()) {
                    sb.append("{}");
                    return;
                }
                sb.append("{ ");
                Iterator<Map.Entry<String, BsonValue>> it = v.asDocument().entrySet().iterator();
                while (it.hasNext()) {
                    Map.Entry<String, BsonValue> e = it.next();
                    sb.append(e.getKey()).append(": ");
                    append(sb, e.getValue());
                    if (it.hasNext()) {
                        sb.append(", ");
                    }
                }
                sb.append(" }");
                return;
            }
            case ARRAY: {
                if (v.asArray().isEmpty()) {
                    sb.append("[]");
                    return;
                }
                sb.append("[ ");
                Iterator<BsonValue> it = v.asArray().iterator();
                while (it.hasNext()) {
                    append(sb, it.next());
                    if (it.hasNext()) {
                        sb.append(", ");
                    }
                }
                sb.append(" ]");
                return;
            }
            case STRING: sb.append('"').append(v.asString().getValue()).append('"'); return;
            case SYMBOL: sb.append('"').append(v.asSymbol().getSymbol()).append('"'); return;
            case INT32: sb.append(v.asInt32().getValue()); return;
            case INT64: sb.append(v.asInt64().getValue()); return;
            case DOUBLE: sb.append(formatDouble(v.asDouble().getValue())); return;
            case DECIMAL128: sb.append("NumberDecimal(\"").append(v.asDecimal128().getValue()).append("\")"); return;
            case BOOLEAN: sb.append(v.asBoolean().getValue()); return;
            case NULL: sb.append("null"); return;
            case UNDEFINED: sb.append("undefined"); return;
            case OBJECT_ID: sb.append("ObjectId('").append(v.asObjectId().getValue().toHexString()).append("')"); return;
            case DATE_TIME: sb.append("new Date(").append(v.asDateTime().getValue()).append(')'); return;
            case TIMESTAMP:
                sb.append("Timestamp(").append(Integer.toUnsignedLong(v.asTimestamp().getTime())).append(", ")
                        .append(Integer.toUnsignedLong(v.asTimestamp().getInc())).append(')');
                return;
            case REGULAR_EXPRESSION:
                sb.append('/').append(v.asRegularExpression().getPattern()).append('/')
                        .append(v.asRegularExpression().getOptions());
                return;
            case BINARY: {
                BsonBinary b = v.asBinary();
                sb.append("BinData(").append(b.getType() & 0xff).append(", ");
                for (byte x : b.getData()) {
                    sb.append(Character.toUpperCase(Character.forDigit((x >> 4) & 0xf, 16)))
                            .append(Character.toUpperCase(Character.forDigit(x & 0xf, 16)));
                }
                sb.append(')');
                return;
            }
            case MIN_KEY: sb.append("MinKey"); return;
            case MAX_KEY: sb.append("MaxKey"); return;
            case JAVASCRIPT: sb.append(v.asJavaScript().getCode()); return;
            default: sb.append(v);
        }
    }

    /** Doubles print with a fractional part (1.0) and a C-style exponent (1e+20). */
    static String formatDouble(double d) {
        if (Double.isNaN(d)) {
            return "nan.0";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf.0" : "-inf.0";
        }
        String s = Double.toString(d);
        int e = s.indexOf('E');
        if (e < 0) {
            return s;
        }
        String mantissa = s.substring(0, e);
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        String exp = s.substring(e + 1);
        return mantissa + "e" + (exp.startsWith("-") ? exp : "+" + exp);
    }
}
