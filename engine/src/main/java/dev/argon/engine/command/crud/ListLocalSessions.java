package dev.argon.engine.command.crud;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.command.CommandContext;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The {@code $listLocalSessions} source stage: the sessions this server has seen and not yet forgotten, as
 * {@code {_id: {id, uid}, lastUse}}. {@code {}} and {@code {allUsers: true}} list all of them (without
 * authentication every session belongs to the one unnamed user); {@code {users: [...]}} names users, and none
 * has a session. Stateless.
 */
final class ListLocalSessions {
    private ListLocalSessions() {}

    static List<BsonDocument> read(CommandContext ctx, BsonDocument stage, BsonValue target) {
        if (target == null || !target.isNumber() || target.asNumber().intValue() != 1) {
            throw new ArgonException(MongoErrorCode.INVALID_NAMESPACE, "$listLocalSessions must be run as {aggregate: 1}");
        }
        BsonValue spec = stage.get("$listLocalSessions");
        if (!spec.isDocument()) {
            throw ArgonException.typeMismatch("$listLocalSessions options must be specified in an object, but found: "
                    + CommandContext.typeName(spec));
        }
        BsonDocument d = spec.asDocument();
        for (String k : d.keySet()) {
            if (!k.equals("allUsers") && !k.equals("users")) {
                throw new ArgonException(MongoErrorCode.LOCATION_40415, "BSON field '$listSessions." + k + "' is an unknown field.");
            }
        }
        if (d.isArray("users") && !d.getArray("users").isEmpty()) {
            return List.of();
        }
        return ctx.engine().localSessions().list();
    }
}
