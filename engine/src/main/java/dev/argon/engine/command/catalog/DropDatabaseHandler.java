package dev.argon.engine.command.catalog;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.Store;
import dev.argon.engine.store.WriteSession;
import org.bson.BsonDocument;
import org.bson.BsonString;

/** {@code dropDatabase}: drops every collection of the database on the branch, in one commit. */
public final class DropDatabaseHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        try (Store.Write w = ctx.beginWrite()) {
            WriteSession s = w.session();
            for (CollectionInfo c : s.collections(ctx.db())) {
                s.dropCollection(c, "dropDatabase");
            }
            s.commit(ctx.actor(), ctx.comment(), ctx.journaled());
        }
        return new BsonDocument("dropped", new BsonString(ctx.db()));
    }
}
