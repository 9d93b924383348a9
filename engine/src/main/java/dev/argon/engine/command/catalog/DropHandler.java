package dev.argon.engine.command.catalog;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.Store;
import dev.argon.engine.store.WriteSession;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;

/**
 * {@code drop}: removes a collection from the branch's catalog (one tombstone: the cost does not depend on
 * the collection's size, and history keeps the documents for time travel). Dropping a missing collection
 * succeeds, as on MongoDB 7.0.
 */
public final class DropHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        String name = ctx.collectionName();
        try (Store.Write w = ctx.beginWrite()) {
            WriteSession s = w.session();
            CollectionInfo c = s.collection(ctx.db(), name);
            if (c == null) {
                return new BsonDocument();
            }
            s.dropCollection(c);
            s.commit(ctx.actor(), ctx.comment(), ctx.journaled());
            return new BsonDocument("nIndexesWas", new BsonInt32(c.indexes().size() + 1)).append("ns", new BsonString(c.ns()));
        }
    }
}
