package dev.argon.engine.command.crud;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * {@code getMore}: the next batch of an open cursor. On a tailable cursor (a change stream) that has nothing yet it
 * waits up to {@code maxTimeMS} (mongod's default for awaitable cursors: one second) for new commits.
 */
public final class GetMoreHandler implements CommandHandler {
    /** mongod waits this long on an awaitable cursor when getMore gives no {@code maxTimeMS}. */
    static final long DEFAULT_AWAIT_MILLIS = 1000;

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
        long await = ctx.number("maxTimeMS", DEFAULT_AWAIT_MILLIS);
        if (await < 0) {
            throw ArgonException.badValue("BSON field 'maxTimeMS' value must be >= 0, actual value '" + await + "'");
        }
        return ctx.engine().cursors().getMore(id.asInt64().getValue(), ns, ctx.number("batchSize", 0), ctx.sessionId(),
                await == 0 ? DEFAULT_AWAIT_MILLIS : await);
    }
}
