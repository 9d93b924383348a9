package dev.argon.engine.command.crud;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.engine.ArgonException;
import dev.argon.wal.Bson;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * An insert of a document that arrived as raw BSON stores the same bytes and fails with the same errors as the
 * insert of the same document decoded: {@code _id} first, missing (an ObjectId is written in front) or elsewhere
 * (moved to the front), too deep, or an {@code _id} of a refused type.
 */
class DocumentsRawTest {
    private final Random random = new Random(20261202);

    @Test
    void rawAndDecodedDocumentsAreStoredAlike() {
        for (int i = 0; i < 2000; i++) {
            BsonDocument fields = document(0);
            fields.remove("_id");
            BsonValue id = i % 3 == 0 ? new BsonObjectId(new ObjectId()) : new BsonString("user" + i);
            BsonDocument idFirst = new BsonDocument("_id", id).append("x", new BsonInt32(i));
            idFirst.putAll(fields);
            BsonDocument idLast = fields.clone().append("_id", id);

            for (BsonDocument doc : List.of(idFirst, idLast)) {
                Documents.Prepared decoded = Documents.prepareForInsert(doc);
                Documents.Prepared raw = Documents.prepareForInsert(new RawBsonDocument(Bson.bytes(doc)));
                assertArrayEquals(decoded.bson(), raw.bson(), doc::toJson);
                assertEquals(decoded.doc(), raw.doc());
            }

            Documents.Prepared generated = Documents.prepareForInsert(new RawBsonDocument(Bson.bytes(fields)));
            BsonValue newId = generated.doc().get("_id");
            assertTrue(newId.isObjectId());
            BsonDocument expected = new BsonDocument("_id", newId);
            expected.putAll(fields);
            assertArrayEquals(Bson.bytes(expected), generated.bson(), fields::toJson);
            assertEquals(expected, generated.doc());
        }
    }

    @Test
    void nestingIsCountedAsForTheDecodedDocument() {
        for (int depth = 98; depth <= 102; depth++) {
            for (BsonValue leaf : List.of(new BsonInt32(1), new BsonDocument(), new BsonArray(), new BsonDocument("z", new BsonInt32(1)))) {
                BsonDocument doc = new BsonDocument("_id", new BsonInt32(1)).append("a", nested(depth, leaf));
                assertSameOutcome(doc);
            }
        }
    }

    @Test
    void refusedIdsAreRefusedWithTheSameError() {
        assertSameOutcome(new BsonDocument("_id", new BsonArray(List.of(new BsonInt32(1)))));
        assertSameOutcome(new BsonDocument("_id", new BsonRegularExpression("a")));
        assertSameOutcome(new BsonDocument("_id", new BsonDocument("$x", new BsonInt32(1))));
        assertSameOutcome(new BsonDocument("a", new BsonInt32(1)).append("_id", new BsonArray()));
    }

    private static void assertSameOutcome(BsonDocument doc) {
        ArgonException decodedError = null;
        Documents.Prepared decoded = null;
        try {
            decoded = Documents.prepareForInsert(doc);
        } catch (ArgonException e) {
            decodedError = e;
        }
        RawBsonDocument raw = new RawBsonDocument(Bson.bytes(doc));
        if (decodedError == null) {
            assertArrayEquals(decoded.bson(), Documents.prepareForInsert(raw).bson());
        } else {
            ArgonException rawError = assertThrows(ArgonException.class, () -> Documents.prepareForInsert(raw));
            assertEquals(decodedError.error(), rawError.error());
            assertEquals(decodedError.getMessage(), rawError.getMessage());
        }
    }

    private static BsonValue nested(int levels, BsonValue leaf) {
        BsonValue v = leaf;
        for (int i = 0; i < levels; i++) {
            v = i % 2 == 0 ? new BsonDocument("n", v) : new BsonArray(List.of(v));
        }
        return v;
    }

    private BsonDocument document(int depth) {
        BsonDocument d = new BsonDocument();
        int n = random.nextInt(depth == 0 ? 12 : 4);
        for (int i = 0; i < n; i++) {
            d.put("f" + random.nextInt(40), value(depth));
        }
        return d;
    }

    private BsonValue value(int depth) {
        return switch (random.nextInt(depth < 3 ? 7 : 5)) {
            case 0 -> new BsonString("caf\u00e9 " + random.nextInt());
            case 1 -> new BsonInt32(random.nextInt());
            case 2 -> new BsonInt64(random.nextLong());
            case 3 -> new BsonDouble(random.nextDouble());
            case 4 -> new BsonObjectId(new ObjectId());
            case 5 -> document(depth + 1);
            default -> {
                List<BsonValue> values = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    values.add(value(depth + 1));
                }
                yield new BsonArray(values);
            }
        };
    }
}
