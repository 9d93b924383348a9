package dev.argon.engine.command.crud;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/** {@code getMore}: the next batch of an open cursor. */
public final class GetMoreHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        BsonValue id = ctx.command().get("getMore");
        if (id == null || !id.isInt64()) {
            throw ArgonException.typeMismatch("BSON field 'getMore.getMore' is the wrong type, expected type 'long'");
        }
        BsonValue coll = ctx.command().get("collection");
        if (coll == null || !coll.isString()) {
            throw new ArgonException(MongoErrorCode.FAILED_TO_PARSE, "BSON field 'getMore.collection' is missing but a required field");
        }
        String ns = ctx.db() + "." + coll.asString().getValue();
        return ctx.engine().cursors().getMore(id.asInt64().getValue(), ns, ctx.number("batchSize", 0), ctx.sessionId());
    }
}
