package dev.argon.engine.command.admin;

import dev.argon.engine.ArgonException;
import dev.argon.engine.Engine;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import java.util.Map;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * {@code {setParameter: 1, cursorTimeoutMillis: 60000}}: changes a runtime parameter and answers its old
 * value as {@code was}, as mongod does. Settable: {@code cursorTimeoutMillis},
 * {@code transactionLifetimeLimitSeconds}, {@code ttlMonitorSleepSecs}, {@code ttlMonitorEnabled}, Argon's {@code maxOpenCursors} (the per-server cap on open cursors), and the
 * memory limits of blocking stages: {@code internalQueryMaxBlockingSortMemoryUsageBytes},
 * {@code internalDocumentSourceGroupMaxMemoryBytes} (bytes, 100 MiB by default) and {@code allowDiskUseByDefault}, and the limits of
 * what stages build without spilling: {@code internalQueryMaxPushBytes}, {@code internalQueryMaxAddToSetBytes},
 * {@code internalLookupStageIntermediateDocumentMaxSizeBytes}, {@code internalQueryFacetMaxOutputDocSizeBytes},
 * {@code internalQuerySBELookupApproxMemoryUseInBytesBeforeSpill} (all 100 MiB). Other parameters are refused with 72.
 */
public final class SetParameterHandler implements CommandHandler {
    private static final Set<String> IGNORED = Set.of("lsid", "comment", "txnNumber", "autocommit", "apiVersion", "apiStrict",
            "apiDeprecationErrors");

    @Override
    public BsonDocument handle(CommandContext ctx) {
        Engine engine = ctx.engine();
        BsonDocument current = GetParameterHandler.parameters(engine);
        BsonValue was = null;
        for (Map.Entry<String, BsonValue> e : ctx.command().entrySet()) {
            String k = e.getKey();
            if (k.equals(ctx.name()) || k.startsWith("$") || IGNORED.contains(k)) {
                continue;
            }
            BsonValue old = current.get(k);
            switch (k) {
                case "cursorTimeoutMillis" -> engine.cursors().timeoutMillis(number(k, e.getValue()));
                case "maxOpenCursors" -> engine.cursors().maxOpen((int) Math.min(Integer.MAX_VALUE, number(k, e.getValue())));
                case "transactionLifetimeLimitSeconds" -> {
                    long s = number(k, e.getValue());
                    if (s < 1) {
                        throw new ArgonException(MongoErrorCode.BAD_VALUE, "transactionLifetimeLimitSeconds must be at least 1");
                    }
                    engine.sessions().transactionLifetimeSeconds((int) Math.min(Integer.MAX_VALUE, s));
                }
                case "internalQueryMaxBlockingSortMemoryUsageBytes" -> engine.spill().sortLimitBytes(number(k, e.getValue()));
                case "internalDocumentSourceGroupMaxMemoryBytes" -> engine.spill().groupLimitBytes(number(k, e.getValue()));
                case "internalQueryMaxPushBytes" -> engine.spill().pushLimitBytes(number(k, e.getValue()));
                case "internalQueryMaxAddToSetBytes" -> engine.spill().addToSetLimitBytes(number(k, e.getValue()));
                case "internalLookupStageIntermediateDocumentMaxSizeBytes" -> engine.spill().lookupResultLimitBytes(number(k, e.getValue()));
                case "internalQueryFacetMaxOutputDocSizeBytes" -> engine.spill().facetOutputLimitBytes(number(k, e.getValue()));
                case "internalQuerySBELookupApproxMemoryUseInBytesBeforeSpill" -> engine.spill().lookupHashLimitBytes(number(k, e.getValue()));
                case "allowDiskUseByDefault" -> {
                    if (!e.getValue().isBoolean()) {
                        throw ArgonException.typeMismatch("parameter 'allowDiskUseByDefault' must be a boolean, not '"
                                + CommandContext.typeName(e.getValue()) + "'");
                    }
                    engine.spill().allowDiskUseByDefault(e.getValue().asBoolean().getValue());
                }
                case "ttlMonitorSleepSecs" -> engine.ttl().sleepSeconds((int) Math.min(Integer.MAX_VALUE, number(k, e.getValue())));
                case "ttlMonitorEnabled" -> {
                    if (!e.getValue().isBoolean()) {
                        throw ArgonException.typeMismatch("parameter 'ttlMonitorEnabled' must be a boolean");
                    }
                    engine.ttl().enabled(e.getValue().asBoolean().getValue());
                }
                default -> throw new ArgonException(MongoErrorCode.INVALID_OPTIONS, old == null
                        ? "attempted to set unrecognized parameter [" + k + "], use help:true to see options"
                        : "parameter '" + k + "' cannot be set at runtime on Argon");
            }
            if (was == null) {
                was = old;
            }
        }
        if (was == null) {
            throw new ArgonException(MongoErrorCode.INVALID_OPTIONS, "no option found to set, use help:true to see options");
        }
        return new BsonDocument("was", was);
    }

    private static long number(String name, BsonValue v) {
        if (!v.isNumber()) {
            throw ArgonException.typeMismatch("parameter '" + name + "' must be a number, not '" + CommandContext.typeName(v) + "'");
        }
        return v.isDouble() ? (long) v.asDouble().getValue() : v.asNumber().longValue();
    }
}
