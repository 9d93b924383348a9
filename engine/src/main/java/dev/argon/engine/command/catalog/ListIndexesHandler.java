package dev.argon.engine.command.catalog;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.IndexInfo;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;

/** {@code listIndexes}: {@code _id_} first, then the secondary indexes in creation order. */
public final class ListIndexesHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        String name = ctx.collectionName();
        CollectionInfo c = ctx.readView().collection(ctx.db(), name);
        if (c == null) {
            throw new ArgonException(MongoErrorCode.NAMESPACE_NOT_FOUND, "ns does not exist: " + ctx.db() + "." + name);
        }
        List<BsonDocument> out = new ArrayList<>();
        out.add(IndexInfo.idIndexSpec());
        for (IndexInfo i : c.indexes()) {
            out.add(i.listing());
        }
        BsonDocument cursor = ctx.document("cursor");
        long batchSize = cursor != null && cursor.containsKey("batchSize") ? cursor.get("batchSize").asNumber().longValue() : -1;
        return ctx.engine().cursors().firstBatch(c.ns(), out.iterator(), null, batchSize, false, ctx.sessionId());
    }
}
