package dev.argon.engine.command.admin;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;

/** {@code getLog}: shells ask for {@code startupWarnings}; Argon keeps no in-memory log, so it is empty. */
public final class GetLogHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        String which = ctx.command().get("getLog").isString() ? ctx.command().getString("getLog").getValue() : "";
        if (which.equals("*")) {
            return new BsonDocument("names", new BsonArray(List.of(new BsonString("global"), new BsonString("startupWarnings"))));
        }
        return new BsonDocument("totalLinesWritten", new BsonInt32(0)).append("log", new BsonArray());
    }
}
