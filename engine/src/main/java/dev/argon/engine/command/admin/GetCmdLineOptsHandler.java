package dev.argon.engine.command.admin;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;

/** {@code getCmdLineOpts}: shells read it at start; Argon reports its process name only. */
public final class GetCmdLineOptsHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        BsonArray argv = new BsonArray();
        argv.add(new BsonString("argon"));
        return new BsonDocument("argv", argv).append("parsed", new BsonDocument());
    }
}
