package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.argon.engine.store.StoreChecker;
import dev.argon.wal.FsckReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Crash harness: runs the server as a child process under a concurrent load of inserts, updates, deletes,
 * insertMany batches, branch creates, merges, resets and tag creates (default write concern: {@code w: 1}
 * without {@code j}), kills it with SIGKILL at a random moment, checks the stopped directory with fsck
 * (the code {@code argon fsck} runs), restarts it and checks every acknowledged write against the clients'
 * ledger, and that no half commit is visible. {@code -Dargon.crash.cycles=N} sets the number of kills (3 in
 * the normal suite, at least 20 for a full run) and {@code -Dargon.crash.seed=S} replays a run; the seed is
 * printed. See docs/TESTING.md.
 */
class CrashIT {
    private static final int WORKERS = 4;

    @Test
    void acknowledgedWritesSurviveSigkillAndFsckStaysClean() throws Exception {
        int cycles = Integer.getInteger("argon.crash.cycles", 3);
        long seed = Long.getLong("argon.crash.seed", 20261122L);
        System.out.println("crash harness: " + cycles + " cycles, seed " + seed + " (replay with -Dargon.crash.seed=" + seed + ")");
        Random rnd = new Random(seed);
        Path dir = Files.createTempDirectory("argon-crash-");
        Path data = dir.resolve("data");
        CrashLoad load = new CrashLoad();
        try {
            for (int cycle = 0; cycle <= cycles; cycle++) {
                Process child = start(dir, data, cycle);
                try {
                    int port = port(dir, cycle, child);
                    try (MongoClient check = client(port)) {
                        long t0 = System.nanoTime();
                        List<String> failures = load.verify(check);
                        System.out.println("after kill " + cycle + ": " + load.claims() + " claims checked in "
                                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
                        if (!failures.isEmpty()) {
                            fail("seed " + seed + ", after kill " + cycle + ": " + failures.size() + " of " + load.claims() + " claims fail, e.g. "
                                    + failures.subList(0, Math.min(10, failures.size())));
                        }
                    }
                    if (cycle == cycles) {
                        break;
                    }
                    long before = load.acked.get();
                    AtomicBoolean stop = new AtomicBoolean();
                    MongoClient writers = client(port);
                    List<Thread> threads = new ArrayList<>();
                    for (int t = 0; t < WORKERS; t++) {
                        long workerSeed = rnd.nextLong();
                        String prefix = "c" + cycle + "w" + t;
                        Thread th = new Thread(() -> load.work(writers, workerSeed, prefix, stop), "crash-worker-" + t);
                        th.start();
                        threads.add(th);
                    }
                    // Kill at a random moment once some work is acknowledged, so each cycle has something to lose.
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (load.acked.get() - before < 50 && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    Thread.sleep(100 + rnd.nextInt(1400));
                    child.destroyForcibly();
                    child.waitFor(30, TimeUnit.SECONDS);
                    stop.set(true);
                    for (Thread th : threads) {
                        th.join(30_000);
                    }
                    writers.close();
                    System.out.println("cycle " + cycle + ": killed after " + (load.acked.get() - before) + " acknowledged operations; "
                            + load.claims() + " claims so far");
                } finally {
                    child.destroyForcibly();
                    child.waitFor(30, TimeUnit.SECONDS);
                }
                long t0 = System.nanoTime();
                FsckReport report = StoreChecker.check(data);
                System.out.println("fsck after kill " + (cycle + 1) + ": " + report.counts() + " in "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
                if (!report.clean()) {
                    fail("seed " + seed + ", fsck after kill " + (cycle + 1) + ": " + report.problemCount() + " problems, e.g. "
                            + report.problems().subList(0, Math.min(10, report.problems().size())));
                }
            }
            assertTrue(load.claims() > 0, "the load wrote nothing");
        } finally {
            ArgonTestBase.deleteTree(dir);
        }
    }

    private static Process start(Path dir, Path data, int cycle) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ChildServer.class.getName(), data.toString(),
                dir.resolve("port" + cycle).toString()).redirectErrorStream(true).redirectOutput(dir.resolve("child" + cycle + ".log").toFile()).start();
    }

    private static int port(Path dir, int cycle, Process child) throws Exception {
        Path portFile = dir.resolve("port" + cycle);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(portFile) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (!Files.exists(portFile)) {
            fail("the server did not start after kill " + cycle + ": " + Files.readString(dir.resolve("child" + cycle + ".log")));
        }
        return Integer.parseInt(Files.readString(portFile).trim());
    }

    private static MongoClient client(int port) {
        return MongoClients.create("mongodb://127.0.0.1:" + port
                + "/?directConnection=true&serverSelectionTimeoutMS=2000&connectTimeoutMS=2000&retryWrites=false&retryReads=false");
    }
}
