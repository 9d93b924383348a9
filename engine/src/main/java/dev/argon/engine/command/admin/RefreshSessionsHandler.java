package dev.argon.engine.command.admin;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import org.bson.BsonDocument;

/**
 * {@code {refreshSessions: [{id: UUID}, ...]}}: accepted and checked. Sessions expire by their cursors' idle
 * timeout here, so there is nothing else to refresh.
 */
public final class RefreshSessionsHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        SessionIds.parse(ctx);
        return new BsonDocument();
    }
}
