package dev.argon.engine.command.admin;

import dev.argon.engine.ArgonException;
import dev.argon.engine.Engine;
import dev.argon.engine.MongoErrorCode;
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
import org.bson.types.ObjectId;

/**
 * {@code hello}, {@code isMaster} and {@code ismaster}: presents a one-member replica set so that drivers
 * enable sessions, transactions and retryable writes. {@code hosts}, {@code primary} and {@code me} name the
 * address the client connected to, because drivers reconnect to them. A read-only node serving an archive
 * ({@link dev.argon.engine.command.ReadOnlyGate}) answers as a secondary of the same set instead: not writable, no
 * {@code primary} and no {@code electionId}, {@code readOnly: true}. The handshake's client metadata sets
 * the connection's default branch when appName is {@code branch:NAME}.
 *
 * <p>Awaitable hello (the server-monitoring spec's streaming protocol): a request with {@code topologyVersion}
 * and {@code maxAwaitTimeMS} is answered when the topology changes or the time runs out. Argon's topology never
 * changes while it runs, so a request carrying this process's topologyVersion is marked awaitable for the whole
 * {@code maxAwaitTimeMS}, and one carrying another process's (the server restarted) is answered at once. The
 * handler does not wait: it marks the reply ({@link CommandContext#awaitable}) with the same command, updated to
 * the current topologyVersion, as the next invocation of an exhaust stream; the wire layer does the waiting.
 */
public final class HelloHandler implements CommandHandler {
    /** Compressors the wire layer implements, in order of preference. */
    static final List<String> COMPRESSORS = List.of("zstd", "zlib");
    /** Argon is always the primary of its one-member set: no significant topology change ever happens. */
    static final long TOPOLOGY_COUNTER = 0;

    @Override
    public BsonDocument handle(CommandContext ctx) {
        ClientContext client = ctx.client();
        BsonDocument cmd = ctx.command();
        ObjectId processId = ctx.engine().processId();
        // Validated before anything else, so that a malformed request changes nothing.
        long awaitMillis = awaitMillis(ctx, processId);
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
        // A read-only node (serving an archive) is a secondary of the same set name: drivers reach it with
        // directConnection=true or a secondary read preference. It names no primary, so that a driver discovering
        // the set from it does not go to the primary, whose own hello would drop this node from the topology.
        boolean readOnly = ctx.engine().readOnly() != null;
        BsonBoolean primary = BsonBoolean.valueOf(!readOnly);
        if (legacy) {
            r.append("ismaster", primary);
        } else {
            r.append("isWritablePrimary", primary);
        }
        long now = System.currentTimeMillis();
        BsonDocument opTime = new BsonDocument("ts", new BsonTimestamp((int) (now / 1000), 1)).append("t", new BsonInt64(1));
        r.append("topologyVersion", topologyVersion(processId))
                .append("hosts", new BsonArray(List.of(new BsonString(me))))
                .append("setName", new BsonString(Engine.REPLICA_SET))
                .append("setVersion", new BsonInt32(1))
                .append("secondary", BsonBoolean.valueOf(readOnly));
        if (!readOnly) {
            r.append("primary", new BsonString(me));
        }
        r.append("me", new BsonString(me));
        if (!readOnly) {
            r.append("electionId", new BsonObjectId(new org.bson.types.ObjectId("7fffffff0000000000000001")));
        }
        r.append("lastWrite", new BsonDocument("opTime", opTime).append("lastWriteDate", new BsonDateTime(now))
                        .append("majorityOpTime", opTime).append("majorityWriteDate", new BsonDateTime(now)))
                .append("maxBsonObjectSize", new BsonInt32(16 * 1024 * 1024))
                .append("maxMessageSizeBytes", new BsonInt32(48_000_000))
                .append("maxWriteBatchSize", new BsonInt32(100_000))
                .append("localTime", new BsonDateTime(now))
                .append("logicalSessionTimeoutMinutes", new BsonInt32(dev.argon.engine.session.SessionCatalog.TIMEOUT_MINUTES))
                .append("connectionId", new BsonInt32(client == null ? 0 : (int) client.connectionId()))
                .append("minWireVersion", new BsonInt32(0))
                .append("maxWireVersion", new BsonInt32(Engine.MAX_WIRE_VERSION))
                .append("readOnly", BsonBoolean.valueOf(readOnly));
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
        if (awaitMillis >= 0) {
            BsonDocument next = cmd.clone();
            next.put("topologyVersion", topologyVersion(processId));
            ctx.awaitable(awaitMillis, next);
        }
        return r;
    }

