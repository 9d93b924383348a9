package dev.argon.engine.command.admin;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import java.util.UUID;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;

/** {@code {startSession: 1}}: a new session id, {@code {id: {id: UUID}, timeoutMinutes: 30}} as on mongod; the session is listed by
 * {@code $listLocalSessions} from now on. */
public final class StartSessionHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        BsonDocument id = new BsonDocument("id", new BsonBinary(UUID.randomUUID()));
        ctx.engine().localSessions().touch(id);
        return new BsonDocument("id", id)
                .append("timeoutMinutes", new BsonInt32(dev.argon.engine.session.SessionCatalog.TIMEOUT_MINUTES));
    }
}
