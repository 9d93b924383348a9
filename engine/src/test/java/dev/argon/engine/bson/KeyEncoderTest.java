package dev.argon.engine.bson;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonSymbol;
import org.bson.BsonUndefined;
import org.bson.BsonValue;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;

class KeyEncoderTest {
    private static final int PAIRS = 200_000;

    static BsonDocument json(String s) {
        return BsonDocument.parse(s);
    }

    private static int sign(int x) {
        return Integer.signum(x);
    }

    private static int byteOrder(byte[] a, byte[] b) {
        return sign(Arrays.compareUnsigned(a, b));
    }

    private static boolean isProperPrefix(byte[] a, byte[] b) {
        return a.length < b.length && Arrays.equals(a, 0, a.length, b, 0, a.length);
    }

    @Test
    void byteOrderAgreesWithBsonOrderForRandomPairs() {
        RandomBson gen = new RandomBson(20240601L);
        for (int i = 0; i < PAIRS; i++) {
            BsonValue a = gen.value(3);
            BsonValue b = gen.value(3);
            byte[] ea = KeyEncoder.encode(a);
            byte[] eb = KeyEncoder.encode(b);
            int expected = sign(BsonOrder.compare(a, b));
            assertEquals(expected, byteOrder(ea, eb), () -> "order of " + a + " vs " + b);
            assertEquals(-expected, sign(BsonOrder.compare(b, a)), () -> "antisymmetry of " + a + " vs " + b);
            if (expected == 0) {
                assertArrayEquals(ea, eb, () -> "equal values " + a + " and " + b + " must encode identically");
            }
            assertFalse(isProperPrefix(ea, eb) || isProperPrefix(eb, ea), () -> "prefix: " + a + " / " + b);
            byte[] da = KeyEncoder.encode(a, true);
            byte[] db = KeyEncoder.encode(b, true);
            assertEquals(-expected, byteOrder(da, db), () -> "descending order of " + a + " vs " + b);
            assertFalse(isProperPrefix(da, db) || isProperPrefix(db, da), () -> "desc prefix: " + a + " / " + b);
        }
    }

    @Test
    void documentsAndArraysAgreeWithBsonOrder() {
        RandomBson gen = new RandomBson(4242L);
        for (int i = 0; i < PAIRS / 2; i++) {
            BsonValue a = i % 2 == 0 ? gen.document(2) : gen.array(2);
            BsonValue b = i % 2 == 0 ? gen.document(2) : gen.array(2);
            byte[] ea = KeyEncoder.encode(a);
            byte[] eb = KeyEncoder.encode(b);
            int expected = sign(BsonOrder.compare(a, b));
            assertEquals(expected, byteOrder(ea, eb), () -> "order of " + a + " vs " + b);
            if (expected == 0) {
                assertArrayEquals(ea, eb, () -> a + " and " + b);
            }
            assertFalse(isProperPrefix(ea, eb) || isProperPrefix(eb, ea), () -> "prefix: " + a + " / " + b);
        }
    }

    @Test
    void numbersAgreeWithBsonOrderAndExactArithmetic() {
        RandomBson gen = new RandomBson(7L);
        for (int i = 0; i < PAIRS; i++) {
            BsonValue a = gen.number();
            BsonValue b = gen.number();
            int expected = sign(BsonOrder.compare(a, b));
            assertEquals(expected, byteOrder(KeyEncoder.encode(a), KeyEncoder.encode(b)), () -> a + " vs " + b);
            if (Numbers.classify(a) == Numbers.FINITE && Numbers.classify(b) == Numbers.FINITE) {
                int oracle = sign(Numbers.toBigDecimal(a).compareTo(Numbers.toBigDecimal(b)));
                assertEquals(oracle, expected, () -> "exact order of " + a + " vs " + b);
            }
        }
    }

