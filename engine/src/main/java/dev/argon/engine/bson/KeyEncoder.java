package dev.argon.engine.bson;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

/**
 * Order-preserving byte encoding of BSON values: {@code unsigned-bytes(encode(a)) <=> unsigned-bytes(encode(b))}
 * agrees with {@link BsonOrder#compare} for every pair of values. Encodings are self-delimiting, so a
 * concatenation (compound key) also sorts correctly and no encoding is a proper prefix of another.
 * Values that compare equal encode to identical bytes (1, 1L, 1.0 and Decimal128("1.0"); null and undefined;
 * a string and a symbol with the same text). Stateless and thread-safe.
 *
 * <p>Layout: one type byte per canonical type, then a body that sorts within the type.
 * <ul>
 * <li>Numbers: a class byte (NaN, -Inf, negative beyond double range, negative, negative below the smallest
 * double, zero, and the mirror images, +Inf), then for values in double range the 8 bytes of the value truncated
 * toward zero to a double, followed by 0x00 if that double is exact or 0x01 and the decimal remainder otherwise
 * (so every Int64 and every Decimal128 keeps its exact value). Outside double range the magnitude is written as
 * a decimal exponent and digit pairs. Negative magnitudes are complemented so larger magnitudes sort first.</li>
 * <li>Strings: UTF-8 of the code points, 0x00 escaped as 0x00 0xFF, terminated by 0x00 0x00.</li>
 * <li>Documents: per element the value's type byte, the escaped field name, the value's body; then 0x00.
 * Arrays: per element type byte and body; then 0x00. Type bytes are never 0x00, so shorter sorts first.</li>
 * <li>Binary: 4-byte length, subtype, bytes. Fixed-width types (ObjectId, bool, date, timestamp) big-endian,
 * signed ones with the sign bit flipped.</li>
 * </ul>
 * A descending component is the bitwise complement of its ascending bytes; complementing keeps the set of
 * encodings prefix-free and reverses their order.
 */
public final class KeyEncoder {
    private static final byte T_MIN_KEY = 0x05;
    private static final byte T_NULL = 0x0A;
    private static final byte T_NUMBER = 0x14;
    private static final byte T_STRING = 0x1E;
    private static final byte T_DOCUMENT = 0x28;
    private static final byte T_ARRAY = 0x32;
    private static final byte T_BINARY = 0x3C;
    private static final byte T_OBJECT_ID = 0x46;
    private static final byte T_BOOLEAN = 0x50;
    private static final byte T_DATE = 0x5A;
    private static final byte T_TIMESTAMP = 0x5F;
    private static final byte T_REGEX = 0x64;
    private static final byte T_DB_POINTER = 0x6E;
    private static final byte T_JAVASCRIPT = 0x78;
    private static final byte T_JAVASCRIPT_WITH_SCOPE = (byte) 0x82;
    private static final byte T_MAX_KEY = (byte) 0xF0;

    private static final byte END = 0x00;

    private static final byte N_NAN = 0x01;
    private static final byte N_NEG_INFINITY = 0x02;
    private static final byte N_NEG_HUGE = 0x03;
    private static final byte N_NEG = 0x04;
    private static final byte N_NEG_TINY = 0x05;
    private static final byte N_ZERO = 0x06;
    private static final byte N_POS_TINY = 0x07;
    private static final byte N_POS = 0x08;
    private static final byte N_POS_HUGE = 0x09;
    private static final byte N_POS_INFINITY = 0x0A;

    private static final byte EXACT = 0x00;
    private static final byte INEXACT = 0x01;

    private static final BigDecimal MAX_DOUBLE = new BigDecimal(Double.MAX_VALUE);
    private static final BigDecimal MIN_DOUBLE = new BigDecimal(Double.MIN_VALUE);

    private KeyEncoder() {}

