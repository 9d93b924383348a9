package dev.argon.engine.store;

import dev.argon.wal.Bson;
import dev.argon.wal.Bytes;
import dev.argon.wal.KeyOwners;
import java.util.function.LongConsumer;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Tells the WAL's GC which keys belong to which collection and index, so that a dropped collection's documents and
 * a dropped index's entries go once no kept catalog version names them: a document key belongs to its collection
 * id, an index entry to its index id (collection and index ids come from one allocator and are never reused; index
 * owners carry a high bit so the two kinds can never be confused). Stateless, thread-safe.
 */
public final class StoreKeyOwners implements KeyOwners {
    public static final StoreKeyOwners INSTANCE = new StoreKeyOwners();
    private static final long INDEX = 1L << 62;

    private StoreKeyOwners() {}

    @Override
    public byte[] catalogPrefix() {
        return Keys.catalogPrefix();
    }

    @Override
    public void owners(byte[] catalogPayload, LongConsumer sink) {
        BsonDocument d = Bson.document(catalogPayload);
        sink.accept(d.getInt64("collectionId").getValue());
        for (BsonValue i : d.getArray("indexes")) {
            sink.accept(INDEX | i.asDocument().getInt32("indexId").getValue());
        }
    }

    @Override
    public long owner(byte[] userKey) {
        if (userKey.length >= 9 && userKey[0] == Keys.DOC) {
            return Bytes.getLong(userKey, 1);
        }
        if (userKey.length >= 13 && userKey[0] == Keys.INDEX) {
            return INDEX | Bytes.getInt(userKey, 9);
        }
        return -1;
    }
}
