package dev.argon.engine.command.admin;

import dev.argon.engine.ArgonException;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * {@code {killAllSessions: []}}: kills the cursors of every session. A non-empty list names users
 * ({@code {user, db}}); with authentication off no session belongs to a user, so it kills nothing.
 */
public final class KillAllSessionsHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        BsonValue v = ctx.command().get(ctx.name());
        if (!v.isArray()) {
            throw ArgonException.typeMismatch("BSON field 'killAllSessions' is the wrong type '" + CommandContext.typeName(v)
                    + "', expected type 'array'");
        }
        if (v.asArray().isEmpty()) {
            ctx.engine().cursors().killAllSessions();
            ctx.engine().localSessions().removeAll();
        }
        return new BsonDocument();
    }
}
