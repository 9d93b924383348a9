package dev.argon.engine.command.admin;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonValue;

/**
 * {@code configureFailPoint} (test commands only): {@code {configureFailPoint: name, mode: "off" | "alwaysOn" |
 * {times: n} | {skip: n}, data: {...}}} on the admin database &rarr; {@code {count}}, how often the fail point
 * had fired before. An unknown name answers 266 FailPointSetFailed, as on mongod.
 */
public final class ConfigureFailPointHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        if (!ctx.dbField().equals("admin")) {
            throw new ArgonException(MongoErrorCode.UNAUTHORIZED, "configureFailPoint may only be run against the admin database.");
        }
        BsonValue name = ctx.command().get(ctx.name());
        if (!name.isString()) {
            throw ArgonException.typeMismatch("configureFailPoint needs the fail point's name as a string");
        }
        long count = ctx.engine().failPoints().configure(name.asString().getValue(), ctx.command().get("mode"), ctx.document("data"));
        return new BsonDocument("count", new BsonInt64(count));
    }
}
