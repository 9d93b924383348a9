package dev.argon.engine.command.branch;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import org.bson.BsonDocument;

/** {@code {dropTag: "v1"}}. */
public final class DropTagHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        ctx.engine().store().versions().dropTag(Args.string(ctx, ctx.name(), true));
        return new BsonDocument();
    }
}
