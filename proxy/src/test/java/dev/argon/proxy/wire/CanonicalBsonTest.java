package dev.argon.proxy.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.engine.ArgonException;
import dev.argon.wal.Bson;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
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
import org.bson.RawBsonDocument;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * {@link CanonicalBson} is sound: every document it calls canonical parses, and decoding and re-encoding it with the
 * WAL's encoder gives back the very same bytes; and it is useful: the documents drivers send (every common type,
 * well-formed text) are canonical, so an insert takes the raw path.
 */
class CanonicalBsonTest {
    private final Random random = new Random(20261202);

    @Test
    void everyCanonicalAnswerParsesAndReencodesToTheSameBytes() {
        int canonical = 0;
        int checked = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] bytes = Frames.bson(document(0, true));
            for (int m = 0; m < 6; m++) {
                byte[] b = m == 0 ? bytes : mutate(bytes);
                checked++;
                if (CanonicalBson.canonical(b)) {
                    canonical++;
                    BsonDocument parsed = BsonParser.parse(Unpooled.wrappedBuffer(b), 0, b.length);
                    assertArrayEquals(b, Bson.bytes(parsed), () -> "not canonical after all: " + parsed.toJson());
                } else if (m == 0) {
                    assertRoundTripChangesOrIsRefused(b);
                }
            }
        }
        assertTrue(canonical > 1000, canonical + " of " + checked + " inputs canonical");
    }

    @Test
    void documentsOfTheCommonTypesWithWellFormedTextAreCanonical() {
        for (int i = 0; i < 3000; i++) {
            BsonDocument doc = document(0, false);
            byte[] bytes = Frames.bson(doc);
            assertTrue(CanonicalBson.canonical(bytes), doc::toJson);
        }
    }

    @Test
    void documentsThatDoNotRoundTripUnchangedAreNotCanonical() {
        // A repeated name: the parser keeps one value, so the re-encoding is shorter.
        assertFalse(CanonicalBson.canonical(concat(new BsonDocument("a", new BsonInt32(1)), new BsonDocument("a", new BsonInt32(2)))));
        // Array element names out of order: the encoder writes 0, 1, ...
        byte[] array = Frames.bson(new BsonDocument("a", new BsonArray(List.of(new BsonInt32(1), new BsonInt32(2)))));
        swapByte(array, (byte) '0', (byte) '7');
        assertFalse(CanonicalBson.canonical(array));
        // Regex options are sorted by the decoder; an old binary's inner length is rewritten.
        assertFalse(CanonicalBson.canonical(Frames.bson(new BsonDocument("r", new BsonRegularExpression("x", "i")))));
        assertFalse(CanonicalBson.canonical(Frames.bson(new BsonDocument("b", new BsonBinary(BsonBinarySubType.OLD_BINARY, new byte[3])))));
        assertFalse(CanonicalBson.canonical(Frames.bson(new BsonDocument("n", new BsonDouble(Double.NaN)))));
        // Not well-formed UTF-8: an unpaired surrogate as the driver writes it.
        assertFalse(CanonicalBson.canonical(Frames.bson(new BsonDocument("s", new BsonString("a\ud800b")))));
        byte[] bool = Frames.bson(new BsonDocument("t", BsonBoolean.TRUE));
        bool[bool.length - 2] = 2;
        assertFalse(CanonicalBson.canonical(bool));
    }

    @Test
    void aCanonicalInsertSequenceArrivesAsRawBsonAndOthersDecoded() {
        BsonDocument plain = new BsonDocument("_id", new BsonInt32(1)).append("x", new BsonString("caf\u00e9"));
        byte[] repeated = concat(new BsonDocument("_id", new BsonInt32(2)), new BsonDocument("_id", new BsonInt32(3)));
        byte[] msg = Frames.opMsg(1, 0, new BsonDocument("insert", new BsonString("c")).append("$db", new BsonString("d")),
                sequence("documents", Frames.bson(plain), repeated), Frames.sequence("updates", List.of(plain)));
        WireRequest request = MessageDecoder.decode(Unpooled.wrappedBuffer(msg), OpCode.OP_MSG, null);
        BsonArray docs = request.command().getArray("documents");
        assertInstanceOf(RawBsonDocument.class, docs.get(0));
        assertEquals(plain, docs.get(0));
        assertFalse(docs.get(1) instanceof RawBsonDocument);
        assertEquals(new BsonDocument("_id", new BsonInt32(3)), docs.get(1));
        assertFalse(request.command().getArray("updates").get(0) instanceof RawBsonDocument);
    }

    private static void assertRoundTripChangesOrIsRefused(byte[] b) {
        try {
            BsonDocument parsed = BsonParser.parse(Unpooled.wrappedBuffer(b), 0, b.length);
            byte[] again = Bson.bytes(parsed);
            // Valid but not canonical: only the kinds the class doc lists may land here.
            if (java.util.Arrays.equals(b, again)) {
                String json = parsed.toJson();
                assertTrue(json.contains("$regularExpression") || json.contains("$binary") || json.contains("$dbPointer") || json.contains("\"$ref\"")
                        || json.contains("$scope") || json.contains("NaN") || json.contains("$code"), json);
            }
        } catch (ArgonException e) {
            // refused: fine
        }
    }

    private byte[] mutate(byte[] bytes) {
        byte[] b = bytes.clone();
        switch (random.nextInt(3)) {
            case 0 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            case 1 -> {
                int at = 4 + random.nextInt(Math.max(1, b.length - 5));
                b[at] = (byte) (b[at] ^ (1 << random.nextInt(8)));
            }
            default -> {
                // A length field off by a little.
                int at = random.nextInt(Math.max(1, b.length - 4));
                b[at] = (byte) (b[at] + random.nextInt(5) - 2);
            }
        }
        return b;
    }

    private static void swapByte(byte[] b, byte from, byte to) {
        for (int i = 4; i < b.length; i++) {
            if (b[i] == from && b[i + 1] == 0 && b[i - 1] == 0x10) {
                b[i] = to;
                return;
            }
        }
        throw new AssertionError("no array index found");
    }

    /** The fields of a then of b in one document, repeats kept (no BsonDocument can hold them). */
    private static byte[] concat(BsonDocument a, BsonDocument b) {
        byte[] x = Frames.bson(a);
        byte[] y = Frames.bson(b);
        byte[] out = new byte[x.length + y.length - 5];
        System.arraycopy(x, 0, out, 0, x.length - 1);
        System.arraycopy(y, 4, out, x.length - 1, y.length - 4);
        int n = out.length;
        out[0] = (byte) n;
        out[1] = (byte) (n >> 8);
        out[2] = (byte) (n >> 16);
        out[3] = (byte) (n >> 24);
        return out;
    }

    private static byte[] sequence(String identifier, byte[]... documents) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(identifier.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        body.write(0);
        for (byte[] d : documents) {
            body.writeBytes(d);
        }
        int size = 4 + body.size();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(1);
        out.write(size);
        out.write(size >> 8);
        out.write(size >> 16);
        out.write(size >> 24);
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private BsonDocument document(int depth, boolean rare) {
        BsonDocument d = new BsonDocument();
        int n = random.nextInt(depth == 0 ? 40 : 5);
        for (int i = 0; i < n; i++) {
            d.put(name(rare), value(depth, rare));
        }
        return d;
    }

    private String name(boolean rare) {
        return random.nextInt(4) == 0 ? text(rare).replace("\u0000", "") : "f" + random.nextInt(100);
    }

    /** Text; with rare, also unpaired surrogates (which the driver writes as ill-formed UTF-8). */
    private String text(boolean rare) {
        StringBuilder b = new StringBuilder();
        int n = random.nextInt(20);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(6)) {
                case 0 -> b.append((char) random.nextInt(0x80));
                case 1 -> b.append((char) (0x80 + random.nextInt(0x780)));
                case 2 -> {
                    char c = (char) (0x800 + random.nextInt(0xF000));
                    b.append(!rare && Character.isSurrogate(c) ? 'x' : c);
                }
                case 3 -> b.appendCodePoint(0x10000 + random.nextInt(0x100000));
                default -> b.append((char) ('a' + random.nextInt(26)));
            }
        }
        return b.toString();
    }

    private BsonValue value(int depth, boolean rare) {
        int kind = random.nextInt(depth < 4 ? 22 : 20);
        if (!rare && (kind == 3 || kind == 9 || kind == 10 || kind == 13)) {
            kind = 14;
        }
        return switch (kind) {
            case 0 -> new BsonDouble(random.nextDouble() * 1e6 - 5e5);
            case 1 -> new BsonString(text(rare));
            case 2 -> new BsonBinary((byte) (random.nextBoolean() ? 0 : 3 + random.nextInt(6)), bytes());
            case 3 -> new BsonBinary(BsonBinarySubType.OLD_BINARY, bytes());
            case 4 -> new BsonUndefined();
            case 5 -> new BsonObjectId(new ObjectId());
            case 6 -> BsonBoolean.valueOf(random.nextBoolean());
            case 7 -> new BsonDateTime(random.nextLong());
            case 8 -> BsonNull.VALUE;
            case 9 -> new BsonRegularExpression(text(rare).replace("\u0000", ""), "imx");
            case 10 -> new BsonDbPointer(text(rare), new ObjectId());
            case 11 -> new BsonJavaScript(text(rare));
            case 12 -> new BsonSymbol(text(rare));
            case 13 -> new BsonJavaScriptWithScope(text(rare), new BsonDocument("x", new BsonInt32(random.nextInt())));
            case 14 -> new BsonInt32(random.nextInt());
            case 15 -> new BsonTimestamp(random.nextLong());
            case 16 -> new BsonInt64(random.nextLong());
            case 17 -> new BsonDecimal128(Decimal128.parse(random.nextInt() + "." + random.nextInt(1000)));
            case 18 -> random.nextBoolean() ? new BsonMinKey() : new BsonMaxKey();
            case 19 -> document(depth + 1, rare);
            case 20 -> document(depth + 1, rare);
            default -> {
                List<BsonValue> values = new ArrayList<>();
                int n = random.nextInt(random.nextInt(10) == 0 ? 30 : 6);
                for (int i = 0; i < n; i++) {
                    values.add(value(depth + 1, rare));
                }
                yield new BsonArray(values);
            }
        };
    }

    private byte[] bytes() {
        byte[] b = new byte[random.nextInt(40)];
        random.nextBytes(b);
        return b;
    }
}
