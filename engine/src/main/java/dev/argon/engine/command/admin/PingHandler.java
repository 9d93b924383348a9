package dev.argon.engine.command.admin;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import org.bson.BsonDocument;

/** {@code ping}: answers {@code {ok: 1}}; also used for no-op session commands. */
public final class PingHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        return new BsonDocument();
    }
}
