package dev.argon.engine.command.catalog;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.IndexInfo;
import dev.argon.engine.store.Store;
import dev.argon.engine.store.WriteSession;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;

/**
 * {@code dropIndexes}: by name, by key pattern, a list of names, or {@code "*"} for all but {@code _id_}.
 * The index's entries stay behind under its unique id, unreachable, like a dropped collection's documents.
 */
public final class DropIndexesHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        String name = ctx.collectionName();
        BsonValue which = ctx.command().get("index");
        if (which == null) {
            throw ArgonException.failedToParse("BSON field 'dropIndexes.index' is missing but a required field");
        }
        try (Store.Write w = ctx.beginWrite()) {
            WriteSession s = w.session();
            CollectionInfo c = s.collection(ctx.db(), name);
            if (c == null) {
                throw new ArgonException(MongoErrorCode.NAMESPACE_NOT_FOUND, "ns not found " + ctx.db() + "." + name);
            }
            int was = c.indexes().size() + 1;
            List<IndexInfo> keep = new ArrayList<>(c.indexes());
            if (which.isString() && which.asString().getValue().equals("*")) {
                keep.clear();
            } else if (which.isString()) {
                remove(keep, which.asString().getValue(), null);
            } else if (which.isArray()) {
                for (BsonValue v : which.asArray()) {
                    remove(keep, v.asString().getValue(), null);
                }
            } else if (which.isDocument()) {
                remove(keep, null, which.asDocument());
            } else {
                throw ArgonException.typeMismatch("BSON field 'dropIndexes.index' is the wrong type, expected types '[string, object, array]'");
            }
            if (keep.size() != c.indexes().size()) {
                s.putCatalog(c.withIndexes(keep), "dropIndexes");
                s.commit(ctx.actor(), ctx.comment(), ctx.journaled());
            }
            return new BsonDocument("nIndexesWas", new BsonInt32(was));
        }
    }

    private static void remove(List<IndexInfo> keep, String byName, BsonDocument byKey) {
        if ("_id_".equals(byName) || (byKey != null && byKey.size() == 1 && byKey.containsKey("_id"))) {
            throw new ArgonException(MongoErrorCode.INVALID_OPTIONS, "cannot drop _id index");
        }
        for (int i = 0; i < keep.size(); i++) {
            IndexInfo x = keep.get(i);
            if ((byName != null && x.name().equals(byName)) || (byKey != null && x.key().equals(byKey))) {
                keep.remove(i);
                return;
            }
        }
        throw new ArgonException(MongoErrorCode.INDEX_NOT_FOUND, byName != null ? "index not found with name [" + byName + "]"
                : "can't find index with key: " + byKey.toJson());
    }
}
