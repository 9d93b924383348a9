package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs one of the official non-Java clients (Node.js driver, mongosh, pymongo) as a child process. When a
 * client is not installed the test is skipped with a message, except under CI ({@code CI=true}), where
 * {@code .ci/run} installs them and a missing client is a failure.
 */
final class ExternalClient {
    static final Path CLIENTS = Path.of("src", "test", "clients").toAbsolutePath();
    static final Path NODE_MODULES = CLIENTS.resolve("node_modules");

    private ExternalClient() {}

    static void require(boolean present, String what) {
        if (present) {
            return;
        }
        String msg = what + " is not installed (run .ci/run, or see README: npm install in proxy/src/test/clients; apt-get install python3-pymongo)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(msg);
        }
        Assumptions.assumeTrue(false, msg);
    }

    static boolean nodeDriverPresent() {
        return Files.isDirectory(NODE_MODULES.resolve("mongodb")) && onPath("node");
    }

    static boolean mongoshPresent() {
        return Files.exists(NODE_MODULES.resolve(".bin").resolve("mongosh"));
    }

    static boolean pymongoPresent() {
        if (!Files.exists(Path.of("/usr/bin/python3"))) {
            return false;
        }
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import pymongo").start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, exe))) {
                return true;
            }
        }
        return false;
    }

    /** Runs the command with the clients folder as working directory; returns its output; fails on non-zero exit. */
    static String run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("argon-client-", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(CLIENTS.toFile())
                    .redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().put("HOME", Files.createTempDirectory("argon-client-home-").toString());
            Process p = pb.start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("client timed out: " + command + "\n" + Files.readString(out, StandardCharsets.UTF_8));
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "client failed: " + command + "\n" + text);
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    static void assertOk(String output, String name) {
        assertTrue(output.contains("SMOKE OK " + name), output);
    }
}
