package dev.argon.engine.command.catalog;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import org.bson.BsonDocument;

/**
 * {@code collStats}: {@link CollStats} of one collection on the selected branch or time-travel point; a collection
 * that does not exist answers zeros, as mongod 7 does. {@code scale} divides the sizes.
 */
public final class CollStatsHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        String name = CollStats.collectionName(ctx, ctx.command().get("collStats"), "collStats");
        long scale = CollStats.scale(ctx.command().get("scale"), "scale");
        String db = ctx.db();
        var view = ctx.readView();
        return CollStats.of(view, view.collection(db, name), db + "." + name, scale);
    }
}
