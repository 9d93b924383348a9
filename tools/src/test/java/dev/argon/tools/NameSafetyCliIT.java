package dev.argon.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.argon.proxy.ArgonServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Hostile branch and tag names given to the CLI: refused with the server's reason and exit code 1, data unharmed. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NameSafetyCliIT {
    private static final String PROBE = "names-cli-escape-probe";
    private Path dataDir;
    private ArgonServer server;
    private String uri;
    private MongoClient client;

    @BeforeAll
    void start() throws Exception {
        dataDir = Files.createTempDirectory("argon-cli-names-");
        server = ArgonServer.start(dataDir, "127.0.0.1", 0, null);
        uri = "mongodb://127.0.0.1:" + server.port();
        client = MongoClients.create(uri);
        client.getDatabase("shop").getCollection("items").insertOne(new Document("_id", 1).append("v", "kept"));
    }

    @AfterAll
    void stop() {
        client.close();
        server.close();
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void hostileNamesAreRefusedWithTheReason() {
        List<String[]> cases = List.of(
                new String[] {"../" + PROBE, "'.'"},
                new String[] {"/tmp/" + PROBE, "'/'"},
                new String[] {"a\0b", "control character"},
                new String[] {"x".repeat(200), "longer than"},
                new String[] {"a\uff0f" + PROBE, "NFKC"},
                new String[] {"caf\u0065\u0301", "NFKC"},
                new String[] {"a\u2215b", "looks like"});
        for (String[] c : cases) {
            CliRun created = run("branch", "create", c[0], "--uri", uri);
            assertEquals(1, created.code(), c[0] + ": " + created.out() + created.err());
            assertTrue(created.err().contains(c[1]), c[0] + ": " + created.err());
            CliRun tagged = run("tag", "create", c[0], "--uri", uri);
            assertEquals(1, tagged.code(), c[0]);
            CliRun renamed = run("branch", "rename", "main", c[0], "--uri", uri);
            assertEquals(1, renamed.code(), c[0]);
        }
        CliRun json = run("branch", "list", "--uri", uri, "--json");
        assertEquals(0, json.code());
        assertEquals(List.of("main"), Document.parse(json.out()).getList("branches", Document.class).stream()
                .map(b -> b.getString("name")).toList());
        assertEquals("kept", client.getDatabase("shop").getCollection("items").find().first().getString("v"));
        assertFalse(Files.exists(dataDir.resolveSibling(PROBE)));
        assertFalse(Files.exists(Path.of("/tmp", PROBE)));
    }
}