    @Test
    void compoundKeysSortLikeComponentwiseComparison() {
        RandomBson gen = new RandomBson(99L);
        for (int i = 0; i < PAIRS / 4; i++) {
            int n = 1 + (i % 3);
            boolean[] descending = new boolean[n];
            List<BsonValue> a = new ArrayList<>();
            List<BsonValue> b = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                descending[k] = gen.value(0).isBoolean() || (i + k) % 2 == 0;
                BsonValue x = gen.value(2);
                a.add(x);
                // Often share a prefix so later components decide.
                b.add((i + k) % 3 == 0 ? x : gen.value(2));
            }
            int expected = 0;
            for (int k = 0; k < n && expected == 0; k++) {
                int c = sign(BsonOrder.compare(a.get(k), b.get(k)));
                expected = descending[k] ? -c : c;
            }
            byte[] ea = KeyEncoder.encodeCompound(a, descending);
            byte[] eb = KeyEncoder.encodeCompound(b, descending);
            int exp = expected;
            assertEquals(exp, byteOrder(ea, eb), () -> a + " vs " + b + " dirs " + Arrays.toString(descending));
            assertFalse(isProperPrefix(ea, eb) || isProperPrefix(eb, ea));
        }
    }

    @Test
    void skipFindsWhereEachComponentOfACompoundKeyEnds() {
        RandomBson gen = new RandomBson(7L);
        for (int i = 0; i < PAIRS / 4; i++) {
            int n = 1 + (i % 3);
            boolean[] descending = new boolean[n];
            List<BsonValue> values = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                descending[k] = (i + k) % 2 == 0;
                values.add(gen.value(3));
            }
            byte[] key = KeyEncoder.encodeCompound(values, descending);
            byte[] suffix = KeyEncoder.encode(gen.value(1));
            byte[] entry = Arrays.copyOf(key, key.length + suffix.length);
            System.arraycopy(suffix, 0, entry, key.length, suffix.length);
            int at = 0;
            for (int k = 0; k < n; k++) {
                int start = at;
                at = KeyEncoder.skip(entry, at, descending[k]);
                byte[] component = KeyEncoder.encode(values.get(k), descending[k]);
                int kk = k;
                assertArrayEquals(component, Arrays.copyOfRange(entry, start, at), () -> "component " + kk + " of " + values);
            }
            assertEquals(key.length, at);
            assertEquals(entry.length, KeyEncoder.skip(entry, at, false));
        }
    }

    @Test
    void equalNumbersOfEveryTypeEncodeIdentically() {
        byte[] one = KeyEncoder.encode(new BsonInt32(1));
        assertArrayEquals(one, KeyEncoder.encode(new BsonInt64(1)));
        assertArrayEquals(one, KeyEncoder.encode(new BsonDouble(1.0)));
        assertArrayEquals(one, KeyEncoder.encode(new BsonDecimal128(Decimal128.parse("1.0"))));
        assertArrayEquals(one, KeyEncoder.encode(new BsonDecimal128(Decimal128.parse("0.0001E+4"))));
        byte[] zero = KeyEncoder.encode(new BsonDouble(0.0));
        assertArrayEquals(zero, KeyEncoder.encode(new BsonDouble(-0.0)));
        assertArrayEquals(zero, KeyEncoder.encode(new BsonDecimal128(Decimal128.NEGATIVE_ZERO)));
        assertArrayEquals(zero, KeyEncoder.encode(new BsonDecimal128(Decimal128.parse("0E-6000"))));
        assertArrayEquals(KeyEncoder.encode(new BsonDouble(Double.NaN)),
                KeyEncoder.encode(new BsonDecimal128(Decimal128.NEGATIVE_NaN)));
        assertArrayEquals(KeyEncoder.encode(new BsonInt64((1L << 53) + 1)),
                KeyEncoder.encode(new BsonDecimal128(Decimal128.parse("9007199254740993"))));
        assertArrayEquals(KeyEncoder.encode(BsonNull.VALUE), KeyEncoder.encode(new BsonUndefined()));
        assertArrayEquals(KeyEncoder.encode(new BsonString("x")), KeyEncoder.encode(new BsonSymbol("x")));
        assertArrayEquals(KeyEncoder.encode(json("{a: 1}")), KeyEncoder.encode(json("{a: 1.0}")));
    }

    @Test
    void numbersSortExactlyAroundDoublePrecisionLimits() {
        List<BsonValue> ascending = List.of(
                new BsonDouble(Double.NaN),
                new BsonDouble(Double.NEGATIVE_INFINITY),
                new BsonDecimal128(Decimal128.parse("-1E+6000")),
                new BsonInt64(Long.MIN_VALUE),
                new BsonInt64(-(1L << 53) - 1),
                new BsonDouble(-0x1p53),
                new BsonDecimal128(Decimal128.parse("-1E-6000")),
                new BsonInt32(0),
                new BsonDecimal128(Decimal128.parse("1E-6000")),
                new BsonDouble(Double.MIN_VALUE),
                new BsonDecimal128(Decimal128.parse("0.1")),
                new BsonDouble(0.1),
                new BsonDouble(0x1p53),
                new BsonInt64((1L << 53) + 1),
                new BsonDouble(Math.nextUp(0x1p53)),
                new BsonInt64(Long.MAX_VALUE - 1),
                new BsonInt64(Long.MAX_VALUE),
                new BsonDouble(0x1p63),
                new BsonDecimal128(Decimal128.parse("9223372036854775809")),
                new BsonDouble(Double.MAX_VALUE),
                new BsonDecimal128(Decimal128.parse("1E+6000")),
                new BsonDecimal128(Decimal128.POSITIVE_INFINITY));
        for (int i = 0; i + 1 < ascending.size(); i++) {
            BsonValue lo = ascending.get(i);
            BsonValue hi = ascending.get(i + 1);
            assertTrue(BsonOrder.compare(lo, hi) < 0, () -> lo + " < " + hi);
            assertTrue(Arrays.compareUnsigned(KeyEncoder.encode(lo), KeyEncoder.encode(hi)) < 0, () -> lo + " < " + hi);
        }
    }

    @Test
    void stringsWithNulAndSupplementaryCharactersSortByCodePoint() {
        List<String> ascending = List.of("", "\0", "\0\0", "\0a", "a", "a\0", "a\0\0", "a\u0001", "ab", "\u00e9",
                "\ud7ff", "\ue000", "\uffff", "\ud83d\ude00");
        for (int i = 0; i + 1 < ascending.size(); i++) {
            BsonValue lo = new BsonString(ascending.get(i));
            BsonValue hi = new BsonString(ascending.get(i + 1));
            assertTrue(BsonOrder.compare(lo, hi) < 0, () -> lo + " < " + hi);
            assertTrue(Arrays.compareUnsigned(KeyEncoder.encode(lo), KeyEncoder.encode(hi)) < 0, () -> lo + " < " + hi);
        }
    }

    @Test
    void compoundRejectsMismatchedDirections() {
        assertThrows(IllegalArgumentException.class,
                () -> KeyEncoder.encodeCompound(List.of(new BsonInt32(1)), new boolean[2]));
        assertArrayEquals(KeyEncoder.encode(new BsonInt32(1)),
                KeyEncoder.encodeCompound(List.of(new BsonInt32(1)), null));
    }
}
