package dev.argon.engine.command.admin;

import dev.argon.engine.ArgonException;
import dev.argon.engine.Engine;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * {@code getParameter}: the few server parameters clients ask for ({@code featureCompatibilityVersion},
 * {@code cursorTimeoutMillis}, Argon's {@code maxOpenCursors}, the memory limits of blocking stages, ...), with their current values.
 * {@code getParameter: "*"} lists them all; asking only for unknown ones is an error, as on mongod.
 */
public final class GetParameterHandler implements CommandHandler {
    static BsonDocument parameters(Engine engine) {
        return new BsonDocument("featureCompatibilityVersion", new BsonDocument("version", new BsonString("7.0")))
                .append("cursorTimeoutMillis", new BsonInt64(engine.cursors().timeoutMillis()))
                .append("maxOpenCursors", new BsonInt32(engine.cursors().maxOpen()))
                .append("maxBSONDepth", new BsonInt32(100))
                .append("authenticationMechanisms", new org.bson.BsonArray())
                .append("transactionLifetimeLimitSeconds", new BsonInt32(engine.sessions().transactionLifetimeSeconds()))
                .append("ttlMonitorSleepSecs", new BsonInt32(engine.ttl().sleepSeconds()))
                .append("ttlMonitorEnabled", org.bson.BsonBoolean.valueOf(engine.ttl().enabled()))
                .append("logLevel", new BsonInt32(0))
                .append("quiet", org.bson.BsonBoolean.FALSE)
                .append("internalQueryMaxBlockingSortMemoryUsageBytes", new BsonInt64(engine.spill().sortLimitBytes()))
                .append("internalDocumentSourceGroupMaxMemoryBytes", new BsonInt64(engine.spill().groupLimitBytes()))
                .append("allowDiskUseByDefault", org.bson.BsonBoolean.valueOf(engine.spill().allowDiskUseByDefault()))
                .append("internalQueryMaxPushBytes", new BsonInt64(engine.spill().pushLimitBytes()))
                .append("internalQueryMaxAddToSetBytes", new BsonInt64(engine.spill().addToSetLimitBytes()))
                .append("internalLookupStageIntermediateDocumentMaxSizeBytes", new BsonInt64(engine.spill().lookupResultLimitBytes()))
                .append("internalQueryFacetMaxOutputDocSizeBytes", new BsonInt64(engine.spill().facetOutputLimitBytes()))
                .append("internalQuerySBELookupApproxMemoryUseInBytesBeforeSpill", new BsonInt64(engine.spill().lookupHashLimitBytes()));
    }

    @Override
    public BsonDocument handle(CommandContext ctx) {
        BsonDocument all = parameters(ctx.engine());
        BsonValue first = ctx.command().get(ctx.name());
        if (first.isString() && first.asString().getValue().equals("*")) {
            return all;
        }
        BsonDocument r = new BsonDocument();
        for (Map.Entry<String, BsonValue> e : ctx.command().entrySet()) {
            String k = e.getKey();
            if (k.equals(ctx.name()) || k.startsWith("$") || k.equals("lsid") || k.equals("comment")) {
                continue;
            }
            if (all.containsKey(k)) {
                r.append(k, all.get(k));
            }
        }
        if (r.isEmpty()) {
            throw new ArgonException(MongoErrorCode.INVALID_OPTIONS, "no option found to get");
        }
        return r;
    }
}
