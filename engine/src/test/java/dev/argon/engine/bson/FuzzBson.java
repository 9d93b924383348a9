package dev.argon.engine.bson;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
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
 * Builds BSON values from a fuzzer's bytes, so that mutations of the bytes become mutations of the tree: a few
 * bytes choose each node's type, and keys and strings come mostly from a target-specific dictionary (operator and
 * field names), which lets the fuzzer reach deep into a parser instead of failing on the first unknown key.
 * Bounded in depth and width, so a generated value is always small. Not thread-safe (one per fuzz input).
 */
public final class FuzzBson {
    private static final String[] COMMON_KEYS = {"a", "b", "c", "_id", "a.b", "a.0", "0", "1", "", "x.y.z", "$", "a.$",
        "$[]", "$[e]", "e", "e.a"};
    private static final String[] COMMON_STRINGS = {"", "a", "b", "$a", "$b", "$$ROOT", "$$CURRENT", "$$NOW", "$$REMOVE",
        "$$x", "x", "$a.b", "$_id", "^a", ".*", "(", "i", "ms", "2024-01-02T03:04:05Z", "UTC", "+01:00", "day", "string",
        "int", "long", "double", "decimal", "bool", "date", "number", "object", "array", "null", "missing", "\0"};
    private static final double[] DOUBLES = {0.0, -0.0, 1.0, -1.0, 0.5, 1e308, -1e308, 4.9e-324, Double.NaN,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 9007199254740993.0, 2.5, -2.5};
    private static final long[] LONGS = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 53, (1L << 53) + 1,
        Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L};
    private static final String[] DECIMALS = {"0", "-0", "1", "1.00", "-1E-6176", "9.999999999999999999999999999999999E+6144",
        "NaN", "Infinity", "-Infinity", "0.1", "1E+3"};

    private final FuzzedDataProvider data;
    private final String[] keys;
    private final String[] strings;

    /** {@code keys} are tried first for field names, and also used as strings (so "$op" can appear as a value). */
    public FuzzBson(FuzzedDataProvider data, String... keys) {
        this.data = data;
        this.keys = concat(keys, COMMON_KEYS);
        this.strings = concat(keys, COMMON_STRINGS);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    public BsonDocument document(int depth) {
        BsonDocument d = new BsonDocument();
        int n = data.consumeInt(0, 4);
        for (int i = 0; i < n; i++) {
            d.put(key(), value(depth - 1));
        }
        return d;
    }

    public BsonArray array(int depth) {
        BsonArray a = new BsonArray();
        int n = data.consumeInt(0, 4);
        for (int i = 0; i < n; i++) {
            a.add(value(depth - 1));
        }
        return a;
    }

    public String key() {
        return data.consumeBoolean() ? data.pickValue(keys) : data.consumeString(8);
    }

    public String string() {
        return data.consumeBoolean() ? data.pickValue(strings) : data.consumeString(12);
    }

    public BsonValue value(int depth) {
        int kind = data.consumeInt(0, depth > 0 ? 24 : 21);
        switch (kind) {
            case 0: return new BsonInt32(data.consumeInt(-3, 10));
            case 1: return new BsonInt32(data.consumeInt());
            case 2: return new BsonInt64(data.consumeBoolean() ? data.pickValue(LONGS) : data.consumeLong());
            case 3: return new BsonDouble(data.consumeBoolean() ? data.pickValue(DOUBLES) : data.consumeDouble());
            case 4: return new BsonDecimal128(Decimal128.parse(data.pickValue(DECIMALS)));
            case 5:
            case 6: return new BsonString(string());
            case 7: return BsonBoolean.valueOf(data.consumeBoolean());
            case 8: return BsonNull.VALUE;
            case 9: return new BsonUndefined();
            case 10: return new BsonMinKey();
            case 11: return new BsonMaxKey();
            case 12: return new BsonDateTime(data.consumeBoolean() ? data.consumeLong(-1L << 42, 1L << 42) : data.consumeLong());
            case 13: return new BsonTimestamp(data.consumeLong());
            case 14: return new BsonObjectId(new ObjectId(java.util.Arrays.copyOf(data.consumeBytes(12), 12)));
            case 15: return new BsonRegularExpression(string(), data.pickValue(new String[] {"", "i", "m", "s", "x", "imsx", "u", "q"}));
            case 16: return new BsonBinary((byte) data.pickValue(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 0x80, 0xff}), data.consumeBytes(8));
            case 17: return new BsonSymbol(string());
            case 18: return new BsonJavaScript(string());
            case 19: return new BsonDbPointer("db.c", new ObjectId("5f0000000000000000000001"));
            case 20: return new BsonInt64(data.consumeLong(-5, 5));
            case 21: return new BsonDouble(data.consumeInt(-5, 5) / 2.0);
            case 22: return new BsonJavaScriptWithScope(string(), document(depth - 1));
            case 23: return array(depth);
            default: return document(depth);
        }
    }
}
