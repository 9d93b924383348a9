package dev.argon.engine.bson;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDbPointer;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonJavaScript;
import org.bson.BsonJavaScriptWithScope;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.bson.BsonSymbol;
import org.bson.BsonTimestamp;
import org.bson.BsonUndefined;
import org.bson.BsonValue;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * Random BSON values for property tests. Values are drawn from small pools on purpose, so that equal values of
 * different representations (1, 1L, 1.0, Decimal128("1.00"), a string and a symbol, ...) collide often and
 * neighbours (2^53 and 2^53 + 1, a double and the nearest Decimal128) meet each other.
 */
final class RandomBson {
    private static final String[] STRING_ATOMS = {
        "", "a", "b", "ab", "\0", "a\0", "\0\0", "\u0001", "z", "\u007f", "\u0080", "é", "\u07ff", "\u0800",
        "\ud7ff", "\ue000", "\uffff", "\ud83d\ude00", "\ud800\udc00", "\udbff\udfff", "\ud800", "\udc00",
    };
    private static final String[] KEYS = {"a", "b", "", "ab", "a\0", "é", "_id", "0", "1"};
    private static final ObjectId[] OIDS = {
        new ObjectId("000000000000000000000000"), new ObjectId("5f0000000000000000000001"),
        new ObjectId("ffffffffffffffffffffffff"), new ObjectId("7fffffffffffffffffffffff"),
    };

    private final Random random;

    RandomBson(long seed) {
        random = new Random(seed);
    }

    BsonValue value(int depth) {
        int kind = random.nextInt(depth > 0 ? 22 : 20);
        switch (kind) {
            case 0:
                return new BsonMinKey();
            case 1:
                return new BsonMaxKey();
            case 2:
                return BsonNull.VALUE;
            case 3:
                return new BsonUndefined();
            case 4:
            case 5:
            case 6:
            case 7:
                return number();
            case 8:
                return new BsonString(string());
            case 9:
                return new BsonSymbol(string());
            case 10: {
                byte[] data = new byte[random.nextInt(4)];
                for (int i = 0; i < data.length; i++) {
                    data[i] = (byte) (random.nextInt(3) * 127);
                }
                byte[] subtypes = {0, 4, 5, (byte) 0x80, (byte) 0xff};
                return new BsonBinary(subtypes[random.nextInt(subtypes.length)], data);
            }
            case 11:
                return new BsonObjectId(OIDS[random.nextInt(OIDS.length)]);
            case 12:
                return BsonBoolean.valueOf(random.nextBoolean());
            case 13: {
                long[] dates = {Long.MIN_VALUE, -1, 0, 1, 1_600_000_000_000L, Long.MAX_VALUE};
                return new BsonDateTime(dates[random.nextInt(dates.length)]);
            }
            case 14: {
                long[] ts = {0, 1, Long.MAX_VALUE, Long.MIN_VALUE, -1};
                return new BsonTimestamp(ts[random.nextInt(ts.length)]);
            }
            case 15: {
                String[] patterns = {"", "a", "a.*", "b", "\u00e9"};
                String[] options = {"", "i", "im", "s"};
                return new BsonRegularExpression(patterns[random.nextInt(patterns.length)],
                        options[random.nextInt(options.length)]);
            }
            case 16: {
                String[] ns = {"", "a", "db.c", "ab"};
                return new BsonDbPointer(ns[random.nextInt(ns.length)], OIDS[random.nextInt(OIDS.length)]);
            }
            case 17:
                return new BsonJavaScript(string());
            case 18:
                return new BsonJavaScriptWithScope(string(), new BsonDocument(KEYS[random.nextInt(3)], number()));
            case 19:
                return number();
            case 20:
                return document(depth - 1);
            default:
                return array(depth - 1);
        }
    }

