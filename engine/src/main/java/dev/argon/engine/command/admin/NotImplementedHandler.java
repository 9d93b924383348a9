package dev.argon.engine.command.admin;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;

/**
 * A MongoDB command Argon knows but does not implement yet: answers 238 NotImplemented with what is
 * missing, so a client can tell "not yet" from "no such command" (59).
 */
public final class NotImplementedHandler implements CommandHandler {
    private final String what;

    public NotImplementedHandler(String what) {
        this.what = what;
    }

    @Override
    public org.bson.BsonDocument handle(CommandContext ctx) {
        throw new ArgonException(MongoErrorCode.NOT_IMPLEMENTED, ctx.name() + " is not implemented by Argon yet: " + what);
    }
}