    /** Encodes one value ascending. */
    public static byte[] encode(BsonValue value) {
        ByteSink out = new ByteSink(16);
        writeValue(out, value);
        return out.toByteArray();
    }

    /** Encodes one value, complemented when descending. */
    public static byte[] encode(BsonValue value, boolean descending) {
        ByteSink out = new ByteSink(16);
        writeValue(out, value);
        if (descending) {
            out.complement(0);
        }
        return out.toByteArray();
    }

    /** Encodes a compound key; descending[i] complements the bytes of component i (descending may be null). */
    public static byte[] encodeCompound(List<BsonValue> values, boolean[] descending) {
        if (descending != null && descending.length != values.size()) {
            throw new IllegalArgumentException(
                    "descending has " + descending.length + " entries for " + values.size() + " values");
        }
        ByteSink out = new ByteSink(16 * Math.max(1, values.size()));
        for (int i = 0; i < values.size(); i++) {
            int start = out.size();
            writeValue(out, values.get(i));
            if (descending != null && descending[i]) {
                out.complement(start);
            }
        }
        return out.toByteArray();
    }

    /**
     * The offset just past the one encoded value that starts at {@code offset} (complemented when
     * {@code descending}): how a reader finds where a compound key ends and the {@code _id} after it begins.
     */
    public static int skip(byte[] b, int offset, boolean descending) {
        return new Skipper(b, descending ? (byte) 0xFF : 0).value(offset);
    }

    /** Walks the layout above without decoding; {@code flip} undoes a descending component's complement. */
    private record Skipper(byte[] b, byte flip) {
        private byte at(int i) {
            return (byte) (b[i] ^ flip);
        }

        int value(int i) {
            return body(at(i), i + 1);
        }

        int body(byte type, int i) {
            switch (type) {
                case T_MIN_KEY, T_NULL, T_MAX_KEY:
                    return i;
                case T_NUMBER:
                    return number(i);
                case T_STRING, T_JAVASCRIPT:
                    return string(i);
                case T_DOCUMENT:
                    return document(i);
                case T_ARRAY:
                    while (at(i) != END) {
                        i = value(i);
                    }
                    return i + 1;
                case T_BINARY:
                    return i + 5 + readInt(i);
                case T_OBJECT_ID:
                    return i + 12;
                case T_BOOLEAN:
                    return i + 1;
                case T_DATE, T_TIMESTAMP:
                    return i + 8;
                case T_REGEX:
                    return string(string(i));
                case T_DB_POINTER:
                    return i + 4 + readInt(i) + 12;
                case T_JAVASCRIPT_WITH_SCOPE:
                    return document(string(i));
                default:
                    throw new IllegalArgumentException("not an encoded key at offset " + (i - 1));
            }
        }

        private int readInt(int i) {
            return ((at(i) & 0xFF) << 24) | ((at(i + 1) & 0xFF) << 16) | ((at(i + 2) & 0xFF) << 8) | (at(i + 3) & 0xFF);
        }

        private int string(int i) {
            while (true) {
                byte x = at(i++);
                if (x == 0) {
                    if (at(i++) == 0) {
                        return i;
                    }
                }
            }
        }

        private int document(int i) {
            while (true) {
                byte t = at(i++);
                if (t == END) {
                    return i;
                }
                i = body(t, string(i));
            }
        }

        private int number(int i) {
            byte cls = at(i++);
            // A negative magnitude's bytes are complemented once more after the class byte.
            byte neg = (cls == N_NEG || cls == N_NEG_HUGE || cls == N_NEG_TINY) ? (byte) 0xFF : 0;
            switch (cls) {
                case N_NEG, N_POS: {
                    i += 8;
                    byte exact = (byte) (at(i++) ^ neg);
                    return exact == EXACT ? i : digits(i, neg);
                }
                case N_NEG_HUGE, N_POS_HUGE, N_NEG_TINY, N_POS_TINY:
                    return digits(i, neg);
                default:
                    return i;
            }
        }

