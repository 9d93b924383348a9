package dev.argon.proxy.conformance;

import static org.junit.jupiter.api.Assumptions.abort;

import dev.argon.proxy.it.ArgonTestBase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the MongoDB driver specification tests (unified test format) against a real in-process Argon.
 *
 * <p>One dynamic test per spec test, grouped by directory and file. A spec test that fails is a known gap: it is
 * reported (aborted, with the reason) and listed in {@code target/conformance-report.txt}, but it does not fail the
 * build. What fails the build is a directory passing fewer tests than its floor in
 * {@code conformance/floors.properties}: the suite is a ratchet, not a wish list. Set
 * {@code -Dargon.conformance.strict=true} to make every failing spec test fail instead.
 *
 * <p>The data is licensed CC BY-NC-SA and therefore stays outside the repository; see {@link SpecData}. Without it
 * the whole suite is skipped.
 */
class ConformanceTest extends ArgonTestBase {

    /** The spec tests set fail points; those Argon has ({@code onPrimaryTransactionalWrite}) need test commands. */
    @Override
    protected boolean enableTestCommands() {
        return true;
    }

    /**
     * The directories run by default: first those of the conformance plan, then the rest of the unified suite, which
     * costs a few seconds more and shows the transaction, change-stream and retry gaps in the same table. A default
     * directory missing from the data is left out of the table.
     */
    static final List<String> DEFAULT_DIRS = List.of("crud", "collection-management", "index-management", "run-command",
            "sessions", "command-logging-and-monitoring/monitoring", "transactions", "transactions-convenient-api",
            "change-streams", "retryable-writes", "retryable-reads", "command-logging-and-monitoring/logging",
            "unified-test-format/valid-pass");

    @TestFactory
    Stream<DynamicNode> specTests() {
        Path root = SpecData.locate();
        if (root == null) {
            // A skipped test rather than an aborted factory: surefire lists the former with its reason.
            String why = "conformance data not found, suite skipped: " + SpecData.describeSearch()
                    + " (set -Dargon.conformance.dir=... or ARGON_CONFORMANCE_DIR)";
            System.out.println(why);
            return Stream.of(DynamicTest.dynamicTest("spec data", () -> abort(why)));
        }
        List<String> dirs = SpecData.directories(root, DEFAULT_DIRS);
        boolean strict = Boolean.getBoolean("argon.conformance.strict");
        Map<String, Integer> floors = floors();
        UnifiedRunner runner = new UnifiedRunner(client, UnifiedRunner.Server.probe(client, "127.0.0.1:" + server.port()));
        Report report = new Report();
        long started = System.nanoTime();

        List<DynamicNode> nodes = new ArrayList<>();
        for (String dir : dirs) {
            Path d = root.resolve(dir);
            report.directory(dir);
            List<DynamicNode> files = new ArrayList<>();
            for (Path f : SpecData.files(d)) {
                String fileName = f.getFileName().toString().replaceFirst("\\.json$", "");
                if (!SpecData.fileSelected(fileName)) {
                    continue;
                }
                BsonDocument file;
                try {
                    file = BsonDocument.parse(Files.readString(f, StandardCharsets.UTF_8));
                } catch (IOException | RuntimeException e) {
                    files.add(DynamicTest.dynamicTest(fileName, () -> {
                        report.record(dir, fileName, Outcome.failed("runner: unreadable file", e.toString()));
                        throw new AssertionError("cannot read " + f + ": " + e);
                    }));
                    continue;
                }
                List<DynamicNode> tests = new ArrayList<>();
                BsonArray all = file.getArray("tests");
                for (int i = 0; i < all.size(); i++) {
                    BsonDocument test = all.get(i).asDocument();
                    String given = test.getString("description", new BsonString("")).getValue();
                    // JUnit refuses blank names, and at least one self-test of the format has one.
                    String description = given.isBlank() ? "(test " + (i + 1) + ")" : given;
                    tests.add(DynamicTest.dynamicTest(description, () -> {
                        Outcome o;
                        try {
                            o = runner.run(file, test);
                        } catch (RuntimeException | AssertionError e) {
                            // A bug of the runner itself: still counted, so the table stays complete.
                            o = Outcome.failed("runner: crashed with " + e.getClass().getSimpleName(), String.valueOf(e));
                        }
                        report.record(dir, fileName + " :: " + description, o);
                        switch (o.kind()) {
                            case PASSED -> {
                            }
                            case FAILED -> {
                                if (strict) {
                                    throw new AssertionError(o.reason());
                                }
                                abort("FAILED (known gap, see the conformance report): " + o.reason());
                            }
                            case NOT_RUNNABLE -> abort("not runnable here: " + o.reason());
                            case SKIPPED -> abort("skipped: " + o.reason());
                        }
                    }));
                }
                files.add(DynamicContainer.dynamicContainer(fileName, tests));
            }
            nodes.add(DynamicContainer.dynamicContainer(dir, files));
        }

        // Dynamic nodes run in stream order, so these come after every spec test.
        nodes.add(DynamicTest.dynamicTest("report", () -> {
            UnifiedRunner.Server s = runner.server();
            String header = String.format("Argon conformance: MongoDB unified-format spec tests%n"
                            + "server %s, topology %s, fail points %s; runner schema %d.%d; data %s; %.1f s",
                    s.version(), s.topology(), s.failPoints().isEmpty() ? "none" : String.join(", ", s.failPoints()), UnifiedRunner.SCHEMA_MAJOR,
                    UnifiedRunner.SCHEMA_MINOR, root.toAbsolutePath().normalize(), (System.nanoTime() - started) / 1e9);
            String text = report.render(header, floors);
            System.out.println(text);
            Path out = Path.of(System.getProperty("basedir", "."), "target", "conformance-report.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, text, StandardCharsets.UTF_8);
        }));
        for (String dir : dirs) {
            Integer floor = floors.get(dir);
            if (floor == null) {
                continue;
            }
            nodes.add(DynamicTest.dynamicTest("floor " + dir + " >= " + floor, () -> {
                int passed = report.tally(dir).passed;
                if (passed < floor) {
                    throw new AssertionError(dir + ": " + passed + " spec tests passed, fewer than the floor of " + floor
                            + " in conformance/floors.properties; see target/conformance-report.txt for what broke");
                }
            }));
        }
        return nodes.stream();
    }

    /** Minimum pass counts per directory; raised by hand when the server improves. */
    private static Map<String, Integer> floors() {
        Map<String, Integer> out = new LinkedHashMap<>();
        try (InputStream in = ConformanceTest.class.getResourceAsStream("/conformance/floors.properties")) {
            if (in == null) {
                return out;
            }
            Properties p = new Properties();
            p.load(in);
            for (String k : p.stringPropertyNames()) {
                out.put(k, Integer.parseInt(p.getProperty(k).trim()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Splits a comma-separated list such as {@code -Dargon.conformance.dirs=crud,sessions}. */
    static List<String> split(String s) {
        return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }
}
