package dev.argon.engine.bson;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.argon.engine.query.DocPath;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.junit.jupiter.api.Test;

/**
 * The raw-bytes field lookup against the driver's own {@code RawBsonDocument.get}, on random documents of every
 * BSON type (duplicate keys, empty and non-ASCII names, nested documents and arrays), and query traversal on a raw
 * document against the same document decoded.
 */
class RawFieldsTest {
    private static final org.bson.json.JsonWriterSettings CANONICAL =
            org.bson.json.JsonWriterSettings.builder().outputMode(org.bson.json.JsonMode.EXTENDED).build();
    private static final String[] KEYS = {"a", "b", "", "ab", "é", "_id", "0", "1", "missing"};
    private static final String[] PATHS = {"a", "b", "a.b", "a.0", "a.b.a", "b.1.a", "é.a", "a.0.b", "_id", "missing.a", "ab.", "0.1"};

    @Test
    void everyFieldDecodesAsTheDriverDecodesIt() {
        RandomBson random = new RandomBson(7);
        for (int n = 0; n < 3_000; n++) {
            RawBsonDocument raw = rawOrNull(random.document(3));
            if (raw == null) {
                continue;
            }
            for (String key : KEYS) {
                assertSame(raw.get(key), RawFields.get(raw, key, RawFields.name(key)), raw.toJson() + " key '" + key + "'");
            }
        }
    }

    @Test
    void aSliceOfALargerArrayReadsOnlyItsOwnBytes() {
        RawBsonDocument outer = new RawBsonDocument(new BsonDocument("x", new BsonInt32(1))
                .append("inner", new BsonDocument("a", new BsonString("in")))
                .append("a", new BsonString("out")), new BsonDocumentCodec());
        RawBsonDocument inner = (RawBsonDocument) RawFields.get(outer, "inner", RawFields.name("inner"));
        assertEquals(new BsonString("in"), RawFields.get(inner, "a", RawFields.name("a")));
        assertNull(RawFields.get(inner, "x", RawFields.name("x")));
        assertEquals(new BsonString("out"), RawFields.get(outer, "a", RawFields.name("a")));
    }

    @Test
    void queryTraversalOnARawDocumentMatchesTheDecodedOne() {
        RandomBson random = new RandomBson(11);
        for (int n = 0; n < 3_000; n++) {
            RawBsonDocument raw = rawOrNull(random.document(3));
            if (raw == null) {
                continue;
            }
            // Decoded from the same bytes: a generated string with a lone surrogate is already replaced in them.
            BsonDocument doc = new BsonDocumentCodec().decode(new org.bson.BsonBinaryReader(java.nio.ByteBuffer.wrap(raw.getBackingArray(),
                    raw.getByteOffset(), raw.getByteLength())), org.bson.codecs.DecoderContext.builder().build());
            for (String path : PATHS) {
                for (boolean expand : new boolean[] {false, true}) {
                    assertEquals(visits(doc, path, expand), visits(raw, path, expand), doc.toJson() + " path " + path);
                }
            }
        }
    }

    /** The document encoded, or null when it cannot be (the generator puts NUL into some names). */
    private static RawBsonDocument rawOrNull(BsonDocument doc) {
        try {
            return new RawBsonDocument(doc, new BsonDocumentCodec());
        } catch (org.bson.BsonSerializationException e) {
            return null;
        }
    }

    private static List<String> visits(BsonDocument doc, String path, boolean expand) {
        List<String> out = new ArrayList<>();
        DocPath.of(path).traverse(doc, expand, (v, i) -> {
            // Canonical extended JSON keeps every type; bytes would not do here, since a raw slice keeps invalid
            // UTF-8 as stored while the decoded form re-encodes its replacement character.
            out.add(i + ":" + (v == null ? "missing" : new BsonDocument("v", v).toJson(CANONICAL)));
            return false;
        });
        return out;
    }

    private static void assertSame(BsonValue expected, BsonValue actual, String what) {
        if (expected == null) {
            assertNull(actual, what);
        } else {
            assertArrayEquals(encode(expected), encode(actual), what);
        }
    }

    private static byte[] encode(BsonValue v) {
        RawBsonDocument d = new RawBsonDocument(new BsonDocument("v", v), new BsonDocumentCodec());
        return java.util.Arrays.copyOfRange(d.getBackingArray(), d.getByteOffset(), d.getByteOffset() + d.getByteLength());
    }
}
