package dev.argon.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.argon.proxy.ArgonServer;
import java.nio.file.Files;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** {@code argon compact} against a real server: it moves old versions, reports them, and time travel still reads. */
class CompactCommandIT {

    @Test
    void compactMovesOldVersionsAndTimeTravelStillReads() throws Exception {
        try (ArgonServer server = ArgonServer.start(Files.createTempDirectory("argon-compact-cli-"), "127.0.0.1", 0, null);
             MongoClient c = MongoClients.create("mongodb://127.0.0.1:" + server.port())) {
            String uri = "mongodb://127.0.0.1:" + server.port();
            MongoCollection<Document> items = c.getDatabase("cc").getCollection("items");
            items.insertOne(new Document("_id", 1).append("v", 0));
            long first = ((Number) c.getDatabase("admin").runCommand(new Document("argonStatus", 1)).get("headLsn")).longValue();
            for (int i = 1; i <= 5; i++) {
                items.updateOne(Filters.eq("_id", 1), Updates.set("v", i));
            }
            CliRun usage = CliRun.of("compact", "--hot-window", "soon", "--uri", uri);
            assertEquals(2, usage.code(), usage.out() + usage.err());

            CliRun json = CliRun.of("compact", "--hot-window", "0", "--json", "--uri", uri);
            assertEquals(0, json.code(), json.err());
            Document r = Document.parse(json.out());
            assertTrue(((Number) r.get("versions")).longValue() >= 4, json.out());
            assertEquals(0, c.getDatabase("cc~main@" + first).getCollection("items").find().first().getInteger("v"));

            CliRun table = CliRun.of("compact", "--uri", uri);
            assertEquals(0, table.code(), table.err());
            assertTrue(table.out().contains("VERSIONS MOVED"), table.out());
        }
    }

    @Test
    void compactMergeAndGcMergeTheTiersSmallSegments() throws Exception {
        try (ArgonServer server = ArgonServer.start(Files.createTempDirectory("argon-compact-merge-cli-"), "127.0.0.1", 0, null);
             MongoClient c = MongoClients.create("mongodb://127.0.0.1:" + server.port())) {
            String uri = "mongodb://127.0.0.1:" + server.port();
            MongoCollection<Document> items = c.getDatabase("cc").getCollection("items");
            items.insertOne(new Document("_id", 1).append("v", 0));
            long first = ((Number) c.getDatabase("admin").runCommand(new Document("argonStatus", 1)).get("headLsn")).longValue();
            for (int i = 1; i <= 4; i++) {
                items.updateOne(Filters.eq("_id", 1), Updates.set("v", i));
                assertEquals(0, CliRun.of("compact", "--hot-window", "0", "--uri", uri).code());
            }
            CliRun json = CliRun.of("compact", "--hot-window", "0", "--merge", "--json", "--uri", uri);
            assertEquals(0, json.code(), json.err());
            Document m = Document.parse(json.out()).get("merge", Document.class);
            assertTrue(m != null && ((Number) m.get("segmentsMerged")).longValue() >= 4, json.out());
            assertEquals(((Number) m.get("totalSegments")).longValue(), ((Number) Document.parse(json.out()).get("totalSegments")).longValue()
                    - ((Number) m.get("segmentsMerged")).longValue() + ((Number) m.get("segmentsWritten")).longValue(), json.out());
            assertEquals(0, c.getDatabase("cc~main@" + first).getCollection("items").find().first().getInteger("v"));

            CliRun gc = CliRun.of("gc", "--uri", uri);
            assertEquals(0, gc.code(), gc.err());
            assertTrue(gc.out().contains("merged 0 tier segment(s)"), gc.out());
            CliRun noMerge = CliRun.of("gc", "--no-merge", "--json", "--uri", uri);
            assertEquals(0, noMerge.code(), noMerge.err());
            assertTrue(!Document.parse(noMerge.out()).containsKey("merge"), noMerge.out());
        }
    }
}
