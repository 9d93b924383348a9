package dev.argon.engine.command.admin;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import org.bson.BsonDocument;

/**
 * {@code {endSessions: [{id: UUID}, ...]}}: marks the sessions as ended; their cursors are killed by the
 * cursor reaper's next pass (within a second), as mongod's session cache does on its next refresh; their open
 * transactions are aborted at once.
 */
public final class EndSessionsHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        // Forgetting the sessions also aborts their open transactions and marks their cursors for the reaper.
        ctx.engine().localSessions().remove(SessionIds.parse(ctx));
        return new BsonDocument();
    }
}
