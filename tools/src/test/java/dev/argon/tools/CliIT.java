package dev.argon.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.proxy.ArgonServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The CLI against a real server over the wire: output, JSON and exit codes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliIT {
    private ArgonServer server;
    private String uri;

    @BeforeAll
    void start() throws Exception {
        server = ArgonServer.start(Files.createTempDirectory("argon-cli-"), "127.0.0.1", 0, null);
        uri = "mongodb://127.0.0.1:" + server.port();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void branchLifecycleWithTablesAndJson() {
        CliRun created = run("branch", "create", "cli-exp", "--uri", uri);
        assertEquals(0, created.code(), created.err());
        assertTrue(created.out().contains("cli-exp") && created.out().contains("main"), created.out());

        CliRun list = run("branch", "list", "--uri", uri);
        assertEquals(0, list.code());
        assertTrue(list.out().startsWith("NAME"), list.out());
        assertTrue(list.out().contains("cli-exp"), list.out());

        CliRun json = run("branch", "list", "--uri", uri, "--json");
        assertEquals(0, json.code());
        Document parsed = Document.parse(json.out());
        assertTrue(parsed.getList("branches", Document.class).stream().anyMatch(b -> b.getString("name").equals("cli-exp")
                && "main".equals(b.getString("parent"))));

        assertEquals(0, run("branch", "rename", "cli-exp", "cli-exp2", "--uri", uri).code());
        assertEquals(0, run("branch", "protect", "cli-exp2", "--uri", uri).code());
        CliRun status = run("status", "--uri", uri, "--json");
        assertEquals(0, status.code());
        assertTrue(Document.parse(status.out()).getInteger("branches") >= 2);
        assertEquals(0, run("branch", "delete", "cli-exp2", "--uri", uri).code());
    }

    @Test
    void gcDryRunThenRealReportsWhatADroppedBranchLeft() {
        assertEquals(0, run("branch", "create", "cli-gc", "--uri", uri).code());
        try (com.mongodb.client.MongoClient c = com.mongodb.client.MongoClients.create(uri)) {
            c.getDatabase("cligc~cli-gc").getCollection("c").insertOne(new Document("_id", 1));
        }
        assertEquals(0, run("branch", "delete", "cli-gc", "--uri", uri).code());
        CliRun dry = run("gc", "--dry-run", "--json", "--uri", uri);
        assertEquals(0, dry.code(), dry.err());
        Document d = Document.parse(dry.out());
        assertEquals(Boolean.TRUE, d.getBoolean("dryRun"));
        assertTrue(((Number) d.get("versions")).longValue() >= 2, "the document and its collection entry: " + dry.out());
        CliRun real = run("gc", "--uri", uri);
        assertEquals(0, real.code(), real.err());
        assertTrue(real.out().contains("RECLAIMED") && real.out().contains("HORIZON LSN"), real.out());
        CliRun after = run("gc", "--dry-run", "--json", "--uri", uri);
        assertEquals(0L, ((Number) Document.parse(after.out()).get("versions")).longValue(), after.out());
    }

    @Test
    void failuresHaveMeaningfulExitCodes() {
        CliRun refused = run("branch", "delete", "main", "--uri", uri);
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("cannot be deleted"), refused.err());
        CliRun missing = run("branch", "create", "x", "--from", "nope", "--uri", uri);
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("'nope'"), missing.err());
        assertEquals(2, run("branch", "create").code(), "a usage error");
        CliRun down = run("status", "--uri", "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=500");
        assertEquals(3, down.code());
    }

    @Test
    void versionControlWorkflow() {
        try (com.mongodb.client.MongoClient c = com.mongodb.client.MongoClients.create(uri)) {
            com.mongodb.client.MongoCollection<Document> main = c.getDatabase("wf").getCollection("items");
            main.insertMany(java.util.List.of(Document.parse("{_id: 1, label: 'cat'}"), Document.parse("{_id: 2, label: 'dog'}")));
            assertEquals(0, run("branch", "create", "wf-relabel", "--uri", uri).code());
            assertEquals(0, run("branch", "create", "wf-enrich", "--uri", uri).code());
            c.getDatabase("wf~wf-relabel").getCollection("items").updateOne(Document.parse("{_id: 1}"), Document.parse("{$set: {label: 'lion'}}"));
            c.getDatabase("wf~wf-enrich").getCollection("items").updateMany(Document.parse("{}"), Document.parse("{$set: {size: 'big'}}"));

            CliRun diff = run("diff", "wf-relabel", "wf-enrich", "--uri", uri);
            assertEquals(0, diff.code(), diff.err());
            assertTrue(diff.out().contains("changed") && diff.out().contains("label,size"), diff.out());
            assertTrue(diff.out().contains("2 document(s) differ"), diff.out());

            assertEquals(0, run("merge", "wf-relabel", "--into", "main", "--uri", uri).code());
            CliRun preview = run("merge", "wf-enrich", "--into", "main", "--preview", "--uri", uri);
            assertEquals(0, preview.code(), preview.err());
            assertTrue(preview.out().contains("preview: 0 conflict(s)"), preview.out());
            CliRun merged = run("merge", "wf-enrich", "--into", "main", "-m", "add sizes", "--uri", uri);
            assertEquals(0, merged.code(), merged.err());
            assertEquals(Document.parse("{_id: 1, label: 'lion', size: 'big'}"), main.find(Document.parse("{_id: 1}")).first());

            CliRun log = run("log", "main", "--limit", "1", "--uri", uri, "--json");
            assertEquals(0, log.code());
            Document last = Document.parse(log.out()).getList("commits", Document.class).get(0);
            assertEquals("add sizes", last.getString("comment"));
            CliRun text = run("log", "main", "--uri", uri);
            assertTrue(text.out().startsWith("LSN") && text.out().contains("add sizes"), text.out());

            CliRun revert = run("revert", "main", "--lsn", Long.toString(((Number) last.get("lsn")).longValue()), "--uri", uri);
            assertEquals(0, revert.code(), revert.out() + revert.err());
            assertEquals(Document.parse("{_id: 1, label: 'lion'}"), main.find(Document.parse("{_id: 1}")).first());

            assertEquals(0, run("tag", "create", "wf-v1", "--branch", "main", "--uri", uri).code());
            assertTrue(run("tag", "list", "--uri", uri).out().contains("wf-v1"));
            assertEquals(2, c.getDatabase("wf~wf-v1").getCollection("items").countDocuments());
            assertEquals(0, run("tag", "delete", "wf-v1", "--uri", uri).code());

            CliRun reset = run("reset", "wf-enrich", "--to", "0", "--backup", "wf-enrich-old", "--uri", uri);
            assertEquals(0, reset.code(), reset.err());
            assertTrue(reset.out().contains("abandoned"), reset.out());
            assertEquals(0, c.getDatabase("wf~wf-enrich").getCollection("items").countDocuments());
            assertEquals(2, c.getDatabase("wf~wf-enrich-old").getCollection("items").countDocuments());
        }
    }

    @Test
    void diffLogAndPreviewPageThroughTheServersCursors() {
        try (com.mongodb.client.MongoClient c = com.mongodb.client.MongoClients.create(uri)) {
            com.mongodb.client.MongoCollection<Document> main = c.getDatabase("pg").getCollection("items");
            java.util.List<Document> docs = new java.util.ArrayList<>();
            for (int i = 0; i < 250; i++) {
                docs.add(new Document("_id", i).append("v", "base"));
            }
            main.insertMany(docs);
            assertEquals(0, run("branch", "create", "pg-x", "--uri", uri).code());
            c.getDatabase("pg~pg-x").getCollection("items").updateMany(Document.parse("{}"), Document.parse("{$set: {v: 'theirs'}}"));
            for (int i = 0; i < 12; i++) {
                main.updateOne(new Document("_id", i), Document.parse("{$set: {v: 'ours'}}"));
            }

            // More changes than one default first batch (101), and small batches: only getMore can bring them all.
            CliRun diff = run("diff", "main", "pg-x", "--ns", "pg.items", "--batch-size", "7", "--uri", uri);
            assertEquals(0, diff.code(), diff.err());
            assertTrue(diff.out().contains("250 document(s) differ"), diff.out());
            assertEquals(250, diff.out().lines().filter(l -> l.contains("pg.items")).count());
            assertEquals(1, diff.out().lines().filter(l -> l.startsWith("KIND")).count(), "one header for all batches");

            CliRun json = run("diff", "main", "pg-x", "--ns", "pg.items", "--uri", uri, "--json");
            assertEquals(0, json.code(), json.err());
            Document parsed = Document.parse(json.out());
            assertEquals(250, parsed.getList("changes", Document.class).size());
            assertTrue(parsed.containsKey("entriesRead"));

            CliRun log = run("log", "main", "--ns", "pg.items", "--limit", "0", "--batch-size", "3", "--uri", uri, "--json");
            assertEquals(0, log.code(), log.err());
            assertEquals(13, Document.parse(log.out()).getList("commits", Document.class).size());

            CliRun preview = run("merge", "pg-x", "--into", "main", "--preview", "--batch-size", "5", "--uri", uri, "--json");
            assertEquals(0, preview.code(), preview.err());
            Document plan = Document.parse(preview.out());
            assertEquals(12, plan.getList("conflicts", Document.class).size());
            assertEquals(12L, ((Number) plan.get("conflictCount")).longValue());
            assertEquals(238, plan.get("counts", Document.class).get("pg.items", Document.class).getInteger("update"));

            CliRun text = run("merge", "pg-x", "--into", "main", "--preview", "--batch-size", "5", "--uri", uri);
            assertEquals(12, text.out().lines().filter(l -> l.startsWith("conflict")).count(), text.out());
            assertTrue(text.out().contains("preview: 12 conflict(s)"), text.out());
        }
    }
}