        private int digits(int i, byte neg) {
            i += 2;
            while ((byte) (at(i++) ^ neg) != END) {
                // digit pairs are never 0x00
            }
            return i;
        }
    }

    private static void writeValue(ByteSink out, BsonValue v) {
        out.write(typeByte(v));
        writeBody(out, v);
    }

    private static byte typeByte(BsonValue v) {
        switch (v.getBsonType()) {
            case MIN_KEY:
                return T_MIN_KEY;
            case NULL:
            case UNDEFINED:
                return T_NULL;
            case INT32:
            case INT64:
            case DOUBLE:
            case DECIMAL128:
                return T_NUMBER;
            case STRING:
            case SYMBOL:
                return T_STRING;
            case DOCUMENT:
                return T_DOCUMENT;
            case ARRAY:
                return T_ARRAY;
            case BINARY:
                return T_BINARY;
            case OBJECT_ID:
                return T_OBJECT_ID;
            case BOOLEAN:
                return T_BOOLEAN;
            case DATE_TIME:
                return T_DATE;
            case TIMESTAMP:
                return T_TIMESTAMP;
            case REGULAR_EXPRESSION:
                return T_REGEX;
            case DB_POINTER:
                return T_DB_POINTER;
            case JAVASCRIPT:
                return T_JAVASCRIPT;
            case JAVASCRIPT_WITH_SCOPE:
                return T_JAVASCRIPT_WITH_SCOPE;
            case MAX_KEY:
                return T_MAX_KEY;
            default:
                throw new IllegalArgumentException("cannot encode BSON type " + v.getBsonType());
        }
    }

    private static void writeBody(ByteSink out, BsonValue v) {
        switch (v.getBsonType()) {
            case MIN_KEY:
            case NULL:
            case UNDEFINED:
            case MAX_KEY:
                return;
            case INT32:
                writeLong(out, v.asInt32().getValue());
                return;
            case INT64:
                writeLong(out, v.asInt64().getValue());
                return;
            case DOUBLE:
                writeDouble(out, v.asDouble().getValue());
                return;
            case DECIMAL128:
                writeDecimal(out, v.asDecimal128().getValue());
                return;
            case STRING:
            case SYMBOL:
                writeString(out, BsonOrder.stringValue(v));
                return;
            case DOCUMENT:
                writeDocumentBody(out, v.asDocument());
                return;
            case ARRAY:
                for (BsonValue e : v.asArray().getValues()) {
                    writeValue(out, e);
                }
                out.write(END);
                return;
            case BINARY: {
                BsonBinary bin = v.asBinary();
                byte[] data = bin.getData();
                out.writeInt(data.length);
                out.write(bin.getType());
                out.write(data);
                return;
            }
            case OBJECT_ID:
                out.write(v.asObjectId().getValue().toByteArray());
                return;
            case BOOLEAN:
                out.write((byte) (v.asBoolean().getValue() ? 1 : 0));
                return;
            case DATE_TIME:
                out.writeLong(v.asDateTime().getValue() ^ Long.MIN_VALUE);
                return;
            case TIMESTAMP:
                out.writeLong(v.asTimestamp().getValue());
                return;
            case REGULAR_EXPRESSION:
                writeString(out, v.asRegularExpression().getPattern());
                writeString(out, v.asRegularExpression().getOptions());
                return;
            case DB_POINTER: {
                byte[] ns = v.asDBPointer().getNamespace().getBytes(StandardCharsets.UTF_8);
                out.writeInt(ns.length);
                out.write(ns);
                out.write(v.asDBPointer().getId().toByteArray());
                return;
            }
            case JAVASCRIPT:
                writeString(out, v.asJavaScript().getCode());
                return;
            case JAVASCRIPT_WITH_SCOPE:
                writeString(out, v.asJavaScriptWithScope().getCode());
                writeDocumentBody(out, v.asJavaScriptWithScope().getScope());
                return;
            default:
                throw new IllegalArgumentException("cannot encode BSON type " + v.getBsonType());
        }
    }

