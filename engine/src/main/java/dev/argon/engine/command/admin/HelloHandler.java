package dev.argon.engine.command.admin;

import dev.argon.engine.Engine;
import dev.argon.engine.command.ClientContext;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;

/**
 * {@code hello}, {@code isMaster} and {@code ismaster}: presents a one-member replica set so that drivers
 * enable sessions, transactions and retryable writes. {@code hosts}, {@code primary} and {@code me} name the
 * address the client connected to, because drivers reconnect to them. The handshake's client metadata sets
 * the connection's default branch when appName is {@code branch:NAME}.
 */
public final class HelloHandler implements CommandHandler {
    /** Compressors the wire layer implements, in order of preference. */
    static final List<String> COMPRESSORS = List.of("zstd", "zlib");

    @Override
    public BsonDocument handle(CommandContext ctx) {
        ClientContext client = ctx.client();
        BsonDocument cmd = ctx.command();
        if (client != null && cmd.isDocument("client")) {
            client.clientMetadata(cmd.getDocument("client"));
            String app = client.appName();
            if (app != null && app.startsWith("branch:")) {
                client.defaultBranch(app.substring("branch:".length()));
            }
        }
        String me = (client == null ? "localhost" : client.localHost()) + ":" + (client == null ? 27017 : client.localPort());
        boolean legacy = !ctx.name().equals("hello");
        BsonDocument r = new BsonDocument();
        if (legacy) {
            r.append("ismaster", BsonBoolean.TRUE);
        } else {
            r.append("isWritablePrimary", BsonBoolean.TRUE);
        }
        long now = System.currentTimeMillis();
        BsonDocument opTime = new BsonDocument("ts", new BsonTimestamp((int) (now / 1000), 1)).append("t", new BsonInt64(1));
        r.append("topologyVersion", new BsonDocument("processId", new BsonObjectId(ctx.engine().processId()))
                        .append("counter", new BsonInt64(0)))
                .append("hosts", new BsonArray(List.of(new BsonString(me))))
                .append("setName", new BsonString(Engine.REPLICA_SET))
                .append("setVersion", new BsonInt32(1))
                .append("secondary", BsonBoolean.FALSE)
                .append("primary", new BsonString(me))
                .append("me", new BsonString(me))
                .append("electionId", new BsonObjectId(new org.bson.types.ObjectId("7fffffff0000000000000001")))
                .append("lastWrite", new BsonDocument("opTime", opTime).append("lastWriteDate", new BsonDateTime(now))
                        .append("majorityOpTime", opTime).append("majorityWriteDate", new BsonDateTime(now)))
                .append("maxBsonObjectSize", new BsonInt32(16 * 1024 * 1024))
                .append("maxMessageSizeBytes", new BsonInt32(48_000_000))
                .append("maxWriteBatchSize", new BsonInt32(100_000))
                .append("localTime", new BsonDateTime(now))
                .append("logicalSessionTimeoutMinutes", new BsonInt32(30))
                .append("connectionId", new BsonInt32(client == null ? 0 : (int) client.connectionId()))
                .append("minWireVersion", new BsonInt32(0))
                .append("maxWireVersion", new BsonInt32(Engine.MAX_WIRE_VERSION))
                .append("readOnly", BsonBoolean.FALSE);
        BsonValue requested = cmd.get("compression");
        if (requested != null && requested.isArray()) {
            BsonArray agreed = new BsonArray();
            for (BsonValue v : requested.asArray()) {
                if (v.isString() && COMPRESSORS.contains(v.asString().getValue())) {
                    agreed.add(v);
                }
            }
            r.append("compression", agreed);
        }
        return r;
    }
}
