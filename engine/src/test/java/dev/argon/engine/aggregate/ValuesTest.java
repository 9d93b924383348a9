package dev.argon.engine.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bson.BsonArray;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;

class ValuesTest {
    static BsonDocument json(String s) {
        return BsonDocument.parse(s);
    }

    private static BsonValue v(String s) {
        return json("{v: " + s + "}").get("v");
    }

    @Test
    void typeNamesMatchMongoAliases() {
        assertEquals("int", Values.typeName(new BsonInt32(1)));
        assertEquals("long", Values.typeName(new BsonInt64(1)));
        assertEquals("double", Values.typeName(new BsonDouble(1)));
        assertEquals("decimal", Values.typeName(new BsonDecimal128(Decimal128.parse("1"))));
        assertEquals("object", Values.typeName(new BsonDocument()));
        assertEquals("array", Values.typeName(new BsonArray()));
        assertEquals("objectId", Values.typeName(v("{$oid: '5f0000000000000000000000'}")));
        assertEquals("missing", Values.typeName((BsonValue) null));
    }

    @Test
    void truthiness() {
        assertFalse(Values.isTruthy(null));
        assertFalse(Values.isTruthy(BsonNull.VALUE));
        assertFalse(Values.isTruthy(new BsonInt32(0)));
        assertFalse(Values.isTruthy(new BsonDecimal128(Decimal128.parse("-0"))));
        assertTrue(Values.isTruthy(new BsonString("")));
        assertTrue(Values.isTruthy(new BsonArray()));
        assertTrue(Values.isTruthy(new BsonDouble(Double.NaN)));
    }

    @Test
    void valueKeysUseNumericEquality() {
        assertEquals(new ValueKey(new BsonInt32(1)), new ValueKey(new BsonDouble(1.0)));
        assertEquals(new ValueKey(new BsonInt64(1)), new ValueKey(new BsonDecimal128(Decimal128.parse("1.00"))));
        assertEquals(new ValueKey(v("{a: 1, b: [2]}")), new ValueKey(v("{a: 1.0, b: [NumberLong(2)]}")));
        assertNotEquals(new ValueKey(v("{a: 1, b: 2}")), new ValueKey(v("{b: 2, a: 1}")));
        assertNotEquals(new ValueKey(new BsonInt32(1)), new ValueKey(new BsonString("1")));
        assertEquals(new ValueKey(new BsonDouble(0.0)).hashCode(), new ValueKey(new BsonDouble(-0.0)).hashCode());
    }

    @Test
    void arithmeticPromotion() {
        assertEquals(new BsonInt32(3), Arith.add(new BsonInt32(1), new BsonInt32(2), false));
        assertEquals(new BsonInt64(2147483648L), Arith.add(new BsonInt32(Integer.MAX_VALUE), new BsonInt32(1), false));
        assertNull(Arith.add(new BsonInt64(Long.MAX_VALUE), new BsonInt32(1), false));
        assertEquals(new BsonDouble(9.223372036854776E18), Arith.add(new BsonInt64(Long.MAX_VALUE), new BsonInt32(1), true));
        assertNull(Arith.multiply(new BsonInt64(Long.MAX_VALUE), new BsonInt32(2), false));
        assertEquals(new BsonInt64(-4), Arith.multiply(new BsonInt64(2), new BsonInt32(-2), false));
        assertEquals(new BsonDecimal128(Decimal128.parse("1.500000000000000")),
                Arith.add(new BsonDecimal128(Decimal128.parse("1")), new BsonDouble(0.5), false));
        assertEquals(new BsonInt32(-1), Arith.mod(new BsonInt32(-7), new BsonInt32(3)));
    }

    @Test
    void summerWidensLikeMongo() {
        Summer s = new Summer();
        s.add(new BsonInt32(Integer.MAX_VALUE));
        assertEquals(new BsonInt32(Integer.MAX_VALUE), s.sum());
        s.add(new BsonInt32(1));
        assertEquals(new BsonInt64(2147483648L), s.sum());
        s.add(new BsonInt64(Long.MAX_VALUE));
        assertTrue(s.sum().isDouble());
        Summer d = new Summer();
        d.add(new BsonInt32(1));
        d.add(new BsonDecimal128(Decimal128.parse("0.5")));
        assertEquals(new BsonDecimal128(Decimal128.parse("1.5")), d.sum());
        assertEquals(new BsonDecimal128(Decimal128.parse("0.75")), d.average());
    }

    @Test
    void textFormattingMatchesServerMessages() {
        assertEquals("{ a: 1, b: \"x\", c: [ 1.5, null ], d: {} }", BsonText.format(v("{a: 1, b: 'x', c: [1.5, null], d: {}}")));
        assertEquals("_id: ObjectId('5f0000000000000000000000')",
                BsonText.element("_id", v("{$oid: '5f0000000000000000000000'}")));
        assertEquals("1.0", BsonText.format(new BsonDouble(1)));
        assertEquals("1e+20", BsonText.format(new BsonDouble(1e20)));
    }

    @Test
    void deepCopyIsIndependent() {
        BsonDocument d = json("{a: {b: [1, {c: 2}]}}");
        BsonDocument c = (BsonDocument) Values.copy(d);
        c.getDocument("a").getArray("b").get(1).asDocument().put("c", new BsonInt32(3));
        assertEquals(json("{a: {b: [1, {c: 2}]}}"), d);
    }
}
