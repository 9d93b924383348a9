package dev.argon.engine.command.crud;

import dev.argon.engine.ArgonException;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/** {@code killCursors}: closes cursors and reports which existed. */
public final class KillCursorsHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        BsonValue ids = ctx.command().get("cursors");
        if (ids == null || !ids.isArray()) {
            throw ArgonException.failedToParse("BSON field 'killCursors.cursors' is missing but a required field");
        }
        BsonArray killed = new BsonArray();
        BsonArray notFound = new BsonArray();
        for (BsonValue v : ids.asArray()) {
            if (!v.isInt64()) {
                throw ArgonException.typeMismatch("BSON field 'killCursors.cursors' must contain only longs");
            }
            (ctx.engine().cursors().kill(v.asInt64().getValue()) ? killed : notFound).add(v);
        }
        return new BsonDocument("cursorsKilled", killed).append("cursorsNotFound", notFound)
                .append("cursorsAlive", new BsonArray()).append("cursorsUnknown", new BsonArray());
    }
}