    private static void writeDocumentBody(ByteSink out, BsonDocument doc) {
        for (Map.Entry<String, BsonValue> e : doc.entrySet()) {
            out.write(typeByte(e.getValue()));
            writeString(out, e.getKey());
            writeBody(out, e.getValue());
        }
        out.write(END);
    }

    /**
     * UTF-8 of each code point (a lone surrogate is written as its own 3-byte sequence so that the byte order
     * stays the code point order {@link BsonOrder#compareStrings} uses), 0x00 escaped, 0x00 0x00 at the end.
     */
    private static void writeString(ByteSink out, String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == 0) {
                out.write((byte) 0x00);
                out.write((byte) 0xFF);
            } else if (cp < 0x80) {
                out.write((byte) cp);
            } else if (cp < 0x800) {
                out.write((byte) (0xC0 | (cp >> 6)));
                out.write((byte) (0x80 | (cp & 0x3F)));
            } else if (cp < 0x10000) {
                out.write((byte) (0xE0 | (cp >> 12)));
                out.write((byte) (0x80 | ((cp >> 6) & 0x3F)));
                out.write((byte) (0x80 | (cp & 0x3F)));
            } else {
                out.write((byte) (0xF0 | (cp >> 18)));
                out.write((byte) (0x80 | ((cp >> 12) & 0x3F)));
                out.write((byte) (0x80 | ((cp >> 6) & 0x3F)));
                out.write((byte) (0x80 | (cp & 0x3F)));
            }
        }
        out.write((byte) 0x00);
        out.write((byte) 0x00);
    }

    // ---- numbers ----

    private static void writeLong(ByteSink out, long l) {
        if (l == 0) {
            out.write(N_ZERO);
            return;
        }
        boolean negative = l < 0;
        long m = negative ? -l : l; // Long.MIN_VALUE stays 0x8000..., read as unsigned 2^63
        if (m > 0 && m <= (1L << 53)) {
            writeInRange(out, negative, (double) m, null);
            return;
        }
        int shift = (63 - Long.numberOfLeadingZeros(m)) - 52;
        long truncated = (m >>> shift) << shift;
        long remainder = m - truncated;
        double d = truncated < 0 ? 0x1p63 : (double) truncated;
        writeInRange(out, negative, d, remainder == 0 ? null : BigDecimal.valueOf(remainder));
    }

    private static void writeDouble(ByteSink out, double d) {
        if (Double.isNaN(d)) {
            out.write(N_NAN);
        } else if (d == Double.POSITIVE_INFINITY) {
            out.write(N_POS_INFINITY);
        } else if (d == Double.NEGATIVE_INFINITY) {
            out.write(N_NEG_INFINITY);
        } else if (d == 0) {
            out.write(N_ZERO);
        } else {
            writeInRange(out, d < 0, Math.abs(d), null);
        }
    }

    private static void writeDecimal(ByteSink out, Decimal128 dec) {
        if (dec.isNaN()) {
            out.write(N_NAN);
            return;
        }
        if (dec.isInfinite()) {
            out.write(dec.isNegative() ? N_NEG_INFINITY : N_POS_INFINITY);
            return;
        }
        BigDecimal value = Numbers.decimalValue(dec);
        if (value.signum() == 0) {
            out.write(N_ZERO);
            return;
        }
        boolean negative = value.signum() < 0;
        BigDecimal m = value.abs();
        if (m.compareTo(MAX_DOUBLE) > 0) {
            writeOutOfRange(out, negative ? N_NEG_HUGE : N_POS_HUGE, negative, m);
        } else if (m.compareTo(MIN_DOUBLE) < 0) {
            writeOutOfRange(out, negative ? N_NEG_TINY : N_POS_TINY, negative, m);
        } else {
            double d = truncateToDouble(m);
            BigDecimal remainder = m.subtract(new BigDecimal(d));
            writeInRange(out, negative, d, remainder.signum() == 0 ? null : remainder);
        }
    }

    /** The largest double not above m, for MIN_VALUE &lt;= m &lt;= MAX_VALUE. */
    private static double truncateToDouble(BigDecimal m) {
        double d = m.doubleValue();
        while (new BigDecimal(d).compareTo(m) > 0) {
            d = Math.nextDown(d);
        }
        while (true) {
            double up = Math.nextUp(d);
            if (Double.isInfinite(up) || new BigDecimal(up).compareTo(m) > 0) {
                return d;
            }
            d = up;
        }
    }

    /** magnitude = d + remainder exactly, d &gt; 0 the magnitude truncated to a double. */
    private static void writeInRange(ByteSink out, boolean negative, double d, BigDecimal remainder) {
        out.write(negative ? N_NEG : N_POS);
        int start = out.size();
        out.writeLong(Double.doubleToRawLongBits(d)); // positive doubles sort like their bits
        if (remainder == null) {
            out.write(EXACT);
        } else {
            out.write(INEXACT);
            writeDecimalDigits(out, remainder);
        }
        if (negative) {
            out.complement(start);
        }
    }

    private static void writeOutOfRange(ByteSink out, byte tag, boolean negative, BigDecimal magnitude) {
        out.write(tag);
        int start = out.size();
        writeDecimalDigits(out, magnitude);
        if (negative) {
            out.complement(start);
        }
    }

    /**
     * A positive decimal as 0.d1d2d3... x 10^e with d1 != 0 and no trailing zeros: two bytes of exponent, then
     * digit pairs as 1 + 11*first + (second + 1), a missing second digit as 0, then 0x00. Larger exponent means
     * larger value, and with equal exponents the digit strings compare lexicographically with a prefix first.
     */
    private static void writeDecimalDigits(ByteSink out, BigDecimal v) {
        BigDecimal stripped = v.stripTrailingZeros();
        String digits = stripped.unscaledValue().toString();
        int exponent = digits.length() - stripped.scale();
        if (exponent < -32768 || exponent > 32767) {
            throw new IllegalArgumentException("decimal exponent out of range: " + exponent);
        }
        out.write((byte) ((exponent + 0x8000) >>> 8));
        out.write((byte) (exponent + 0x8000));
        for (int i = 0; i < digits.length(); i += 2) {
            int first = digits.charAt(i) - '0';
            int second = i + 1 < digits.length() ? digits.charAt(i + 1) - '0' + 1 : 0;
            out.write((byte) (1 + 11 * first + second));
        }
        out.write(END);
    }

    /** A growable byte buffer; a tiny local class keeps encoding allocation-light. */
    private static final class ByteSink {
        private byte[] buf;
        private int size;

        ByteSink(int capacity) {
            buf = new byte[capacity];
        }

        int size() {
            return size;
        }

        void write(byte b) {
            ensure(1);
            buf[size++] = b;
        }

        void write(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, size, bytes.length);
            size += bytes.length;
        }

        void writeInt(int v) {
            ensure(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                buf[size++] = (byte) (v >>> shift);
            }
        }

        void writeLong(long v) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buf[size++] = (byte) (v >>> shift);
            }
        }

        void complement(int from) {
            for (int i = from; i < size; i++) {
                buf[i] = (byte) ~buf[i];
            }
        }

        byte[] toByteArray() {
            byte[] out = new byte[size];
            System.arraycopy(buf, 0, out, 0, size);
            return out;
        }

        private void ensure(int extra) {
            if (size + extra > buf.length) {
                byte[] bigger = new byte[Math.max(buf.length * 2, size + extra)];
                System.arraycopy(buf, 0, bigger, 0, size);
                buf = bigger;
            }
        }
    }
}
