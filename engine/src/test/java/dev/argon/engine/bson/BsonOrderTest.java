package dev.argon.engine.bson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
import org.junit.jupiter.api.Test;

class BsonOrderTest {
    static BsonDocument json(String s) {
        return BsonDocument.parse(s);
    }

    private static BsonValue v(String json) {
        return json("{v: " + json + "}").get("v");
    }

    private static void assertAscending(List<BsonValue> values) {
        for (int i = 0; i + 1 < values.size(); i++) {
            BsonValue lo = values.get(i);
            BsonValue hi = values.get(i + 1);
            assertTrue(BsonOrder.compare(lo, hi) < 0, () -> lo + " should sort before " + hi);
            assertTrue(BsonOrder.compare(hi, lo) > 0, () -> hi + " should sort after " + lo);
        }
    }

    private static void assertSame(BsonValue a, BsonValue b) {
        assertEquals(0, BsonOrder.compare(a, b), () -> a + " should equal " + b);
        assertEquals(0, BsonOrder.compare(b, a), () -> b + " should equal " + a);
    }

    @Test
    void typesSortInMongoDbOrder() {
        ObjectId oid = new ObjectId();
        assertAscending(List.of(
                new BsonMinKey(),
                BsonNull.VALUE,
                new BsonInt32(-5),
                new BsonString(""),
                new BsonDocument(),
                new BsonArray(),
                new BsonBinary(new byte[0]),
                new BsonObjectId(oid),
                BsonBoolean.FALSE,
                BsonBoolean.TRUE,
                new BsonDateTime(Long.MIN_VALUE),
                new BsonTimestamp(0),
                new BsonRegularExpression(""),
                new BsonDbPointer("a", oid),
                new BsonJavaScript(""),
                new BsonJavaScriptWithScope("", new BsonDocument()),
                new BsonMaxKey()));
    }

    @Test
    void equalitiesAcrossRepresentations() {
        assertSame(BsonNull.VALUE, new BsonUndefined());
        assertSame(new BsonInt32(1), new BsonInt64(1));
        assertSame(new BsonInt32(1), new BsonDouble(1.0));
        assertSame(new BsonInt32(1), new BsonDecimal128(Decimal128.parse("1.000")));
        assertSame(new BsonDouble(-0.0), new BsonInt32(0));
        assertSame(new BsonDouble(Double.NaN), new BsonDecimal128(Decimal128.NaN));
        assertSame(new BsonDouble(Double.POSITIVE_INFINITY), new BsonDecimal128(Decimal128.POSITIVE_INFINITY));
        assertSame(new BsonString("abc"), new BsonSymbol("abc"));
        assertSame(v("{a: 1, b: [1, 2.0]}"), v("{a: 1.0, b: [{$numberLong: '1'}, 2]}"));
        assertSame(new BsonMinKey(), new BsonMinKey());
        assertSame(new BsonMaxKey(), new BsonMaxKey());
    }

    @Test
    void nanIsBelowEveryOtherNumber() {
        assertAscending(List.<BsonValue>of(new BsonDouble(Double.NaN), new BsonDouble(Double.NEGATIVE_INFINITY),
                new BsonDecimal128(Decimal128.parse("-1E+6000")), new BsonDouble(-Double.MAX_VALUE),
                new BsonInt64(Long.MIN_VALUE)));
        assertTrue(BsonOrder.compare(new BsonDecimal128(Decimal128.NaN),
                new BsonDecimal128(Decimal128.NEGATIVE_INFINITY)) < 0);
    }

    @Test
    void longAndDoubleCompareExactlyBeyondTwoToThe53() {
        long big = (1L << 53) + 1;
        assertTrue(BsonOrder.compare(new BsonInt64(big), new BsonDouble(0x1p53)) > 0);
        assertTrue(BsonOrder.compare(new BsonDouble(0x1p53), new BsonInt64(big)) < 0);
        assertTrue(BsonOrder.compare(new BsonInt64(Long.MAX_VALUE), new BsonDouble(0x1p63)) < 0);
        assertSame(new BsonInt64(Long.MIN_VALUE), new BsonDouble(-0x1p63));
        assertTrue(BsonOrder.compare(new BsonInt64(-1), new BsonDouble(-0.5)) < 0);
        assertTrue(BsonOrder.compare(new BsonInt64(0), new BsonDouble(-0.5)) > 0);
        assertTrue(BsonOrder.compare(new BsonInt64(3), new BsonDouble(2.999999999)) > 0);
    }

