package dev.argon.proxy.it;

import dev.argon.proxy.ArgonServer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A server in a child JVM, so a test can kill it with SIGKILL or stop it with SIGTERM (which closes it as
 * {@code argon serve} does). Writes its port to a file once listening. Arguments: data directory, port file.
 */
public final class ChildServer {
    private ChildServer() {}

    public static void main(String[] args) throws Exception {
        ArgonServer server = ArgonServer.start(Path.of(args[0]), "127.0.0.1", 0, null);
        server.closeOnShutdown();
        Path tmp = Path.of(args[1] + ".tmp");
        Files.writeString(tmp, Integer.toString(server.port()));
        Files.move(tmp, Path.of(args[1]));
        Thread.sleep(Long.MAX_VALUE);
    }
}
