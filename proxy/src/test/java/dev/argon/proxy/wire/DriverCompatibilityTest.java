package dev.argon.proxy.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandSucceededEvent;
import dev.argon.engine.ServerStats;
import dev.argon.proxy.WireServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official Java driver against a {@link WireServer} with a fake engine: handshake, OP_MSG, kind-1, compression. */
class DriverCompatibilityTest {
    private static final int DOCS = 1000;
    private static final FakeCommandService service = new FakeCommandService();
    private static final ServerStats stats = new ServerStats();
    private static WireServer server;

    @BeforeAll
    static void start() {
        TestLogging.quiet();
        server = new WireServer("127.0.0.1", 0, null, service, stats);
        server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Replies the driver saw, by command name (the last of each). */
    private static final class Replies implements CommandListener {
        final Map<String, BsonDocument> byCommand = new ConcurrentHashMap<>();

        @Override
        public void commandSucceeded(CommandSucceededEvent event) {
            byCommand.put(event.getCommandName(), event.getResponse());
        }
    }

    private static MongoClient client(String options, Replies replies) {
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + server.port() + "/?directConnection=true" + options))
                .addCommandListener(replies)
                .build());
    }

    @Test
    void pingAndInsertManyUncompressed() {
        roundTrip("", false);
    }

    @Test
    void zstdCompressed() {
        roundTrip("&compressors=zstd", true);
    }

    @Test
    void zlibCompressed() {
        roundTrip("&compressors=zlib", true);
    }

    /**
     * ping, then an insertMany whose 1000 documents travel as an OP_MSG kind-1 sequence; the fake echoes the merged
     * command. The documents are very repetitive, so compressed traffic is a small fraction of the plain ~320 kB.
     */
    private static void roundTrip(String options, boolean compressed) {
        Replies replies = new Replies();
        try (MongoClient client = client(options, replies)) {
            MongoDatabase db = client.getDatabase("shop");
            Document pong = db.runCommand(new Document("ping", 1));
            assertEquals(1.0, pong.get("ok", Number.class).doubleValue());
            assertEquals("shop", pong.get("echo", Document.class).getString("$db"));

            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < DOCS; i++) {
                docs.add(new Document("_id", i).append("label", "cat".repeat(100)));
            }
            MongoCollection<Document> items = db.getCollection("items");
            long inBefore = stats.bytesIn.get();
            long outBefore = stats.bytesOut.get();
            items.insertMany(docs);
            long in = stats.bytesIn.get() - inBefore;
            long out = stats.bytesOut.get() - outBefore;

            BsonDocument reply = replies.byCommand.get("insert");
            assertNotNull(reply, "insert reply");
            BsonDocument echo = reply.getDocument("echo");
            assertEquals("items", echo.getString("insert").getValue());
            assertEquals("shop", echo.getString("$db").getValue());
            BsonArray echoed = echo.getArray("documents");
            assertEquals(DOCS, echoed.size());
            assertEquals(999, echoed.get(999).asDocument().getInt32("_id").getValue());
            assertEquals("cat".repeat(100), echoed.get(0).asDocument().getString("label").getValue());
            if (compressed) {
                assertTrue(in > 500 && in < 50_000, "compressed bytes in for insertMany: " + in);
                assertTrue(out > 500 && out < 50_000, "compressed bytes out for insertMany: " + out);
            } else {
                assertTrue(in > 300_000, "bytes in for insertMany: " + in);
                assertTrue(out > 300_000, "bytes out for insertMany: " + out);
            }
        }
    }

    @Test
    void handshakeGoesThroughLegacyIsMasterOnAdmin() {
        try (MongoClient client = client("&appName=branch:exp", new Replies())) {
            client.getDatabase("admin").runCommand(new Document("ping", 1));
        }
        BsonDocument isMaster = service.last("isMaster");
        assertNotNull(isMaster, "the driver's first handshake is an OP_QUERY isMaster");
        assertEquals("admin", isMaster.getString("$db").getValue());
        assertEquals("branch:exp", isMaster.getDocument("client").getDocument("application").getString("name").getValue());
    }

    @Test
    void failedCommandKeepsConnection() {
        try (MongoClient client = client("&maxPoolSize=1", new Replies())) {
            MongoDatabase db = client.getDatabase("test");
            com.mongodb.MongoCommandException e = org.junit.jupiter.api.Assertions.assertThrows(
                    com.mongodb.MongoCommandException.class, () -> db.runCommand(new Document("fail", 1)));
            assertEquals(1, e.getErrorCode());
            assertEquals("InternalError", e.getErrorCodeName());
            assertEquals(1.0, db.runCommand(new Document("ping", 1)).get("ok", Number.class).doubleValue());
        }
    }
}
