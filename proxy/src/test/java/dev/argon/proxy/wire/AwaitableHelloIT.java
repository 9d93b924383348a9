package dev.argon.proxy.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.proxy.ArgonServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Awaitable {@code hello} and the exhaust (streaming) protocol on the wire, against a real Argon, as the
 * server-monitoring spec describes them. Timing bounds are deliberately loose: they tell "waited about
 * maxAwaitTimeMS" from "answered at once", nothing finer.
 */
class AwaitableHelloIT {
    private Path dataDir;
    private ArgonServer server;

    @BeforeAll
    static void quiet() {
        TestLogging.quiet();
    }

    @BeforeEach
    void start() throws IOException {
        dataDir = Files.createTempDirectory("argon-hello-");
        server = ArgonServer.start(dataDir, "127.0.0.1", 0, null);
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        try (Stream<Path> s = Files.walk(dataDir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static BsonDocument hello(BsonDocument topologyVersion, long maxAwaitTimeMS) {
        return new BsonDocument("hello", new BsonInt32(1)).append("topologyVersion", topologyVersion)
                .append("maxAwaitTimeMS", new BsonInt64(maxAwaitTimeMS)).append("$db", new BsonString("admin"));
    }

    /** The server's topologyVersion, from a plain hello. */
    private static BsonDocument topologyVersion(RawClient client) throws IOException {
        BsonDocument reply = client.call(Frames.opMsg(1, 0, new BsonDocument("hello", new BsonInt32(1))
                .append("$db", new BsonString("admin")))).document();
        return reply.getDocument("topologyVersion");
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Test
    void exhaustStreamsRepliesWithMoreToComeOnePerMaxAwaitTime() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            BsonDocument version = topologyVersion(client);
            long start = System.nanoTime();
            client.send(Frames.opMsg(7, OpMsg.EXHAUST_ALLOWED, hello(version, 200)));
            List<Frames.Reply> replies = new ArrayList<>();
            List<Long> at = new ArrayList<>();
            while (replies.size() < 3) {
                replies.add(client.read());
                at.add(millisSince(start));
            }
            assertTrue(at.get(0) >= 150, "the first reply waited about maxAwaitTimeMS: " + at);
            assertTrue(at.get(2) <= 1500, "three replies within 1.5 s: " + at);
            for (int i = 0; i < replies.size(); i++) {
                Frames.Reply r = replies.get(i);
                assertEquals(OpMsg.MORE_TO_COME, r.flags() & OpMsg.MORE_TO_COME, "reply " + i + " has moreToCome");
                assertEquals(1.0, r.document().getNumber("ok").doubleValue());
                assertEquals(version, r.document().getDocument("topologyVersion"));
                assertTrue(r.document().getBoolean("isWritablePrimary").getValue());
                // The first reply answers the request; each later one names the reply before it.
                assertEquals(i == 0 ? 7 : replies.get(i - 1).requestId(), r.responseTo(), "responseTo of reply " + i);
            }
            assertTrue(at.get(1) - at.get(0) >= 100 && at.get(2) - at.get(1) >= 100,
                    "replies are spaced by maxAwaitTimeMS, not sent back to back: " + at);
        }
    }

    @Test
    void withoutExhaustOneReplyAfterMaxAwaitTime() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            BsonDocument version = topologyVersion(client);
            long start = System.nanoTime();
            Frames.Reply reply = client.call(Frames.opMsg(8, 0, hello(version, 300)));
            long waited = millisSince(start);
            assertTrue(waited >= 250, "waited about maxAwaitTimeMS: " + waited + " ms");
            assertEquals(0, reply.flags() & OpMsg.MORE_TO_COME, "no moreToCome without exhaustAllowed");
            assertEquals(8, reply.responseTo());
            assertEquals(1.0, reply.document().getNumber("ok").doubleValue());
            assertEquals(version, reply.document().getDocument("topologyVersion"));
            // Nothing else follows, and the connection answers the next request.
            Frames.Reply ping = client.call(Frames.opMsg(9, 0, new BsonDocument("ping", new BsonInt32(1))
                    .append("$db", new BsonString("admin"))));
            assertEquals(9, ping.responseTo());
        }
    }

