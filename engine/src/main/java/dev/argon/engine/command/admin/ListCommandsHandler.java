package dev.argon.engine.command.admin;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.command.CommandTable;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonString;

/** {@code listCommands}: generated from the command table, so it can never disagree with dispatch. */
public final class ListCommandsHandler implements CommandHandler {
    private final CommandTable table;

    public ListCommandsHandler(CommandTable table) {
        this.table = table;
    }

    @Override
    public BsonDocument handle(CommandContext ctx) {
        BsonDocument commands = new BsonDocument();
        for (CommandTable.Entry e : table.entries().values()) {
            commands.append(e.name(), new BsonDocument("help", new BsonString(e.help()))
                    .append("requiresAuth", BsonBoolean.FALSE)
                    .append("adminOnly", BsonBoolean.FALSE)
                    .append("secondaryOk", BsonBoolean.TRUE));
        }
        return new BsonDocument("commands", commands);
    }
}
