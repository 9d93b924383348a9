package dev.argon.proxy.wire;

import dev.argon.engine.command.ClientContext;
import dev.argon.engine.command.CommandService;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * A stand-in for the engine: answers the handshake like a standalone mongod, fails on {@code {fail: 1}}, sleeps on
 * {@code {sleep: ms}}, describes the connection on {@code {whoami: 1}} and echoes everything else as
 * {@code {ok: 1, echo: <command>}} ({@code insert} also gets {@code n}, which drivers read).
 */
final class FakeCommandService implements CommandService {
    private static final List<String> SERVER_COMPRESSORS = List.of("zstd", "zlib");
    final Queue<BsonDocument> commands = new ConcurrentLinkedQueue<>();

    @Override
    public BsonDocument execute(BsonDocument command, ClientContext client) {
        commands.add(command);
        String name = command.getFirstKey();
        switch (name) {
            case "hello", "isMaster", "ismaster" -> {
                return hello(command, client);
            }
            case "fail" -> throw new IllegalStateException("injected failure");
            case "sleep" -> {
                try {
                    Thread.sleep(command.getNumber("sleep").longValue());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return ok();
            }
            case "whoami" -> {
                return ok().append("connectionId", new BsonInt64(client.connectionId()))
                        .append("remote", new BsonString(client.remoteAddress()))
                        .append("host", new BsonString(client.localHost()))
                        .append("port", new BsonInt32(client.localPort()));
            }
            default -> {
                BsonDocument reply = ok().append("echo", command);
                if (name.equals("insert") && command.isArray("documents")) {
                    reply.append("n", new BsonInt32(command.getArray("documents").size()));
                }
                return reply;
            }
        }
    }

    /** The last command with this name, or null. */
    BsonDocument last(String name) {
        BsonDocument found = null;
        for (BsonDocument c : commands) {
            if (c.getFirstKey().equals(name)) {
                found = c;
            }
        }
        return found;
    }

    private static BsonDocument hello(BsonDocument command, ClientContext client) {
        BsonArray compression = new BsonArray();
        if (command.isArray("compression")) {
            for (BsonValue c : command.getArray("compression")) {
                if (c.isString() && SERVER_COMPRESSORS.contains(c.asString().getValue())) {
                    compression.add(c);
                }
            }
        }
        return ok().append("isWritablePrimary", BsonBoolean.TRUE)
                .append("ismaster", BsonBoolean.TRUE)
                .append("helloOk", BsonBoolean.TRUE)
                .append("maxWireVersion", new BsonInt32(21))
                .append("minWireVersion", new BsonInt32(0))
                .append("maxBsonObjectSize", new BsonInt32(16777216))
                .append("maxMessageSizeBytes", new BsonInt32(48000000))
                .append("maxWriteBatchSize", new BsonInt32(100000))
                .append("localTime", new BsonDateTime(System.currentTimeMillis()))
                .append("logicalSessionTimeoutMinutes", new BsonInt32(30))
                .append("connectionId", new BsonInt64(client.connectionId()))
                .append("compression", compression);
    }

    private static BsonDocument ok() {
        return new BsonDocument("ok", new BsonDouble(1));
    }
}
