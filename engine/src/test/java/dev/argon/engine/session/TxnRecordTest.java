package dev.argon.engine.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.argon.wal.Bson;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

/** A session record's stored bytes, written directly, are those of its document form, and read back the same. */
class TxnRecordTest {
    private static final BsonDocument LSID = new BsonDocument("id", new BsonBinary(UUID.fromString("3f1c2b4a-0d5e-4f60-8a71-92b3c4d5e6f7")))
            .append("uid", new BsonBinary(new byte[32]));

    private static byte[] key() {
        byte[] prefix = "txn/".getBytes(StandardCharsets.UTF_8);
        byte[] lsid = Bson.bytes(LSID);
        byte[] key = new byte[prefix.length + lsid.length];
        System.arraycopy(prefix, 0, key, 0, prefix.length);
        System.arraycopy(lsid, 0, key, prefix.length, lsid.length);
        return key;
    }

    private static void same(TxnRecord r) {
        byte[] direct = r.toBytes(key(), 4);
        assertArrayEquals(Bson.bytes(r.toBson(LSID)), direct);
        TxnRecord back = TxnRecord.fromBson(Bson.document(direct));
        assertEquals(r.toBson(LSID), back.toBson(LSID));
    }

    @Test
    void directBytesEqualTheDocumentsEncoding() {
        same(TxnRecord.empty(1, 1_700_000_000_000L));
        same(TxnRecord.committedTransaction(Long.MAX_VALUE, -1));
        Map<Integer, BsonDocument> applied = new TreeMap<>();
        for (int i = 0; i < 12; i++) {
            applied.put(i, TxnRecord.IMPLIED);                       // one range 0..11
        }
        applied.put(20, TxnRecord.IMPLIED);                          // and 20..20
        applied.put(-3, new BsonDocument("n", new BsonInt32(1)).append("nModified", new BsonInt32(1)));
        applied.put(100, new BsonDocument("n", new BsonInt32(0)).append("upserted",
                new BsonDocument("_id", new BsonString("é, \uD83D\uDE00"))));
        TxnRecord r = TxnRecord.empty(42, 5).with(applied, 1_800_000_000_123L);
        same(r);
        same(r.with(Map.of(12, TxnRecord.IMPLIED, 13, new BsonDocument("n", new BsonInt32(1))), 9));
    }
}
