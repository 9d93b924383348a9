package dev.argon.engine.bson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.wal.Bson;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;

/** The computed BSON size equals the length of the driver's encoding, for random documents of every type. */
class BsonSizeTest {
    @Test
    void equalsTheEncodedLengthOfRandomDocuments() {
        RandomBson rnd = new RandomBson(7);
        int compared = 0;
        for (int i = 0; i < 5000; i++) {
            BsonDocument d = rnd.document(3);
            byte[] encoded;
            try {
                encoded = Bson.bytes(d);
            } catch (org.bson.BsonSerializationException e) {
                continue; // a field name with NUL: no BSON exists for it (a client cannot send one either)
            }
            assertEquals(encoded.length, BsonSize.of(d), d::toString);
            compared++;
        }
        assertTrue(compared > 1000, "only " + compared + " random documents could be encoded");
    }

    @Test
    void countsLongArraysOldBinaryAndRawDocuments() {
        List<org.bson.BsonValue> many = new ArrayList<>();
        for (int i = 0; i < 1234; i++) {
            many.add(new BsonInt32(i));
        }
        BsonDocument d = new BsonDocument("a", new BsonArray(many)).append("old", new BsonBinary((byte) 2, new byte[] {1, 2, 3}))
                .append("s", new BsonString("\ud83d\ude00 \ud800 é"));
        assertEquals(Bson.bytes(d).length, BsonSize.of(d));
        BsonDocument nested = new BsonDocument("raw", new RawBsonDocument(Bson.bytes(d)));
        assertEquals(Bson.bytes(nested).length, BsonSize.of(nested));
        assertEquals(Bson.bytes(d).length, BsonSize.of(new RawBsonDocument(Bson.bytes(d))));
    }
}
