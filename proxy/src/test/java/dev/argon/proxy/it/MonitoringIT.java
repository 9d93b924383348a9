package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.event.ConnectionPoolClearedEvent;
import com.mongodb.event.ConnectionPoolListener;
import com.mongodb.event.ServerHeartbeatFailedEvent;
import com.mongodb.event.ServerHeartbeatSucceededEvent;
import com.mongodb.event.ServerMonitorListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Drivers monitor the server with the streaming protocol (awaitable {@code hello} with exhaust) while the
 * application runs: each driver keeps one connection pool for the whole run, no heartbeat fails, and the awaited
 * heartbeats do arrive.
 */
class MonitoringIT extends ArgonTestBase {

    @Test
    void nodeDriverKeepsItsPoolUnderLoad() throws Exception {
        ExternalClient.require(ExternalClient.nodeDriverPresent(), "the Node.js driver (npm package mongodb)");
        assertOneClean(result(ExternalClient.run(List.of("node", "monitoring.js", uri(), "monnode", "30", "500"))), 30, 500);
    }

    /**
     * mongosh logs heartbeats only while it connects, so its log cannot show a later failure; the script counts the
     * events of the MongoClient behind the shell instead.
     */
    @Test
    void mongoshKeepsItsPoolUnderLoad() throws Exception {
        ExternalClient.require(ExternalClient.mongoshPresent(), "mongosh (npm package mongosh)");
        BsonDocument result = result(ExternalClient.run(List.of(ExternalClient.NODE_MODULES.resolve(".bin/mongosh").toString(),
                "--quiet", "--norc", uri() + "monsh?heartbeatFrequencyMS=500", "--eval", "const SECONDS = 10",
                "--file", "monitoring.mongosh.js")));
        assertTrue(result.getBoolean("listening").getValue(), "the script reached the shell's MongoClient: " + result);
        assertOneClean(result, 10, 500);
    }

    @Test
    void pymongoKeepsItsPoolUnderLoad() throws Exception {
        ExternalClient.require(ExternalClient.pymongoPresent(), "pymongo (Debian package python3-pymongo)");
        assertOneClean(result(ExternalClient.run(List.of("/usr/bin/python3", "monitoring.py", uri(), "monpy", "10", "500"))), 10, 500);
    }

    @Test
    void javaDriverKeepsItsPoolUnderLoad() throws Exception {
        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger awaited = new AtomicInteger();
        List<String> failed = new CopyOnWriteArrayList<>();
        AtomicInteger cleared = new AtomicInteger();
        ServerMonitorListener heartbeats = new ServerMonitorListener() {
            @Override
            public void serverHeartbeatSucceeded(ServerHeartbeatSucceededEvent event) {
                succeeded.incrementAndGet();
                if (event.isAwaited()) {
                    awaited.incrementAndGet();
                }
            }

            @Override
            public void serverHeartbeatFailed(ServerHeartbeatFailedEvent event) {
                failed.add(String.valueOf(event.getThrowable()));
            }
        };
        ConnectionPoolListener pool = new ConnectionPoolListener() {
            @Override
            public void connectionPoolCleared(ConnectionPoolClearedEvent event) {
                cleared.incrementAndGet();
            }
        };
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(uri()))
                .applyToServerSettings(b -> b.heartbeatFrequency(500, TimeUnit.MILLISECONDS).addServerMonitorListener(heartbeats))
                .applyToConnectionPoolSettings(b -> b.addConnectionPoolListener(pool))
                .build();
        long seconds = 10;
        AtomicInteger operations = new AtomicInteger();
        int heartbeatsSucceeded;
        int heartbeatsAwaited;
        List<String> heartbeatsFailed;
        int poolsCleared;
        try (MongoClient monitored = MongoClients.create(settings)) {
            MongoCollection<Document> c = monitored.getDatabase("monjava").getCollection("load");
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            ExecutorService load = Executors.newFixedThreadPool(3);
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int w = 0; w < 3; w++) {
                    int worker = w;
                    workers.add(load.submit(() -> {
                        for (int i = 0; System.nanoTime() < end; i++) {
                            c.insertOne(new Document("w", worker).append("i", i));
                            c.find(new Document("w", worker)).sort(new Document("_id", -1)).limit(5).into(new ArrayList<>());
                            operations.addAndGet(2);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : workers) {
                    f.get(); // an operation's exception fails the test here
                }
            } finally {
                load.shutdownNow();
            }
            // Taken before close(), which interrupts the monitor's pending heartbeat on purpose.
            heartbeatsSucceeded = succeeded.get();
            heartbeatsAwaited = awaited.get();
            heartbeatsFailed = List.copyOf(failed);
            poolsCleared = cleared.get();
        }
        String seen = "heartbeats succeeded " + heartbeatsSucceeded + " (awaited " + heartbeatsAwaited + "), failed "
                + heartbeatsFailed + ", pools cleared " + poolsCleared + ", operations " + operations;
        assertEquals(0, poolsCleared, seen);
        assertEquals(List.of(), heartbeatsFailed, seen);
        assertTrue(heartbeatsAwaited > 0, seen);
        assertNoBusyLoop(heartbeatsSucceeded, seconds, 500, seen);
        assertTrue(operations.get() > 0, seen);
    }

    /** No pool clear, no failed heartbeat or operation; heartbeats, awaited ones among them, and operations ran. */
    static void assertOneClean(BsonDocument result, long seconds, long heartbeatMillis) {
        assertEquals(0, result.getInt32("poolsCleared").getValue(), "connection pool clears: " + result);
        assertEquals(0, result.getInt32("heartbeatsFailed").getValue(), "failed heartbeats: " + result);
        assertEquals(0, result.getInt32("operationsFailed").getValue(), "failed operations: " + result);
        assertTrue(result.getInt32("heartbeatsSucceeded").getValue() > 0, "heartbeats succeeded: " + result);
        assertTrue(result.getInt32("heartbeatsAwaited").getValue() > 0, "awaited heartbeats: " + result);
        assertNoBusyLoop(result.getInt32("heartbeatsSucceeded").getValue(), seconds, heartbeatMillis, result.toJson());
        assertTrue(result.getInt32("operations").getValue() > 0, "operations ran: " + result);
    }

    /**
     * Streaming delivers about one awaited heartbeat per heartbeatFrequencyMS. A server that answers an awaitable
     * hello at once makes a driver ask again at once, thousands of times a second; the bound is three times the
     * expected count, loose enough for any scheduling.
     */
    static void assertNoBusyLoop(int heartbeats, long seconds, long heartbeatMillis, String seen) {
        assertTrue(heartbeats <= 3 * seconds * 1000 / heartbeatMillis + 10, "heartbeats are not a busy loop: " + seen);
    }

    /** The JSON after "RESULT " in a client's output. */
    static BsonDocument result(String output) {
        int at = output.lastIndexOf("RESULT ");
        assertTrue(at >= 0, "no RESULT line in the client's output:\n" + output);
        int end = output.indexOf('\n', at);
        return BsonDocument.parse(output.substring(at + "RESULT ".length(), end < 0 ? output.length() : end));
    }
}