    @Test
    void decimalComparesExactlyWithDoubles() {
        // The double nearest 0.1 is a little above one tenth.
        assertTrue(BsonOrder.compare(new BsonDecimal128(Decimal128.parse("0.1")), new BsonDouble(0.1)) < 0);
        assertTrue(BsonOrder.compare(new BsonDecimal128(Decimal128.parse("0.1000000000000000055511151231257828")),
                new BsonDouble(0.1)) > 0);
        assertSame(new BsonDecimal128(Decimal128.parse("0.5")), new BsonDouble(0.5));
        assertSame(new BsonDecimal128(Decimal128.parse("-0")), new BsonDouble(0.0));
    }

    @Test
    void stringsCompareByCodePointNotUtf16() {
        // U+FFFF is below U+1F600 by code point but above its UTF-16 high surrogate.
        assertTrue(BsonOrder.compare(new BsonString("\uffff"), new BsonString("\ud83d\ude00")) < 0);
        assertTrue(BsonOrder.compare(new BsonString("a"), new BsonString("a\0")) < 0);
        assertTrue(BsonOrder.compare(new BsonString("a\0"), new BsonString("a\u0001")) < 0);
        assertTrue(BsonOrder.compare(new BsonString("B"), new BsonString("a")) < 0);
    }

    @Test
    void documentsCompareByTypeThenNameThenValue() {
        // Type rank of the value comes before the field name.
        assertTrue(BsonOrder.compare(v("{b: 1}"), v("{a: 'x'}")) < 0);
        assertTrue(BsonOrder.compare(v("{a: 1}"), v("{b: 1}")) < 0);
        assertTrue(BsonOrder.compare(v("{a: 1}"), v("{a: 2}")) < 0);
        assertTrue(BsonOrder.compare(v("{a: 1}"), v("{a: 1, b: 0}")) < 0);
        assertTrue(BsonOrder.compare(v("{}"), v("{a: null}")) < 0);
        assertTrue(BsonOrder.compare(v("{a: 1, b: 2}"), v("{b: 2, a: 1}")) < 0);
    }

    @Test
    void arraysCompareElementByElement() {
        assertAscending(List.of(v("[]"), v("[null]"), v("[1]"), v("[1, 2]"), v("[1, 'a']"), v("[2]"), v("[{}]")));
    }

    @Test
    void binaryComparesLengthThenSubtypeThenBytes() {
        assertAscending(List.of(
                new BsonBinary((byte) 0x80, new byte[] {9}),
                new BsonBinary((byte) 0, new byte[] {1, 1}),
                new BsonBinary((byte) 0, new byte[] {(byte) 0xff, 0}),
                new BsonBinary((byte) 4, new byte[] {0, 0}),
                new BsonBinary((byte) 0x80, new byte[] {0, 0})));
    }

    @Test
    void scalarsWithinTheirType() {
        assertAscending(List.of(new BsonDateTime(-1), new BsonDateTime(0), new BsonDateTime(1)));
        // Timestamps are unsigned.
        assertAscending(List.of(new BsonTimestamp(0), new BsonTimestamp(Long.MAX_VALUE), new BsonTimestamp(-1)));
        assertAscending(List.of(new BsonRegularExpression("a", ""), new BsonRegularExpression("a", "i"),
                new BsonRegularExpression("b", "")));
        assertAscending(List.of(new BsonObjectId(new ObjectId("000000000000000000000001")),
                new BsonObjectId(new ObjectId("7f0000000000000000000000")),
                new BsonObjectId(new ObjectId("800000000000000000000000"))));
    }

    @Test
    void typeRanksFollowMongod() {
        assertEquals(-1, BsonOrder.typeRank(new BsonMinKey()));
        assertEquals(5, BsonOrder.typeRank(BsonNull.VALUE));
        assertEquals(10, BsonOrder.typeRank(new BsonDecimal128(Decimal128.NaN)));
        assertEquals(15, BsonOrder.typeRank(new BsonSymbol("s")));
        assertEquals(127, BsonOrder.typeRank(new BsonMaxKey()));
    }

    @Test
    void randomValuesFormATotalOrder() {
        RandomBson gen = new RandomBson(3L);
        List<BsonValue> values = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            values.add(gen.value(2));
        }
        Collections.shuffle(values, new Random(1));
        values.sort(BsonOrder.COMPARATOR);
        for (int i = 0; i < values.size(); i++) {
            for (int j = i + 1; j < Math.min(values.size(), i + 40); j++) {
                BsonValue lo = values.get(i);
                BsonValue hi = values.get(j);
                assertTrue(BsonOrder.compare(lo, hi) <= 0, () -> lo + " vs " + hi);
            }
        }
    }
}
