package dev.argon.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.argon.proxy.ArgonServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

    private static synchronized String[] run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = ArgonCli.execute(args);
            return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void jsonCarriesTheStorageFigures() {
        String[] r = run("status", "--uri", uri, "--json", "--flush");
        assertEquals("0", r[0], r[2]);
        Document s = Document.parse(r[1]).get("storageUsage", Document.class);
        assertTrue(s.get("rocksdb", Document.class).get("bytes", Number.class).longValue() > 0, r[1]);
        assertTrue(s.get("versions", Document.class).get("compressionRatio", Number.class).doubleValue() > 1, r[1]);
        Document exp = s.getList("branches", Document.class).stream().filter(b -> b.getString("name").equals("exp")).findFirst().orElseThrow();
        assertEquals(200L, exp.get("uniqueVersions", Number.class).longValue(), "exp's 200 deletes are its own: " + exp.toJson());
    }

    @Test
    void theTableNamesEachFigure() {
        String[] r = run("status", "--uri", uri);
        assertEquals("0", r[0], r[2]);
        for (String header : List.of("ROCKSDB", "LOCAL OBJECTS", "BUCKET", "COMPRESSION", "UNIQUE BYTES")) {
            assertTrue(r[1].contains(header), r[1]);
        }
        assertTrue(r[1].lines().anyMatch(l -> l.startsWith("exp ")), r[1]);
        assertTrue(r[1].lines().anyMatch(l -> l.startsWith("main ")), r[1]);
        String[] quick = run("status", "--uri", uri, "--no-storage");
        assertFalse(quick[1].contains("ROCKSDB"), quick[1]);
    }
}