    /** This process's topologyVersion, as hello and state-change error replies carry it. */
    public static BsonDocument topologyVersion(ObjectId processId) {
        return new BsonDocument("processId", new BsonObjectId(processId)).append("counter", new BsonInt64(TOPOLOGY_COUNTER));
    }

    /**
     * How long an awaitable hello may wait: -1 when the request is not awaitable (neither field given), 0 when it
     * must be answered at once (another process's topologyVersion), else its {@code maxAwaitTimeMS}. The checks and
     * codes are mongod's.
     */
    static long awaitMillis(CommandContext ctx, ObjectId processId) {
        BsonDocument cmd = ctx.command();
        boolean hasVersion = cmd.containsKey("topologyVersion");
        boolean hasMaxAwait = cmd.containsKey("maxAwaitTimeMS");
        if (!hasVersion && !hasMaxAwait) {
            return -1;
        }
        if (!hasVersion || !hasMaxAwait) {
            throw new ArgonException(MongoErrorCode.LOCATION_31368, hasVersion
                    ? "A request with a 'topologyVersion' must include 'maxAwaitTimeMS'"
                    : "A request with 'maxAwaitTimeMS' must include a 'topologyVersion'");
        }
        BsonValue version = cmd.get("topologyVersion");
        if (!version.isDocument()) {
            throw ArgonException.typeMismatch("BSON field '" + ctx.name() + ".topologyVersion' is the wrong type '"
                    + CommandContext.typeName(version) + "', expected type 'object'");
        }
        BsonValue clientProcess = required(version.asDocument(), "processId");
        if (!clientProcess.isObjectId()) {
            throw ArgonException.typeMismatch("BSON field 'TopologyVersion.processId' is the wrong type '"
                    + CommandContext.typeName(clientProcess) + "', expected type 'objectId'");
        }
        BsonValue counterValue = required(version.asDocument(), "counter");
        if (!counterValue.isNumber()) {
            throw ArgonException.typeMismatch("BSON field 'TopologyVersion.counter' is the wrong type '"
                    + CommandContext.typeName(counterValue) + "', expected type 'long'");
        }
        long counter = counterValue.asNumber().longValue();
        if (counter < 0) {
            throw new ArgonException(MongoErrorCode.LOCATION_31372, "topologyVersion must have a non-negative counter");
        }
        if (cmd.get("maxAwaitTimeMS").isNull()) {
            throw ArgonException.typeMismatch("BSON field '" + ctx.name() + ".maxAwaitTimeMS' is the wrong type 'null', "
                    + "expected types '[long, int, decimal, double]'");
        }
        long maxAwait = ctx.number("maxAwaitTimeMS", 0);
        if (maxAwait < 0) {
            throw new ArgonException(MongoErrorCode.LOCATION_31373, "maxAwaitTimeMS must be a non-negative integer");
        }
        if (!clientProcess.asObjectId().getValue().equals(processId)) {
            return 0; // the client last saw another process: this server restarted, which is news to answer now
        }
        if (counter > TOPOLOGY_COUNTER) {
            throw new ArgonException(MongoErrorCode.LOCATION_31382, "Received a topology version with counter: " + counter
                    + " which is greater than the server topology version counter: " + TOPOLOGY_COUNTER);
        }
        return counter < TOPOLOGY_COUNTER ? 0 : maxAwait;
    }

    private static BsonValue required(BsonDocument document, String field) {
        BsonValue v = document.get(field);
        if (v == null) {
            throw new ArgonException(MongoErrorCode.LOCATION_40414,
                    "BSON field 'TopologyVersion." + field + "' is missing but a required field");
        }
        return v;
    }
}
