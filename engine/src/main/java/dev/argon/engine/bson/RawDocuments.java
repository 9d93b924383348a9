package dev.argon.engine.bson;

import org.bson.types.ObjectId;

/**
 * What an insert needs to know about a document that arrived as raw BSON, read from its bytes: whether
 * {@code _id} is its first field, its nesting depth as mongod counts it, and the same bytes with an ObjectId
 * {@code _id} written in front. The bytes were validated by the wire decoder, so lengths are trusted (a length
 * pointing outside the array still fails with an exception, never reads past it). Stateless and thread-safe.
 */
public final class RawDocuments {
    private RawDocuments() {}

    /** True if the document at offset starts with a field named {@code _id}. */
    public static boolean firstFieldIsId(byte[] b, int offset) {
        int p = offset + 4;
        return b[p] != 0 && b[p + 1] == '_' && b[p + 2] == 'i' && b[p + 3] == 'd' && b[p + 4] == 0;
    }

    /**
     * The document {@code b[offset, offset + length)} with {@code _id: id} as a new first field: what encoding
     * {@code {_id: id, ...fields}} gives.
     */
    public static byte[] withObjectId(byte[] b, int offset, int length, ObjectId id) {
        // type (1) + "_id\0" (4) + 12 bytes
        int extra = 17;
        byte[] out = new byte[length + extra];
        putInt(out, 0, length + extra);
        out[4] = 0x07;
        out[5] = '_';
        out[6] = 'i';
        out[7] = 'd';
        out[8] = 0;
        id.putToByteBuffer(java.nio.ByteBuffer.wrap(out, 9, 12));
        System.arraycopy(b, offset + 4, out, 4 + extra, length - 4);
        return out;
    }

    /**
     * True if some element of the document or array at p, whose own elements are at {@code level}, lies deeper
     * than max: the same answer as walking the decoded document (an empty document or array adds no level; code
     * with scope is not descended into). Recursion stops at the limit.
     */
    public static boolean exceedsDepth(byte[] b, int p, int level, int max) {
        if (level > max) {
            return true;
        }
        int end = p + int32(b, p) - 1;
        int q = p + 4;
        while (q < end) {
            int type = b[q];
            int v = q + 1;
            while (b[v] != 0) {
                v++;
            }
            v++;
            if ((type == 0x03 || type == 0x04) && int32(b, v) > 5 && exceedsDepth(b, v, level + 1, max)) {
                return true;
            }
            q = v + size(b, type, v);
        }
        return false;
    }

    private static int size(byte[] b, int type, int v) {
        return switch (type) {
            case 0x01, 0x09, 0x11, 0x12 -> 8;
            case 0x02, 0x0D, 0x0E -> 4 + int32(b, v);
            case 0x03, 0x04, 0x0F -> int32(b, v);
            case 0x05 -> 5 + int32(b, v);
            case 0x06, 0x0A, -1, 0x7F -> 0;
            case 0x07 -> 12;
            case 0x08 -> 1;
            case 0x0B -> {
                int q = v;
                while (b[q] != 0) {
                    q++;
                }
                q++;
                while (b[q] != 0) {
                    q++;
                }
                yield q + 1 - v;
            }
            case 0x0C -> 4 + int32(b, v) + 12;
            case 0x10 -> 4;
            case 0x13 -> 16;
            default -> throw new IllegalArgumentException("unknown BSON type 0x" + Integer.toHexString(type & 0xFF));
        };
    }

    private static int int32(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }

    private static void putInt(byte[] b, int p, int v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >> 8);
        b[p + 2] = (byte) (v >> 16);
        b[p + 3] = (byte) (v >> 24);
    }
}
