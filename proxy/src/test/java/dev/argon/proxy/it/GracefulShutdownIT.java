package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.argon.proxy.ArgonServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM under a write load, as {@code argon serve} gets it: the server finishes or refuses the commands in
 * flight (refusals are 91 ShutdownInProgress / 11600 InterruptedAtShutdown, or a closed connection, which the
 * driver retries), loses no acknowledged write, and closes its data directory.
 */
class GracefulShutdownIT extends ArgonTestBase {

    @Test
    void sigtermLosesNoAcknowledgedWriteAndRefusesCleanly() throws Exception {
        Path dir = Files.createTempDirectory("argon-term-");
        Path portFile = dir.resolve("port");
        Path data = dir.resolve("data");
        Path log = dir.resolve("child.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ChildServer.class.getName(),
                data.toString(), portFile.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(portFile) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(portFile), "child server did not start");
            int port = Integer.parseInt(Files.readString(portFile).trim());
            Set<Integer> acked = ConcurrentHashMap.newKeySet();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Thread> writers = new ArrayList<>();
            // Retryable writes on (the driver default); short selection timeout, as the server does not come back.
            MongoClient load = MongoClients.create("mongodb://127.0.0.1:" + port + "/?serverSelectionTimeoutMS=5000");
            for (int t = 0; t < 6; t++) {
                int base = t * 1_000_000;
                boolean journaled = t % 2 == 0;
                Thread w = new Thread(() -> {
                    MongoCollection<Document> c = load.getDatabase("term").getCollection("c");
                    if (journaled) {
                        c = c.withWriteConcern(com.mongodb.WriteConcern.JOURNALED);
                    }
                    for (int i = 0; i < 200_000; i++) {
                        try {
                            if (i % 3 == 0) {
                                c.insertMany(List.of(new Document("_id", base + i).append("pad", "x".repeat(100)),
                                        new Document("_id", base + i + 1), new Document("_id", base + i + 2)));
                                acked.add(base + i);
                                acked.add(base + i + 1);
                                acked.add(base + i + 2);
                                i += 2;
                            } else {
                                c.insertOne(new Document("_id", base + i).append("pad", "x".repeat(100)));
                                acked.add(base + i);
                            }
                        } catch (RuntimeException e) {
                            failures.add(e);
                            return;
                        }
                    }
                });
                w.start();
                writers.add(w);
            }
            // Bounded: if every writer failed early (e.g. server selection timed out on a loaded machine), fail
            // with their errors instead of waiting for acknowledgements that will never come.
            long ackDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (acked.size() < 3000) {
                assertTrue(failures.size() < writers.size() && System.nanoTime() < ackDeadline,
                        "writers stopped before 3000 acknowledged writes (" + acked.size() + "): " + failures);
                Thread.sleep(10);
            }
            child.destroy(); // SIGTERM
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the server did not stop after SIGTERM");
            for (Thread w : writers) {
                w.join(60_000);
            }
            load.close();
            String childLog = Files.readString(log);
            assertEquals(143, child.exitValue(), childLog); // 128 + SIGTERM, after the shutdown hook ran
            assertTrue(childLog.contains("Argon stopped"), "no clean close in the log:\n" + childLog);
            assertFalse(childLog.contains("unexpected failure") || childLog.contains("storage failure"), childLog);
            assertEquals(6, failures.size(), "every writer ended with the server gone: " + failures);
            for (Throwable f : failures) {
                System.out.println("a writer ended with: " + f);
                assertTrue(refusedCleanly(f), "not a clean refusal: " + f);
            }
            try (ArgonServer again = ArgonServer.start(data, "127.0.0.1", 0, null);
                 MongoClient check = MongoClients.create("mongodb://127.0.0.1:" + again.port() + "/")) {
                Set<Integer> present = new java.util.HashSet<>();
                for (Document d : check.getDatabase("term").getCollection("c").find().projection(new Document("_id", 1))) {
                    present.add(d.getInteger("_id"));
                }
                List<Integer> lost = new ArrayList<>();
                for (Integer id : acked) {
                    if (!present.contains(id)) {
                        lost.add(id);
                    }
                }
                assertTrue(lost.isEmpty(), lost.size() + " acknowledged writes lost, e.g. " + lost.subList(0, Math.min(5, lost.size())));
            }
        } finally {
            child.destroyForcibly();
            deleteTree(dir);
        }
    }

    /**
     * What a driver may see from a stopping server: ShutdownInProgress or InterruptedAtShutdown (retried by the
     * driver, then reported once there is no server left), or the connection closing / no server to select.
     */
    private static boolean refusedCleanly(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof MongoSocketException || c instanceof MongoTimeoutException) {
                return true;
            }
            if (c instanceof MongoException m && (m.getCode() == 91 || m.getCode() == 11600)) {
                return true;
            }
        }
        return false;
    }
}
