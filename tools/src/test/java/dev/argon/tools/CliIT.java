package dev.argon.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.proxy.ArgonServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

    record Run(int code, String out, String err) {}

    private static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = ArgonCli.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void branchLifecycleWithTablesAndJson() {
        Run created = run("branch", "create", "cli-exp", "--uri", uri);
        assertEquals(0, created.code(), created.err());
        assertTrue(created.out().contains("cli-exp") && created.out().contains("main"), created.out());

        Run list = run("branch", "list", "--uri", uri);
        assertEquals(0, list.code());
        assertTrue(list.out().startsWith("NAME"), list.out());
        assertTrue(list.out().contains("cli-exp"), list.out());

        Run json = run("branch", "list", "--uri", uri, "--json");
        assertEquals(0, json.code());
        Document parsed = Document.parse(json.out());
        assertTrue(parsed.getList("branches", Document.class).stream().anyMatch(b -> b.getString("name").equals("cli-exp")
                && "main".equals(b.getString("parent"))));

        assertEquals(0, run("branch", "rename", "cli-exp", "cli-exp2", "--uri", uri).code());
        assertEquals(0, run("branch", "protect", "cli-exp2", "--uri", uri).code());
        Run status = run("status", "--uri", uri, "--json");
        assertEquals(0, status.code());
        assertTrue(Document.parse(status.out()).getInteger("branches") >= 2);
        assertEquals(0, run("branch", "delete", "cli-exp2", "--uri", uri).code());
    }

    @Test
    void failuresHaveMeaningfulExitCodes() {
        Run refused = run("branch", "delete", "main", "--uri", uri);
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("cannot be deleted"), refused.err());
        Run missing = run("branch", "create", "x", "--from", "nope", "--uri", uri);
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("'nope'"), missing.err());
        assertEquals(2, run("branch", "create").code(), "a usage error");
        Run down = run("status", "--uri", "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=500");
        assertEquals(3, down.code());
    }
}
