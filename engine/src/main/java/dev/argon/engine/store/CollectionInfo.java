package dev.argon.engine.store;

import java.util.ArrayList;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * A collection's catalog entry: its id (new for every re-creation, so versions of a dropped collection never
 * leak into a new one of the same name), the options given to {@code create}, and its secondary indexes.
 * Immutable; changes produce a new entry version.
 */
public record CollectionInfo(String db, String name, long collectionId, BsonDocument options, List<IndexInfo> indexes,
                             BsonValue uuid) {

    public String ns() {
        return db + "." + name;
    }

    public IndexInfo index(String indexName) {
        for (IndexInfo i : indexes) {
            if (i.name().equals(indexName)) {
                return i;
            }
        }
        return null;
    }

    public int nextIndexId() {
        int max = 0;
        for (IndexInfo i : indexes) {
            max = Math.max(max, i.indexId());
        }
        return max + 1;
    }

    public CollectionInfo withIndexes(List<IndexInfo> newIndexes) {
        return new CollectionInfo(db, name, collectionId, options, List.copyOf(newIndexes), uuid);
    }

    public CollectionInfo renamed(String newDb, String newName) {
        return new CollectionInfo(newDb, newName, collectionId, options, indexes, uuid);
    }

    /** The catalog entry as stored (docs/FORMATS.md). */
    public BsonDocument toBson() {
        BsonArray idx = new BsonArray();
        for (IndexInfo i : indexes) {
            idx.add(i.toBson());
        }
        return new BsonDocument("db", new BsonString(db)).append("name", new BsonString(name))
                .append("collectionId", new BsonInt64(collectionId)).append("options", options)
                .append("indexes", idx).append("uuid", uuid);
    }

    static CollectionInfo fromBson(BsonDocument d) {
        List<IndexInfo> idx = new ArrayList<>();
        for (BsonValue v : d.getArray("indexes")) {
            idx.add(IndexInfo.fromBson(v.asDocument()));
        }
        return new CollectionInfo(d.getString("db").getValue(), d.getString("name").getValue(),
                d.getInt64("collectionId").getValue(), d.getDocument("options"), List.copyOf(idx), d.get("uuid"));
    }
}