    BsonDocument document(int depth) {
        BsonDocument doc = new BsonDocument();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            doc.put(KEYS[random.nextInt(KEYS.length)], value(depth));
        }
        return doc;
    }

    BsonArray array(int depth) {
        BsonArray array = new BsonArray();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            array.add(value(depth));
        }
        return array;
    }

    String string() {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            sb.append(STRING_ATOMS[random.nextInt(STRING_ATOMS.length)]);
        }
        return sb.toString();
    }

    BsonValue number() {
        BigDecimal magnitude = interestingMagnitude();
        switch (random.nextInt(9)) {
            case 0:
                return specialDouble();
            case 1:
                return specialDecimal();
            case 2:
                return new BsonDouble(Double.longBitsToDouble(random.nextLong()));
            default:
                return represent(random.nextBoolean() ? magnitude : magnitude.negate());
        }
    }

    /** The value in a randomly chosen numeric type that can hold it exactly, or a close neighbour. */
    private BsonValue represent(BigDecimal v) {
        switch (random.nextInt(4)) {
            case 0:
                try {
                    return new BsonInt32(v.intValueExact());
                } catch (ArithmeticException e) {
                    return represent(v);
                }
            case 1:
                try {
                    return new BsonInt64(v.longValueExact());
                } catch (ArithmeticException e) {
                    return new BsonDouble(v.doubleValue());
                }
            case 2:
                return new BsonDouble(v.doubleValue());
            default: {
                BigDecimal rounded = v.round(MathContext.DECIMAL128);
                if (random.nextInt(4) == 0 && rounded.signum() != 0) {
                    // The last of 34 digits nudged: a decimal a hair away from a double or long.
                    rounded = rounded.add(rounded.ulp().multiply(BigDecimal.valueOf(random.nextInt(3) - 1)));
                }
                if (random.nextBoolean()) {
                    rounded = rounded.setScale(Math.min(rounded.scale() + 2, 6000)); // trailing zeros
                }
                try {
                    return new BsonDecimal128(new Decimal128(rounded));
                } catch (NumberFormatException e) {
                    return new BsonDouble(v.doubleValue());
                }
            }
        }
    }

    private BigDecimal interestingMagnitude() {
        switch (random.nextInt(10)) {
            case 0:
                return BigDecimal.valueOf(random.nextInt(4));
            case 1:
                return BigDecimal.valueOf(1L << 53).add(BigDecimal.valueOf(random.nextInt(5) - 2));
            case 2:
                return BigDecimal.valueOf(Long.MAX_VALUE).subtract(BigDecimal.valueOf(random.nextInt(3000)));
            case 3:
                return new BigDecimal("9223372036854775808").add(BigDecimal.valueOf(random.nextInt(3) - 1));
            case 4:
                return new BigDecimal(random.nextInt(5) + "." + random.nextInt(10));
            case 5:
                return new BigDecimal(0.1 * random.nextInt(4));
            case 6:
                return new BigDecimal(Double.MAX_VALUE).add(BigDecimal.valueOf(random.nextInt(3) - 1)
                        .multiply(new BigDecimal("1E+290")));
            case 7:
                return new BigDecimal(Double.MIN_VALUE).multiply(BigDecimal.valueOf(random.nextInt(3) + 1))
                        .divide(BigDecimal.valueOf(2));
            case 8:
                return new BigDecimal("1E" + (random.nextInt(12000) - 6000));
            default:
                return BigDecimal.valueOf(random.nextLong() >>> random.nextInt(64));
        }
    }

    private BsonValue specialDouble() {
        double[] values = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
            Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 0x1p63, -0x1p63, 0x1p53,
            Math.nextUp(0x1p53), 0.1, 1.0, -1.0, 0.5};
        return new BsonDouble(values[random.nextInt(values.length)]);
    }

    private BsonValue specialDecimal() {
        Decimal128[] values = {Decimal128.NaN, Decimal128.NEGATIVE_NaN, Decimal128.POSITIVE_INFINITY,
            Decimal128.NEGATIVE_INFINITY, Decimal128.NEGATIVE_ZERO, Decimal128.POSITIVE_ZERO,
            Decimal128.parse("0E-10"), Decimal128.parse("-0E+10"), Decimal128.parse("1.0"), Decimal128.parse("0.1"),
            Decimal128.parse("9.999999999999999999999999999999999E+6144"), Decimal128.parse("1E-6176"),
            Decimal128.parse("-1E-6176"), Decimal128.parse("9223372036854775807"),
            Decimal128.parse("9223372036854775808"), Decimal128.parse("9007199254740993")};
        return new BsonDecimal128(values[random.nextInt(values.length)]);
    }
}
