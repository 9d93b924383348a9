package dev.argon.wal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDbPointer;
import org.bson.BsonDocument;
import org.bson.BsonJavaScriptWithScope;
import org.bson.BsonRegularExpression;
import org.bson.BsonSerializationException;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.types.Decimal128;

/**
 * Encodes a {@link BsonDocument} tree to BSON bytes, byte for byte what the driver's {@code BsonDocumentCodec}
 * with a {@code BsonBinaryWriter} writes (same UTF-8 for unpaired surrogates, same refusal of a name holding
 * NUL, same 1,024-level depth limit, the old binary subtype's inner length), into one array sized as it goes.
 *
 * <p>Why not the driver's writer: it writes strings one byte at a time through a virtual call that checks the
 * buffer's capacity per byte, and a profile of an {@code insertMany} load put a third of the server's CPU
 * there (docs/PERFORMANCE.md, "Write path profile"). Every stored document version, catalog entry and log
 * entry is encoded here. {@code BsonEncoderTest} compares both encoders on random documents.
 *
 * <p>Not thread-safe: one instance per encoding ({@link Bson#bytes} makes one, or reuses a thread's).
 */
final class BsonEncoder {
    /** The driver's default {@code maxSerializationDepth}. */
    private static final int MAX_DEPTH = 1024;
    /** A thread keeps its buffer between encodings up to this size; a larger one is dropped after use. */
    private static final int KEEP_BYTES = 1 << 20;
    private static final ThreadLocal<BsonEncoder> LOCAL = ThreadLocal.withInitial(BsonEncoder::new);

    private byte[] buf = new byte[1024];
    private int pos;
    private int depth;
    private boolean busy;
    /** Start offsets of the documents a {@link #record()} has open, innermost last. */
    private int[] starts = new int[4];
    private int open;

    /** The BSON of doc in a new array of exactly its length. */
    static byte[] encode(BsonDocument doc) {
        BsonEncoder e = LOCAL.get();
        if (e.busy) {
            // Only reachable if a document's own iteration encodes another document (a lazy wrapper): use a fresh one.
            e = new BsonEncoder();
        }
        e.busy = true;
        try {
            e.pos = 0;
            e.depth = 0;
            e.document(doc);
            byte[] out = Arrays.copyOf(e.buf, e.pos);
            if (e.buf.length > KEEP_BYTES) {
                e.buf = new byte[1024];
            }
            return out;
        } finally {
            e.busy = false;
        }
    }

    /**
     * Starts a document written field by field, for records whose fields are known (log entries, commit and
     * branch records): the same bytes as building the {@link BsonDocument} with the same fields in the same order
     * and encoding it, without building it. Uses this thread's encoder (a fresh one if it is busy); the caller
     * ends the top-level document with {@link #end()}, takes the bytes ({@link #toBytes()} or {@link #buffer()} and
     * {@link #length()}) and then calls {@link #release()}, in a {@code finally}.
     */
    static BsonEncoder record() {
        BsonEncoder e = LOCAL.get();
        if (e.busy) {
            e = new BsonEncoder();
        }
        e.busy = true;
        e.pos = 0;
        e.depth = 0;
        e.open = 0;
        e.begin();
        return e;
    }

    BsonEncoder int32(String name, int v) {
        head(org.bson.BsonType.INT32, name);
        putInt(v);
        return this;
    }

    BsonEncoder int64(String name, long v) {
        head(org.bson.BsonType.INT64, name);
        putLong(v);
        return this;
    }

    /** A string field, or a null one when v is null. */
    BsonEncoder string(String name, String v) {
        if (v == null) {
            head(org.bson.BsonType.NULL, name);
        } else {
            head(org.bson.BsonType.STRING, name);
            string(v);
        }
        return this;
    }

    BsonEncoder bool(String name, boolean v) {
        head(org.bson.BsonType.BOOLEAN, name);
        ensure(1);
        buf[pos++] = (byte) (v ? 1 : 0);
        return this;
    }

    /** A binary field of the generic subtype. */
    BsonEncoder binary(String name, byte[] data) {
        head(org.bson.BsonType.BINARY, name);
        putInt(data.length);
        ensure(1);
        buf[pos++] = 0;
        bytes(data);
        return this;
    }

    /** Any value; a null v is BSON null. */
    BsonEncoder value(String name, BsonValue v) {
        if (v == null) {
            head(org.bson.BsonType.NULL, name);
        } else {
            element(name, v);
        }
        return this;
    }

    /** Starts an embedded document; {@link #end()} closes it. */
    BsonEncoder document(String name) {
        head(org.bson.BsonType.DOCUMENT, name);
        begin();
        return this;
    }

