package dev.argon.engine.command.admin;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import org.bson.BsonDocument;

/**
 * {@code {endSessions: [{id: UUID}, ...]}}: marks the sessions as ended; their cursors are killed by the
 * cursor reaper's next pass (within a second), as mongod's session cache does on its next refresh.
 */
public final class EndSessionsHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        ctx.engine().cursors().endSessions(SessionIds.parse(ctx));
        return new BsonDocument();
    }
}
