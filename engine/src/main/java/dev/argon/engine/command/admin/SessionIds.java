package dev.argon.engine.command.admin;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.command.CommandContext;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonValue;

/** Parses the {@code [{id: UUID}, ...]} list of the session commands. Stateless. */
final class SessionIds {
    private SessionIds() {}

    /** The {@code id} values of the command's first field, which must be an array of {@code {id: UUID}}. */
    static List<BsonValue> parse(CommandContext ctx) {
        BsonValue v = ctx.command().get(ctx.name());
        if (v == null || !v.isArray()) {
            throw ArgonException.typeMismatch("BSON field '" + ctx.name() + "' is the wrong type '"
                    + (v == null ? "missing" : CommandContext.typeName(v)) + "', expected type 'array'");
        }
        List<BsonValue> ids = new ArrayList<>();
        for (BsonValue e : v.asArray()) {
            if (!e.isDocument()) {
                throw ArgonException.typeMismatch("BSON field '" + ctx.name() + "' must contain only objects {id: UUID}, not '"
                        + CommandContext.typeName(e) + "'");
            }
            BsonValue id = e.asDocument().get("id");
            if (id == null) {
                throw new ArgonException(MongoErrorCode.LOCATION_40414, "BSON field 'LogicalSessionFromClient.id' is missing but a required field");
            }
            if (!id.isBinary() || id.asBinary().getData().length != 16) {
                throw new ArgonException(MongoErrorCode.BAD_VALUE, "a session id must be a UUID (binary subtype 4), not " + id);
            }
            ids.add(id);
        }
        return ids;
    }
}