    /** Closes the innermost open document (the top-level one last). */
    BsonEncoder end() {
        ensure(1);
        buf[pos++] = 0;
        int start = starts[--open];
        putInt(start, pos - start);
        depth--;
        return this;
    }

    /** The encoded bytes so far, from 0 to {@link #length()}; valid until {@link #release()}. */
    byte[] buffer() {
        return buf;
    }

    int length() {
        return pos;
    }

    /** The encoded bytes in a new array of exactly their length. */
    byte[] toBytes() {
        return Arrays.copyOf(buf, pos);
    }

    /** Ends the use of an encoder from {@link #record()}. */
    void release() {
        if (buf.length > KEEP_BYTES) {
            buf = new byte[1024];
        }
        busy = false;
    }

    private void begin() {
        enter();
        if (open == starts.length) {
            starts = Arrays.copyOf(starts, open * 2);
        }
        starts[open++] = pos;
        ensure(4);
        pos += 4;
    }

    /**
     * The BSON of a log entry whose images are versions ({@code {b, ns, op, id, k[, p][, r]}}, docs/FORMATS.md),
     * written field by field: the same bytes as encoding the {@link LogCodec#encode} document, without building
     * it (a load writes one entry per document; building and encoding them was 8% of its server samples).
     */
    static byte[] logEntry(int branchId, String ns, String op, BsonValue id, byte[] key, boolean pre, boolean replacement) {
        BsonEncoder e = record();
        try {
            logEntry(e, branchId, ns, op, id, key, pre, replacement);
            return e.end().toBytes();
        } finally {
            e.release();
        }
    }

    /** The fields of {@link #logEntry(int, String, String, BsonValue, byte[], boolean, boolean)} into an open record. */
    static void logEntry(BsonEncoder e, int branchId, String ns, String op, BsonValue id, byte[] key, boolean pre, boolean replacement) {
        e.int32("b", branchId).string("ns", ns).string("op", op).value("id", id).binary("k", key);
        if (pre) {
            e.bool("p", true);
        }
        if (replacement) {
            e.bool("r", true);
        }
    }

    /** An element's type byte and name. */
    private void head(org.bson.BsonType type, String name) {
        ensure(1);
        buf[pos++] = (byte) type.getValue();
        cstring(name);
    }

    private void document(BsonDocument doc) {
        if (doc instanceof RawBsonDocument raw) {
            // Already BSON: copied as the driver's RawBsonDocumentCodec pipes it.
            ByteBuffer b = raw.getByteBuffer().asNIO();
            int n = b.remaining();
            ensure(n);
            b.get(buf, pos, n);
            pos += n;
            return;
        }
        enter();
        int start = pos;
        ensure(4);
        pos += 4;
        for (Map.Entry<String, BsonValue> e : doc.entrySet()) {
            element(e.getKey(), e.getValue());
        }
        ensure(1);
        buf[pos++] = 0;
        putInt(start, pos - start);
        depth--;
    }

