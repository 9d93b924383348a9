package dev.argon.proxy.it;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.argon.engine.gc.GcSettings;
import dev.argon.proxy.ArgonServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Starts a real Argon on an ephemeral loopback port over a fresh data directory, once per test class, and
 * connects the official Java driver to it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ArgonTestBase {
    protected Path dataDir;
    protected ArgonServer server;
    protected MongoClient client;

    @BeforeAll
    void startServer() throws IOException {
        dataDir = Files.createTempDirectory("argon-it-");
        server = ArgonServer.start(dataDir, "127.0.0.1", 0, null, enableTestCommands(), gcSettings());
        client = MongoClients.create(uri());
    }

    /** Override to start the server with other history GC settings (retention, reflog window, interval). */
    protected GcSettings gcSettings() {
        return GcSettings.DEFAULTS;
    }

    /** Override to start the server with test commands ({@code configureFailPoint}) enabled. */
    protected boolean enableTestCommands() {
        return false;
    }

    @AfterAll
    void stopServer() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        deleteTree(dataDir);
    }

    protected String uri() {
        return "mongodb://127.0.0.1:" + server.port() + "/";
    }

    protected MongoDatabase db(String name) {
        return client.getDatabase(name);
    }

    /** Restarts the server on the same data directory (and port), reconnecting the client. */
    protected void restart() {
        int port = server.port();
        client.close();
        server.close();
        server = ArgonServer.start(dataDir, "127.0.0.1", port, null, enableTestCommands(), gcSettings());
        client = MongoClients.create(uri());
    }

    protected static Document doc(String json) {
        return Document.parse(json);
    }

    protected static BsonDocument json(String json) {
        return BsonDocument.parse(json);
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory is harmless
        }
    }
}
