package dev.argon.engine.bson;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonArray;
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
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * Field lookup on a {@link RawBsonDocument} straight over its bytes. {@code RawBsonDocument.get} builds a reader,
 * decodes every field name it passes into a String and decodes the value through the codec registry; a filtered
 * collection scan does that for every document and every path, and it was most of the scan's time. Here names are
 * compared as UTF-8 bytes, skipped values are stepped over by their size, and the common value types are built
 * directly: embedded documents as {@code RawBsonDocument} slices of the same array (no copy), arrays decoded one
 * level with the same rules. Rare types (binary, regex, JavaScript, DBPointer, MinKey, ...) fall back to
 * {@code RawBsonDocument.get}, so the answer is always the one the driver's decoder gives. Stateless and thread-safe.
 *
 * <p>The bytes were validated when the document was stored, so the walk trusts the lengths; a length that points
 * outside the document still fails with an exception rather than reading another document's bytes.
 */
public final class RawFields {
    private RawFields() {}

    /** The UTF-8 bytes of a field name, for {@link #get(RawBsonDocument, String, byte[])}. */
    public static byte[] name(String field) {
        return field.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The value of the first field named {@code field} in doc, or null when there is none: the same value
     * {@code doc.get(field)} gives (arrays as a plain {@link BsonArray} of equal elements).
     *
     * @param name the UTF-8 bytes of field ({@link #name})
     */
    public static BsonValue get(RawBsonDocument doc, String field, byte[] name) {
        byte[] b = doc.getBackingArray();
        int[] e = element(b, doc.getByteOffset(), name);
        if (e == null) {
            return null;
        }
        // The value starts after the type byte, the name and its NUL.
        BsonValue v = decode(b, b[e[0]] & 0xFF, e[0] + 1 + name.length + 1);
        return v != null ? v : doc.get(field);
    }

    /**
     * Where the first top-level element named {@code name} lies in the document at {@code b[start..]}: the offset
     * of its type byte and the offset just past its value, or null when there is none.
     */
    public static int[] element(byte[] b, int start, byte[] name) {
        int end = start + int32(b, start) - 1;
        int p = start + 4;
        while (p < end) {
            int type = b[p] & 0xFF;
            int nameStart = p + 1;
            int nameEnd = nameStart;
            while (b[nameEnd] != 0) {
                nameEnd++;
            }
            int value = nameEnd + 1;
            int next = value + valueSize(b, type, value);
            if (sameName(b, nameStart, nameEnd, name)) {
                return new int[] {p, next};
            }
            p = next;
        }
        return null;
    }

    private static boolean sameName(byte[] b, int from, int to, byte[] name) {
        if (to - from != name.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (b[from + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    /** The value at offset p of the given type, or null for a type left to the driver's decoder. */
    private static BsonValue decode(byte[] b, int type, int p) {
        return switch (type) {
            case 0x01 -> new BsonDouble(Double.longBitsToDouble(int64(b, p)));
            case 0x02 -> new BsonString(new String(b, p + 4, int32(b, p) - 1, StandardCharsets.UTF_8));
            case 0x03 -> new RawBsonDocument(b, p, int32(b, p));
            case 0x04 -> array(b, p);
            case 0x07 -> new BsonObjectId(new ObjectId(java.nio.ByteBuffer.wrap(b, p, 12)));
            case 0x08 -> BsonBoolean.valueOf(b[p] != 0);
            case 0x09 -> new BsonDateTime(int64(b, p));
            case 0x0A -> BsonNull.VALUE;
            case 0x10 -> new BsonInt32(int32(b, p));
            case 0x11 -> new BsonTimestamp(int64(b, p));
            case 0x12 -> new BsonInt64(int64(b, p));
            case 0x13 -> new BsonDecimal128(Decimal128.fromIEEE754BIDEncoding(int64(b, p + 8), int64(b, p)));
            default -> null;
        };
    }

    /** An array one level deep, or null if an element is of a type left to the driver. */
    private static BsonArray array(byte[] b, int p) {
        int end = p + int32(b, p) - 1;
        int q = p + 4;
        List<BsonValue> values = new ArrayList<>();
        while (q < end) {
            int type = b[q] & 0xFF;
            int v = q + 1;
            while (b[v] != 0) {
                v++;
            }
            v++;
            BsonValue element = decode(b, type, v);
            if (element == null) {
                return null;
            }
            values.add(element);
            q = v + valueSize(b, type, v);
        }
        return new BsonArray(values);
    }

    /** Bytes the value of the given type at p occupies. */
    private static int valueSize(byte[] b, int type, int p) {
        return switch (type) {
            case 0x01, 0x09, 0x11, 0x12 -> 8;
            case 0x02, 0x0D, 0x0E -> 4 + int32(b, p);
            case 0x03, 0x04, 0x0F -> int32(b, p);
            case 0x05 -> 5 + int32(b, p);
            case 0x06, 0x0A, 0xFF, 0x7F -> 0;
            case 0x07 -> 12;
            case 0x08 -> 1;
            case 0x0B -> {
                int q = p;
                while (b[q] != 0) {
                    q++;
                }
                q++;
                while (b[q] != 0) {
                    q++;
                }
                yield q + 1 - p;
            }
            case 0x0C -> 4 + int32(b, p) + 12;
            case 0x10 -> 4;
            case 0x13 -> 16;
            default -> throw new IllegalArgumentException("unknown BSON type 0x" + Integer.toHexString(type));
        };
    }

    private static int int32(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }

    private static long int64(byte[] b, int p) {
        return (int32(b, p) & 0xFFFFFFFFL) | (long) int32(b, p + 4) << 32;
    }
}
