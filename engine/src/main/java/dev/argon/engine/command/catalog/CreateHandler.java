package dev.argon.engine.command.catalog;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.store.Store;
import dev.argon.engine.store.WriteSession;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/** {@code create}: a new, empty collection with its options; an existing name is NamespaceExists (48). */
public final class CreateHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        String name = ctx.collectionName();
        BsonDocument options = new BsonDocument();
        for (Map.Entry<String, BsonValue> e : ctx.command().entrySet()) {
            String k = e.getKey();
            if (!k.equals(ctx.name()) && !k.startsWith("$") && !k.equals("lsid") && !k.equals("txnNumber")
                    && !k.equals("writeConcern") && !k.equals("comment") && !k.equals("autocommit")
                    && !k.equals("startTransaction") && !k.equals("apiVersion") && !k.equals("apiStrict")) {
                options.append(k, e.getValue());
            }
        }
        if (options.containsKey("viewOn") || options.containsKey("timeseries")) {
            throw new ArgonException(MongoErrorCode.NOT_IMPLEMENTED, "views and time-series collections are not supported yet");
        }
        if (options.containsKey("validator")) {
            if (!options.isDocument("validator")) {
                throw dev.argon.engine.ArgonException.typeMismatch("'validator' must be an object");
            }
            dev.argon.engine.query.Matcher.compile(options.getDocument("validator"));
        }
        try (Store.Write w = ctx.beginWrite()) {
            WriteSession s = w.session();
            if (s.collection(ctx.db(), name) != null) {
                throw new ArgonException(MongoErrorCode.NAMESPACE_EXISTS, "Collection " + ctx.db() + "." + name + " already exists.");
            }
            s.createCollection(ctx.db(), name, options);
            s.commit(ctx.actor(), ctx.comment(), ctx.journaled());
        }
        return new BsonDocument();
    }
}
