package dev.argon.engine.command.admin;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import org.bson.BsonDocument;
import org.bson.BsonString;

/** {@code whatsmyuri}: the client's address as the server sees it. */
public final class WhatsMyUriHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        return new BsonDocument("you", new BsonString(ctx.client() == null ? "" : ctx.client().remoteAddress()));
    }
}
