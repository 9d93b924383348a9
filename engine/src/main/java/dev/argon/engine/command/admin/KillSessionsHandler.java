package dev.argon.engine.command.admin;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * {@code {killSessions: [{id: UUID}, ...]}}: kills the sessions' cursors at once and aborts their transactions; an empty list kills the
 * cursors of every session (with authentication off every session belongs to the caller).
 */
public final class KillSessionsHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        List<BsonValue> ids = SessionIds.parse(ctx);
        if (ids.isEmpty()) {
            ctx.engine().cursors().killAllSessions();
            ctx.engine().localSessions().removeAll();
        } else {
            ctx.engine().cursors().killSessions(ids);
            ctx.engine().localSessions().remove(ids);
        }
        return new BsonDocument();
    }
}
