package dev.argon.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.argon.proxy.ArgonServer;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** {@code argon fsck}: exit codes, human output and JSON on a directory a real server wrote. */
class FsckCommandIT {
    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static Path workload() throws Exception {
        Path dir = Files.createTempDirectory("argon-fsck-cli-");
        try (ArgonServer server = ArgonServer.start(dir, "127.0.0.1", 0, null);
             MongoClient c = MongoClients.create("mongodb://127.0.0.1:" + server.port())) {
            MongoCollection<Document> items = c.getDatabase("shop").getCollection("items");
            items.createIndex(new Document("label", 1));
            items.insertMany(List.of(Document.parse("{_id: 1, label: 'a'}"), Document.parse("{_id: 2, label: 'b'}")));
            c.getDatabase("admin").runCommand(new Document("createBranch", "exp"));
            c.getDatabase("shop~exp").getCollection("items").updateOne(Filters.eq("_id", 1), Updates.set("label", "z"));
            items.deleteOne(Filters.eq("_id", 2));

            CliRun inUse = run("fsck", "--data", dir.toString());
            assertEquals(CliException.CANNOT_CHECK, inUse.code(), inUse.out() + inUse.err());
            assertTrue(inUse.err().contains("in use"), inUse.err());
        }
        return dir;
    }

    @Test
    void aCleanDirectoryExitsZeroWithTextAndJson() throws Exception {
        Path dir = workload();
        CliRun text = run("fsck", "--data", dir.toString());
        assertEquals(0, text.code(), text.out() + text.err());
        assertTrue(text.out().contains("clean") && text.out().contains("2 live branch heads"), text.out());

        CliRun json = run("fsck", "--data", dir.toString(), "--json");
        assertEquals(0, json.code(), json.err());
        Document d = Document.parse(json.out());
        assertTrue(d.getBoolean("clean"));
        assertTrue(d.getList("problems", Document.class).isEmpty());
        assertTrue(d.get("counts", Document.class).get("logEntries", Number.class).longValue() >= 5, json.out());
    }

    @Test
    void damageExitsNonZeroAndIsListed() throws Exception {
        Path dir = workload();
        Path manifest;
        try (Stream<Path> s = Files.list(dir)) {
            manifest = s.filter(p -> p.getFileName().toString().startsWith("MANIFEST-")).findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(manifest.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0xFF);
        }
        CliRun json = run("fsck", "--data", dir.toString(), "--json");
        assertEquals(CliException.DAMAGE, json.code(), json.out() + json.err());
        Document d = Document.parse(json.out());
        assertFalse(d.getBoolean("clean"));
        assertEquals("unreadable", d.getList("problems", Document.class).get(0).getString("check"), json.out());
        CliRun text = run("fsck", "--data", dir.toString());
        assertEquals(CliException.DAMAGE, text.code());
        assertTrue(text.out().contains("problem(s) found"), text.out());
    }

    @Test
    void somethingThatIsNotADataDirectoryCannotBeChecked() throws Exception {
        Path empty = Files.createTempDirectory("argon-fsck-empty-");
        CliRun r = run("fsck", "--data", empty.toString());
        assertEquals(CliException.CANNOT_CHECK, r.code());
        assertTrue(r.err().contains("not an Argon data directory"), r.err());
        assertEquals(CliException.CANNOT_CHECK, run("fsck", "--data", empty.resolve("missing").toString()).code());
    }
}
