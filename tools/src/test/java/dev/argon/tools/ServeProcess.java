package dev.argon.tools;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code argon serve} in a child JVM, as a user starts it, so that a test can kill it with SIGKILL: it is
 * started with {@code --port 0} and its port read from the line it prints once listening. JVM system properties
 * (test hooks) go before the main class; the child's {@code java.io.tmpdir} is a folder of the test's, so that
 * what a killed server leaves there can be checked. Not thread-safe.
 */
final class ServeProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("argon: listening on [^ ]+:(\\d+)");

    private final Process process;
    private final Path log;
    private final int port;

    private ServeProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * @param work       a folder of the test's: the child's log ({@code name.log}) and temporary folder go there
     * @param properties {@code -D} options for the child JVM
     * @param args       the arguments after {@code argon serve}
     */
    static ServeProcess start(Path work, String name, List<String> properties, String... args) throws Exception {
        Path log = work.resolve(name + ".log");
        Path tmp = Files.createDirectories(tmpDir(work));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Djava.io.tmpdir=" + tmp));
        cmd.addAll(properties);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ArgonCli.class.getName(), "serve", "--port", "0"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (m.find()) {
                return new ServeProcess(p, log, Integer.parseInt(m.group(1)));
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        fail("argon serve did not start: " + Files.readString(log));
        return null;
    }

    /** The child's {@code java.io.tmpdir}. */
    static Path tmpDir(Path work) {
        return work.resolve("child-tmp");
    }

    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    String uri() {
        return "mongodb://127.0.0.1:" + port;
    }

    String log() throws java.io.IOException {
        return Files.readString(log);
    }

    /** {@code kill -9}: the process ends at once, with nothing closed or flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, on which {@code argon serve} closes cleanly. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
        }
    }
}