    private void array(BsonArray array) {
        enter();
        int start = pos;
        ensure(4);
        pos += 4;
        int i = 0;
        for (BsonValue v : array) {
            element(Integer.toString(i++), v);
        }
        ensure(1);
        buf[pos++] = 0;
        putInt(start, pos - start);
        depth--;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw new BsonSerializationException("Maximum serialization depth exceeded (does the object being serialized have a circular reference?).");
        }
    }

    private void element(String name, BsonValue v) {
        ensure(1);
        buf[pos++] = (byte) v.getBsonType().getValue();
        cstring(name);
        switch (v.getBsonType()) {
            case DOUBLE -> putLong(Double.doubleToRawLongBits(v.asDouble().getValue()));
            case STRING -> string(v.asString().getValue());
            case DOCUMENT -> document(v.asDocument());
            case ARRAY -> array(v.asArray());
            case BINARY -> binary(v.asBinary());
            case UNDEFINED, NULL, MIN_KEY, MAX_KEY -> { }
            case OBJECT_ID -> bytes(v.asObjectId().getValue().toByteArray());
            case BOOLEAN -> {
                ensure(1);
                buf[pos++] = (byte) (v.asBoolean().getValue() ? 1 : 0);
            }
            case DATE_TIME -> putLong(v.asDateTime().getValue());
            case REGULAR_EXPRESSION -> {
                BsonRegularExpression r = v.asRegularExpression();
                cstring(r.getPattern());
                cstring(r.getOptions());
            }
            case DB_POINTER -> {
                BsonDbPointer p = v.asDBPointer();
                string(p.getNamespace());
                bytes(p.getId().toByteArray());
            }
            case JAVASCRIPT -> string(v.asJavaScript().getCode());
            case SYMBOL -> string(v.asSymbol().getSymbol());
            case JAVASCRIPT_WITH_SCOPE -> {
                BsonJavaScriptWithScope js = v.asJavaScriptWithScope();
                int start = pos;
                ensure(4);
                pos += 4;
                string(js.getCode());
                document(js.getScope());
                putInt(start, pos - start);
            }
            case INT32 -> putInt(v.asInt32().getValue());
            case TIMESTAMP -> putLong(v.asTimestamp().getValue());
            case INT64 -> putLong(v.asInt64().getValue());
            case DECIMAL128 -> {
                Decimal128 d = v.asDecimal128().getValue();
                putLong(d.getLow());
                putLong(d.getHigh());
            }
            default -> throw new BsonSerializationException("cannot encode a value of type " + v.getBsonType());
        }
    }

    private void binary(BsonBinary b) {
        byte[] data = b.getData();
        if (b.getType() == BsonBinarySubType.OLD_BINARY.getValue()) {
            // The old subtype repeats the length inside the payload, as the driver writes it.
            putInt(data.length + 4);
            ensure(1);
            buf[pos++] = b.getType();
            putInt(data.length);
        } else {
            putInt(data.length);
            ensure(1);
            buf[pos++] = b.getType();
        }
        bytes(data);
    }

    /** A string: int32 length (with the terminator), UTF-8, NUL; NUL inside is allowed. */
    private void string(String s) {
        int start = pos;
        ensure(4);
        pos += 4;
        utf8(s, false);
        ensure(1);
        buf[pos++] = 0;
        putInt(start, pos - start - 4);
    }

    /** A name or regex part: UTF-8 then NUL; a NUL inside cannot be represented and is refused. */
    private void cstring(String s) {
        utf8(s, true);
        ensure(1);
        buf[pos++] = 0;
    }

    private void utf8(String s, boolean cstring) {
        int n = s.length();
        // Three bytes per UTF-16 unit at most (a surrogate pair's two units take four).
        ensure(3 * n);
        byte[] b = buf;
        int p = pos;
        int i = 0;
        // ASCII first, the common case, in a loop the JIT keeps tight.
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || c == 0) {
                break;
            }
            b[p++] = (byte) c;
        }
        while (i < n) {
            int cp = Character.codePointAt(s, i);
            if (cp == 0 && cstring) {
                pos = p;
                throw new BsonSerializationException(String.format(
                        "BSON cstring '%s' is not valid because it contains a null character at index %d", s, i));
            }
            if (cp < 0x80) {
                b[p++] = (byte) cp;
            } else if (cp < 0x800) {
                b[p++] = (byte) (0xC0 + (cp >> 6));
                b[p++] = (byte) (0x80 + (cp & 0x3F));
            } else if (cp < 0x10000) {
                // Unpaired surrogates land here too, encoded as the driver does (three bytes).
                b[p++] = (byte) (0xE0 + (cp >> 12));
                b[p++] = (byte) (0x80 + ((cp >> 6) & 0x3F));
                b[p++] = (byte) (0x80 + (cp & 0x3F));
            } else {
                b[p++] = (byte) (0xF0 + (cp >> 18));
                b[p++] = (byte) (0x80 + ((cp >> 12) & 0x3F));
                b[p++] = (byte) (0x80 + ((cp >> 6) & 0x3F));
                b[p++] = (byte) (0x80 + (cp & 0x3F));
            }
            i += Character.charCount(cp);
        }
        pos = p;
    }

    private void bytes(byte[] data) {
        ensure(data.length);
        System.arraycopy(data, 0, buf, pos, data.length);
        pos += data.length;
    }

    private void putInt(int v) {
        ensure(4);
        putInt(pos, v);
        pos += 4;
    }

    private void putInt(int at, int v) {
        buf[at] = (byte) v;
        buf[at + 1] = (byte) (v >> 8);
        buf[at + 2] = (byte) (v >> 16);
        buf[at + 3] = (byte) (v >> 24);
    }

    private void putLong(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[pos + i] = (byte) (v >> (8 * i));
        }
        pos += 8;
    }

    private void ensure(int more) {
        if (buf.length - pos < more) {
            long want = Math.max((long) buf.length * 2, (long) pos + more);
            if (want > Integer.MAX_VALUE - 8) {
                throw new BsonSerializationException("document too large to encode");
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }
}
