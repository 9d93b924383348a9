package dev.argon.engine.store;

import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;

/**
 * A secondary index definition as stored in its collection's catalog entry. {@code spec} is the document
 * {@code listIndexes} shows ({@code v, key, name} and options). {@code markers}: the index also holds a
 * multikey marker entry for every document that produced an array key ({@link IndexKeys#MARKER}); indexes
 * built before markers existed lack them, and the planner does not read such an index, because it could not
 * tell which documents are multikey. {@code nullKeys}: the keys follow MongoDB's rules for missing values
 * ({@link IndexKeys}): an array element that lacks the path indexes as null, and an empty array as {@code []},
 * apart from null. Indexes built before lack the flag and keep their old keys (a missing path inside an array
 * wrote no key, an empty array the null key), so the planner never answers a null equality from them.
 * Immutable.
 */
public record IndexInfo(int indexId, String name, BsonDocument key, boolean unique, boolean sparse,
                        BsonDocument partialFilter, BsonDocument spec, boolean markers, boolean nullKeys) {

    static IndexInfo fromBson(BsonDocument d) {
        BsonDocument spec = d.getDocument("spec");
        return new IndexInfo(d.getInt32("indexId").getValue(), spec.getString("name").getValue(), spec.getDocument("key"),
                spec.getBoolean("unique", BsonBoolean.FALSE).getValue(), spec.getBoolean("sparse", BsonBoolean.FALSE).getValue(),
                spec.isDocument("partialFilterExpression") ? spec.getDocument("partialFilterExpression") : null, spec,
                d.getBoolean("markers", BsonBoolean.FALSE).getValue(), d.getBoolean("nullKeys", BsonBoolean.FALSE).getValue());
    }

    BsonDocument toBson() {
        BsonDocument d = new BsonDocument("indexId", new BsonInt32(indexId)).append("spec", spec);
        if (markers) {
            d.append("markers", BsonBoolean.TRUE);
        }
        if (nullKeys) {
            d.append("nullKeys", BsonBoolean.TRUE);
        }
        return d;
    }

    /** The same index with another spec (collMod changes options, never the keys or their layout). */
    public IndexInfo withSpec(BsonDocument newSpec) {
        return new IndexInfo(indexId, name, key, unique, sparse, partialFilter, newSpec, markers, nullKeys);
    }

    /** Hidden indexes ({@code collMod} {@code hidden: true}) are maintained but never used by the planner. */
    public boolean hidden() {
        return spec.getBoolean("hidden", BsonBoolean.FALSE).getValue();
    }

    /** The document listIndexes returns for this index. */
    public BsonDocument listing() {
        return spec.clone();
    }

    public static BsonDocument idIndexSpec() {
        return new BsonDocument("v", new BsonInt32(2)).append("key", new BsonDocument("_id", new BsonInt32(1)))
                .append("name", new BsonString("_id_"));
    }
}
