package dev.argon.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.argon.proxy.ArgonServer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code argon status} shows the storage figures, as a table and as JSON, against a real server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusCommandIT {
    private ArgonServer server;
    private String uri;

    @BeforeAll
    void start() throws Exception {
        server = ArgonServer.start(Files.createTempDirectory("argon-cli-status-"), "127.0.0.1", 0, null);
        uri = "mongodb://127.0.0.1:" + server.port();
        try (MongoClient c = MongoClients.create(uri)) {
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                docs.add(new Document("_id", i).append("text", "the same sentence again and again. ".repeat(20)));
            }
            c.getDatabase("shop").getCollection("items").insertMany(docs);
            c.getDatabase("admin").runCommand(new Document("createBranch", "exp"));
            c.getDatabase("shop~exp").getCollection("items").deleteMany(new Document("_id", new Document("$lt", 200)));
        }
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void jsonCarriesTheStorageFigures() {
        CliRun r = CliRun.of("status", "--uri", uri, "--json", "--flush");
        assertEquals(0, r.code(), r.err());
        Document s = Document.parse(r.out()).get("storageUsage", Document.class);
        assertTrue(s.get("rocksdb", Document.class).get("bytes", Number.class).longValue() > 0, r.out());
        assertTrue(s.get("versions", Document.class).get("compressionRatio", Number.class).doubleValue() > 1, r.out());
        Document exp = s.getList("branches", Document.class).stream().filter(b -> b.getString("name").equals("exp")).findFirst().orElseThrow();
        assertEquals(200L, exp.get("uniqueVersions", Number.class).longValue(), "exp's 200 deletes are its own: " + exp.toJson());
    }

    @Test
    void theTableNamesEachFigure() {
        CliRun r = CliRun.of("status", "--uri", uri);
        assertEquals(0, r.code(), r.err());
        for (String header : List.of("ROCKSDB", "LOCAL OBJECTS", "BUCKET", "COMPRESSION", "UNIQUE BYTES")) {
            assertTrue(r.out().contains(header), r.out());
        }
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("exp ")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("main ")), r.out());
        CliRun quick = CliRun.of("status", "--uri", uri, "--no-storage");
        assertFalse(quick.out().contains("ROCKSDB"), quick.out());
    }
}
