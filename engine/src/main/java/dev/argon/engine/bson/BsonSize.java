package dev.argon.engine.bson;

import java.util.Map;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

/**
 * The exact size of a document's BSON encoding, computed by walking it instead of encoding it, so that the 16 MiB
 * check before a write does not encode the document a second time (the write encodes it once, for the stored
 * version). Agrees byte for byte with the driver's {@code BsonBinaryWriter}, including its UTF-8 of unpaired
 * surrogates (three bytes each). Stateless and thread-safe.
 */
public final class BsonSize {
    private BsonSize() {}

    public static int of(BsonDocument d) {
        if (d instanceof RawBsonDocument r) {
            return r.getByteBuffer().remaining();
        }
        long size = document(d);
        return size > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) size;
    }

    private static long document(BsonDocument d) {
        if (d instanceof RawBsonDocument r) {
            return r.getByteBuffer().remaining();
        }
        long size = 5;
        for (Map.Entry<String, BsonValue> e : d.entrySet()) {
            size += 1 + utf8(e.getKey()) + 1 + value(e.getValue());
        }
        return size;
    }

    private static long array(Iterable<BsonValue> values) {
        long size = 5;
        int i = 0;
        for (BsonValue v : values) {
            size += 1 + digits(i++) + 1 + value(v);
        }
        return size;
    }

    private static long value(BsonValue v) {
        return switch (v.getBsonType()) {
            case DOUBLE, INT64, DATE_TIME, TIMESTAMP -> 8;
            case INT32 -> 4;
            case DECIMAL128 -> 16;
            case OBJECT_ID -> 12;
            case BOOLEAN -> 1;
            case NULL, UNDEFINED, MIN_KEY, MAX_KEY -> 0;
            case STRING -> string(v.asString().getValue());
            case SYMBOL -> string(v.asSymbol().getSymbol());
            case JAVASCRIPT -> string(v.asJavaScript().getCode());
            case JAVASCRIPT_WITH_SCOPE -> 4 + string(v.asJavaScriptWithScope().getCode()) + document(v.asJavaScriptWithScope().getScope());
            case DOCUMENT -> document(v.asDocument());
            case ARRAY -> array(v.asArray());
            case BINARY -> binary(v.asBinary());
            case REGULAR_EXPRESSION -> utf8(v.asRegularExpression().getPattern()) + 1 + utf8(v.asRegularExpression().getOptions()) + 1;
            case DB_POINTER -> string(v.asDBPointer().getNamespace()) + 12;
            default -> throw new IllegalArgumentException("no BSON size for type " + v.getBsonType());
        };
    }

    private static long binary(BsonBinary b) {
        int n = b.getData().length;
        // The old binary subtype repeats the length inside the value.
        return 4 + 1 + (b.getType() == BsonBinarySubType.OLD_BINARY.getValue() ? 4 : 0) + n;
    }

    private static long string(String s) {
        return 4 + utf8(s) + 1;
    }

    private static long utf8(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static int digits(int i) {
        int d = 1;
        while (i >= 10) {
            i /= 10;
            d++;
        }
        return d;
    }
}
