package dev.argon.engine.command.admin;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import java.net.InetAddress;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;

/** {@code hostInfo}: the machine the server runs on. */
public final class HostInfoHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        long memMb = ServerStatusHandler.totalMemoryMb();
        return new BsonDocument("system", new BsonDocument("currentTime", new BsonDateTime(System.currentTimeMillis()))
                        .append("hostname", new BsonString(host))
                        .append("cpuAddrSize", new BsonInt32(64))
                        .append("memSizeMB", new BsonInt64(memMb))
                        .append("numCores", new BsonInt32(Runtime.getRuntime().availableProcessors()))
                        .append("cpuArch", new BsonString(System.getProperty("os.arch"))))
                .append("os", new BsonDocument("type", new BsonString(System.getProperty("os.name")))
                        .append("name", new BsonString(System.getProperty("os.name")))
                        .append("version", new BsonString(System.getProperty("os.version"))))
                .append("extra", new BsonDocument("javaVersion", new BsonString(System.getProperty("java.version"))));
    }
}
