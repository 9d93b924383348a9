package dev.argon.engine.bson;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;
import org.bson.BsonValue;
import org.junit.jupiter.api.Tag;

/**
 * Fuzzes the order-preserving key encoding against the comparator it must agree with: for any two values, the
 * unsigned byte order of their encodings is {@link BsonOrder#compare}'s order (reversed when descending), equal
 * values encode to identical bytes, no encoding is a proper prefix of another, and compound keys order by their
 * first differing component. There is no decoder; the encoding is one-way. Runs in the fuzz execution (see
 * docs/FUZZING.md).
 */
@Tag("fuzz")
class KeyEncoderFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void byteOrderIsBsonOrder(FuzzedDataProvider data) {
        FuzzBson gen = new FuzzBson(data);
        BsonValue a = gen.value(3);
        BsonValue b = data.consumeBoolean() ? gen.value(3) : a.isDocument() || a.isArray() ? gen.value(3) : a;
        int expected = Integer.signum(BsonOrder.compare(a, b));
        assertEquals(-expected, Integer.signum(BsonOrder.compare(b, a)), () -> "antisymmetry of " + a + " and " + b);
        byte[] ea = KeyEncoder.encode(a);
        byte[] eb = KeyEncoder.encode(b);
        assertEquals(expected, Integer.signum(Arrays.compareUnsigned(ea, eb)), () -> "order of " + a + " and " + b);
        if (expected == 0) {
            assertArrayEquals(ea, eb, () -> a + " and " + b + " compare equal but encode differently");
        }
        assertFalse(properPrefix(ea, eb) || properPrefix(eb, ea), () -> "prefix: " + a + " / " + b);
        byte[] da = KeyEncoder.encode(a, true);
        byte[] db = KeyEncoder.encode(b, true);
        assertEquals(-expected, Integer.signum(Arrays.compareUnsigned(da, db)), () -> "descending order of " + a + " and " + b);
        BsonValue c = gen.value(1);
        boolean[] desc = {data.consumeBoolean(), data.consumeBoolean()};
        int compound = Integer.signum(Arrays.compareUnsigned(KeyEncoder.encodeCompound(List.of(a, c), desc),
                KeyEncoder.encodeCompound(List.of(b, c), desc)));
        assertEquals(desc[0] ? -expected : expected, compound, () -> "compound order of " + a + " and " + b);
    }

    private static boolean properPrefix(byte[] x, byte[] y) {
        return x.length < y.length && Arrays.equals(x, 0, x.length, y, 0, x.length);
    }
}
