package dev.argon.engine.command.admin;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import org.bson.BsonDocument;

/**
 * {@code {refreshSessions: [{id: UUID}, ...]}}: marks the sessions used now, so that they do not expire
 * (30 minutes after their last use).
 */
public final class RefreshSessionsHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        ctx.engine().localSessions().refresh(SessionIds.parse(ctx));
        return new BsonDocument();
    }
}
