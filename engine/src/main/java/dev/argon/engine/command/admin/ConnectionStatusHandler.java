package dev.argon.engine.command.admin;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import org.bson.BsonArray;
import org.bson.BsonDocument;

/** {@code connectionStatus}: with authentication off, nobody is authenticated. */
public final class ConnectionStatusHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        return new BsonDocument("authInfo", new BsonDocument("authenticatedUsers", new BsonArray())
                .append("authenticatedUserRoles", new BsonArray()));
    }
}