    @Test
    void legacyIsMasterOverOpQueryIsAwaitableToo() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            BsonDocument version = topologyVersion(client);
            BsonDocument isMaster = new BsonDocument("isMaster", new BsonInt32(1)).append("topologyVersion", version)
                    .append("maxAwaitTimeMS", new BsonInt32(300));
            long start = System.nanoTime();
            Frames.Reply reply = client.call(Frames.opQuery(10, "admin.$cmd", isMaster));
            assertTrue(millisSince(start) >= 250, "waited about maxAwaitTimeMS");
            assertEquals(OpCode.OP_REPLY, reply.opCode());
            assertEquals(10, reply.responseTo());
            assertTrue(reply.document().getBoolean("ismaster").getValue());
        }
    }

    @Test
    void anotherProcessesTopologyVersionIsAnsweredAtOnce() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            BsonDocument current = topologyVersion(client);
            BsonDocument stale = new BsonDocument("processId", new BsonObjectId(new ObjectId()))
                    .append("counter", new BsonInt64(0));
            // maxAwaitTimeMS far beyond the client's 10 s read timeout: a reply at all means it did not wait.
            Frames.Reply reply = client.call(Frames.opMsg(11, 0, hello(stale, 600_000)));
            assertEquals(11, reply.responseTo());
            assertEquals(current, reply.document().getDocument("topologyVersion"), "the reply carries the new version");
            // With exhaust, too: the first reply comes at once, carrying the version the stream then waits on.
            client.send(Frames.opMsg(12, OpMsg.EXHAUST_ALLOWED, hello(stale, 600_000)));
            Frames.Reply first = client.read();
            assertEquals(12, first.responseTo());
            assertEquals(OpMsg.MORE_TO_COME, first.flags() & OpMsg.MORE_TO_COME);
            assertEquals(current, first.document().getDocument("topologyVersion"));
        }
    }

    @Test
    void malformedAwaitableHellosGetMongodsErrors() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            BsonDocument version = topologyVersion(client);
            BsonDocument onlyVersion = new BsonDocument("hello", new BsonInt32(1)).append("topologyVersion", version)
                    .append("$db", new BsonString("admin"));
            assertError(client, onlyVersion, 31368, "must include 'maxAwaitTimeMS'");
            BsonDocument onlyMaxAwait = new BsonDocument("hello", new BsonInt32(1)).append("maxAwaitTimeMS", new BsonInt32(100))
                    .append("$db", new BsonString("admin"));
            assertError(client, onlyMaxAwait, 31368, "must include a 'topologyVersion'");
            assertError(client, hello(version, -1), 31373, "non-negative");
            BsonDocument future = version.clone().append("counter", new BsonInt64(5));
            assertError(client, hello(future, 100), 31382, "greater than the server topology version counter");
            BsonDocument negative = version.clone().append("counter", new BsonInt64(-1));
            assertError(client, hello(negative, 100), 31372, "non-negative counter");
            assertError(client, hello(new BsonDocument("counter", new BsonInt64(0)), 100), 40414, "processId");
            BsonDocument wrongType = new BsonDocument("processId", new BsonString("x")).append("counter", new BsonInt64(0));
            assertError(client, hello(wrongType, 100), 14, "processId");
            BsonDocument notADocument = hello(version, 100).append("topologyVersion", new BsonInt32(1));
            assertError(client, notADocument, 14, "topologyVersion");
            // An error is never streamed, even when exhaust is allowed, and the connection carries on.
            Frames.Reply error = client.call(Frames.opMsg(20, OpMsg.EXHAUST_ALLOWED, hello(future, 100)));
            assertEquals(0, error.flags() & OpMsg.MORE_TO_COME);
            assertEquals(31382, error.document().getInt32("code").getValue());
            assertEquals(1.0, client.call(Frames.opMsg(21, 0, new BsonDocument("ping", new BsonInt32(1))
                    .append("$db", new BsonString("admin")))).document().getNumber("ok").doubleValue());
        }
    }

    private static void assertError(RawClient client, BsonDocument command, int code, String message) throws IOException {
        BsonDocument reply = client.call(Frames.opMsg(13, 0, command)).document();
        assertEquals(0.0, reply.getNumber("ok").doubleValue(), reply.toJson());
        assertEquals(code, reply.getInt32("code").getValue(), reply.toJson());
        assertTrue(reply.getString("errmsg").getValue().contains(message), reply.toJson());
    }

    @Test
    void requestsBehindAnAwaitedHelloWaitTheirTurn() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            BsonDocument version = topologyVersion(client);
            client.send(Frames.opMsg(30, 0, hello(version, 300)));
            client.send(Frames.opMsg(31, 0, new BsonDocument("ping", new BsonInt32(1)).append("$db", new BsonString("admin"))));
            assertEquals(30, client.read().responseTo(), "the awaited hello is answered first");
            assertEquals(31, client.read().responseTo());
        }
    }

    @Test
    void closingAStreamStopsIt() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            BsonDocument version = topologyVersion(client);
            client.send(Frames.opMsg(40, OpMsg.EXHAUST_ALLOWED, hello(version, 100)));
            client.read();
            client.read();
            // A fire-and-forget write queued behind the stream (against the protocol, but it arrived).
            client.send(Frames.opMsg(41, OpMsg.MORE_TO_COME, new BsonDocument("insert", new BsonString("queued"))
                    .append("documents", new BsonArray(List.of(new BsonDocument("_id", new BsonInt32(1)))))
                    .append("$db", new BsonString("closing"))));
        }
        WireServerTest.waitFor(() -> server.engine().stats().connectionsCurrent.get() == 0);
        // The connection's queue was released: the write behind the stream ran (it may run after the close, so it
        // is awaited before the command counter is read).
        try (RawClient client = new RawClient(server.port())) {
            WireServerTest.waitFor(() -> count(client, "closing", "queued") == 1);
        }
        WireServerTest.waitFor(() -> server.engine().stats().connectionsCurrent.get() == 0);
        // The stream runs hello once per reply; once the connection is gone, nothing runs it any more.
        long commands = server.engine().stats().opCommand.get();
        Thread.sleep(500);
        assertEquals(commands, server.engine().stats().opCommand.get(), "no hello ran after the stream's connection closed");
    }

    private static int count(RawClient client, String db, String collection) {
        try {
            BsonDocument reply = client.call(Frames.opMsg(50, 0, new BsonDocument("count", new BsonString(collection))
                    .append("$db", new BsonString(db)))).document();
            return reply.getNumber("n").intValue();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void awaitingHellosHoldNoCommandThreadAndDoNotDelayShutdown() throws Exception {
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                RawClient c = new RawClient(server.port());
                clients.add(c);
                BsonDocument version = topologyVersion(c);
                c.send(Frames.opMsg(60, i % 2 == 0 ? OpMsg.EXHAUST_ALLOWED : 0, hello(version, 60_000)));
            }
            // Every hello has reached the server (each ran once for its handshake and once awaitable).
            WireServerTest.waitFor(() -> server.engine().stats().opCommand.get() >= 20);
            WireServerTest.waitFor(() -> busyCommandThreads().isEmpty());
            long start = System.nanoTime();
            server.close();
            long took = millisSince(start);
            server = null;
            // WireServer gives running commands 3 s before it interrupts them; awaiting hellos are not commands.
            assertTrue(took < 2500, "shutdown did not wait for the awaiting hellos: " + took + " ms");
            for (RawClient c : clients) {
                assertTrue(c.closedByServer(5000), "the server closed every awaiting connection");
            }
        } finally {
            for (RawClient c : clients) {
                c.close();
            }
        }
    }

    /** Command-pool threads that are running Argon code rather than idling in the pool. */
    private static List<String> busyCommandThreads() {
        List<String> busy = new ArrayList<>();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            if (e.getKey().getName().startsWith("argon-cmd-")) {
                for (StackTraceElement frame : e.getValue()) {
                    if (frame.getClassName().startsWith("dev.argon.")) {
                        busy.add(e.getKey().getName() + " in " + frame);
                        break;
                    }
                }
            }
        }
        return busy;
    }
}
