package dev.argon.engine.command.branch;

import dev.argon.engine.ArgonException;
import dev.argon.engine.command.CommandContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.bson.BsonValue;

/** Typed fields of the version-control commands, with errors that name the field. Stateless. */
final class Args {
    private Args() {}

    static String string(CommandContext ctx, String field, boolean required) {
        BsonValue v = ctx.command().get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw ArgonException.failedToParse("'" + field + "' is required for " + ctx.name());
            }
            return null;
        }
        if (!v.isString()) {
            throw ArgonException.typeMismatch("'" + field + "' of " + ctx.name() + " must be a string");
        }
        return v.asString().getValue();
    }

    static Long lsn(CommandContext ctx, String field) {
        BsonValue v = ctx.command().get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw ArgonException.typeMismatch("'" + field + "' of " + ctx.name() + " must be an LSN (a number)");
        }
        return v.asNumber().longValue();
    }

    /** A time field: a Date or an ISO-8601 string, as epoch millis. */
    static Long time(CommandContext ctx, String field) {
        BsonValue v = ctx.command().get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isDateTime()) {
            return v.asDateTime().getValue();
        }
        if (v.isString()) {
            try {
                return Instant.parse(v.asString().getValue()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw ArgonException.badValue("'" + field + "' must be a Date or an ISO-8601 UTC time");
            }
        }
        throw ArgonException.typeMismatch("'" + field + "' of " + ctx.name() + " must be a Date or an ISO-8601 string");
    }

    /**
     * The batch size of a command answering a cursor: {@code cursor: {batchSize}} as in listCollections and
     * aggregate, or a top-level {@code batchSize}; -1 when absent (the default first batch).
     */
    static long batchSize(CommandContext ctx) {
        BsonValue v = null;
        BsonValue cursor = ctx.command().get("cursor");
        if (cursor != null && cursor.isDocument()) {
            v = cursor.asDocument().get("batchSize");
        } else if (cursor != null && !cursor.isNull()) {
            throw ArgonException.typeMismatch("'cursor' of " + ctx.name() + " must be a document such as {batchSize: 100}");
        }
        if (v == null) {
            v = ctx.command().get("batchSize");
        }
        if (v == null || v.isNull()) {
            return -1;
        }
        if (!v.isNumber()) {
            throw ArgonException.typeMismatch("'batchSize' of " + ctx.name() + " must be a number");
        }
        long n = v.isDouble() ? (long) v.asDouble().getValue() : v.asNumber().longValue();
        if (n < 0) {
            throw ArgonException.badValue("batchSize value must be non-negative, but received: " + n);
        }
        return n;
    }
}
