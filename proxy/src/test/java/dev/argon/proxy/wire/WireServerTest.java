package dev.argon.proxy.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.engine.ServerStats;
import dev.argon.engine.command.CommandService;
import dev.argon.proxy.WireServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Server behaviour around the protocol: ordering, moreToCome, command threads, client context, stats, shutdown. */
class WireServerTest {
    @BeforeAll
    static void quiet() {
        TestLogging.quiet();
    }

    private static BsonDocument cmd(String name, int value) {
        return new BsonDocument(name, new BsonInt32(value)).append("$db", new BsonString("test"));
    }

    @Test
    void moreToComeRunsInOrderWithoutReplies() throws IOException {
        List<String> seen = new CopyOnWriteArrayList<>();
        CommandService recording = (command, client) -> {
            seen.add(command.getFirstKey() + ":" + command.get(command.getFirstKey()) + "@" + Thread.currentThread().getName());
            if (command.getFirstKey().equals("slow")) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new BsonDocument("ok", new BsonDouble(1));
        };
        try (WireServer server = new WireServer("127.0.0.1", 0, null, recording, new ServerStats());
             RawClient client = new RawClient(startAndPort(server))) {
            // A slow first write must not be overtaken by the ones behind it.
            client.send(Frames.opMsg(1, OpMsg.MORE_TO_COME, cmd("slow", 1)));
            for (int i = 2; i <= 5; i++) {
                client.send(Frames.opMsg(i, OpMsg.MORE_TO_COME, cmd("w", i)));
            }
            Frames.Reply reply = client.call(Frames.opMsg(6, 0, cmd("r", 6)));
            assertEquals(6, reply.responseTo(), "the first reply answers the only request that wanted one");
            assertEquals(List.of("slow:BsonInt32{value=1}", "w:BsonInt32{value=2}", "w:BsonInt32{value=3}",
                    "w:BsonInt32{value=4}", "w:BsonInt32{value=5}", "r:BsonInt32{value=6}"),
                    seen.stream().map(s -> s.substring(0, s.indexOf('@'))).toList());
            assertTrue(seen.stream().allMatch(s -> s.contains("@argon-cmd-")), "commands run off the event loop: " + seen);
        }
    }

    /** A service that records where each command ran, calls "q" quick, and makes "slow" take 100 ms. */
    private static CommandService quickRecording(List<String> seen) {
        return new CommandService() {
            @Override
            public BsonDocument execute(BsonDocument command, dev.argon.engine.command.ClientContext client) {
                seen.add(command.getFirstKey() + command.get(command.getFirstKey()).asInt32().getValue() + "@"
                        + Thread.currentThread().getName());
                if (command.getFirstKey().equals("slow")) {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return new BsonDocument("ok", new BsonDouble(1)).append("n", command.get(command.getFirstKey()));
            }

            @Override
            public boolean quick(BsonDocument command, dev.argon.engine.command.ClientContext client) {
                return command.getFirstKey().equals("q");
            }
        };
    }

    @Test
    void quickCommandRunsOnTheEventLoop() throws IOException {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (WireServer server = new WireServer("127.0.0.1", 0, null, quickRecording(seen), new ServerStats());
             RawClient client = new RawClient(startAndPort(server))) {
            Frames.Reply quick = client.call(Frames.opMsg(1, 0, cmd("q", 1)));
            Frames.Reply other = client.call(Frames.opMsg(2, 0, cmd("w", 2)));
            assertEquals(1, quick.responseTo());
            assertEquals(1, quick.document().getInt32("n").getValue());
            assertEquals(2, other.document().getInt32("n").getValue());
            assertTrue(seen.get(0).startsWith("q1@argon-io-"), "a quick command on an idle connection: " + seen);
            assertTrue(seen.get(1).startsWith("w2@argon-cmd-"), "any other command: " + seen);
        }
    }

    @Test
    void quickCommandDoesNotOvertakeQueuedOnes() throws IOException {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (WireServer server = new WireServer("127.0.0.1", 0, null, quickRecording(seen), new ServerStats());
             RawClient client = new RawClient(startAndPort(server))) {
            // Unacknowledged writes still queued, then a quick read: it must see them, so it runs after them.
            client.send(Frames.opMsg(1, OpMsg.MORE_TO_COME, cmd("slow", 1)));
            client.send(Frames.opMsg(2, OpMsg.MORE_TO_COME, cmd("w", 2)));
            Frames.Reply read = client.call(Frames.opMsg(3, 0, cmd("q", 3)));
            assertEquals(3, read.responseTo());
            assertEquals(List.of("slow1", "w2", "q3"), seen.stream().map(x -> x.substring(0, x.indexOf('@'))).toList());
            // Pipelined: a slow request that wants a reply, then a quick one; the replies come in request order.
            seen.clear();
            client.send(Frames.opMsg(4, 0, cmd("slow", 4)));
            client.send(Frames.opMsg(5, 0, cmd("q", 5)));
            Frames.Reply first = client.read();
            Frames.Reply second = client.read();
            assertEquals(List.of(4, 5), List.of(first.responseTo(), second.responseTo()));
            assertEquals(List.of(4, 5), List.of(first.document().getInt32("n").getValue(), second.document().getInt32("n").getValue()));
            assertEquals(List.of("slow4", "q5"), seen.stream().map(x -> x.substring(0, x.indexOf('@'))).toList());
        }
    }

    @Test
    void exceptionFromServiceBecomesInternalErrorReply() throws IOException {
        try (WireServer server = new WireServer("127.0.0.1", 0, null, new FakeCommandService(), new ServerStats());
             RawClient client = new RawClient(startAndPort(server))) {
            BsonDocument reply = client.call(Frames.opMsg(1, 0, cmd("fail", 1))).document();
            assertEquals(0.0, reply.getNumber("ok").doubleValue());
            assertEquals(1, reply.getInt32("code").getValue());
            assertEquals("InternalError", reply.getString("codeName").getValue());
            assertEquals(1.0, client.call(Frames.opMsg(2, 0, cmd("ping", 1))).document().getNumber("ok").doubleValue());
        }
    }

    @Test
    void unencodableReplyBecomesInternalError() throws IOException {
        CommandService broken = (command, client) -> command.getFirstKey().equals("bad")
                ? new BsonDocument("ok", new BsonDouble(1)).append("nul\0key", new BsonInt32(1))
                : new BsonDocument("ok", new BsonDouble(1));
        try (WireServer server = new WireServer("127.0.0.1", 0, null, broken, new ServerStats());
             RawClient client = new RawClient(startAndPort(server))) {
            Frames.Reply reply = client.call(Frames.opMsg(1, 0, cmd("bad", 1)));
            assertEquals(1, reply.responseTo());
            assertEquals("InternalError", reply.document().getString("codeName").getValue());
            assertEquals(1.0, client.call(Frames.opMsg(2, 0, cmd("ping", 1))).document().getNumber("ok").doubleValue());
        }
    }

    @Test
    void startAfterCloseIsRefused() {
        WireServer server = new WireServer("127.0.0.1", 0, null, new FakeCommandService(), new ServerStats());
        server.close();
        assertThrows(IllegalStateException.class, server::start);
    }

    @Test
    void clientContextNamesConnectionAndAdvertisedAddress() throws IOException {
        try (WireServer server = new WireServer("127.0.0.1", 0, "db.example.net", new FakeCommandService(), new ServerStats())) {
            int port = startAndPort(server);
            try (RawClient a = new RawClient(port); RawClient b = new RawClient(port)) {
                BsonDocument whoA = a.call(Frames.opMsg(1, 0, cmd("whoami", 1))).document();
                BsonDocument whoB = b.call(Frames.opMsg(1, 0, cmd("whoami", 1))).document();
                assertNotEquals(whoA.getInt64("connectionId"), whoB.getInt64("connectionId"));
                assertEquals("db.example.net", whoA.getString("host").getValue());
                assertEquals(port, whoA.getInt32("port").getValue());
                assertTrue(whoA.getString("remote").getValue().matches("127\\.0\\.0\\.1:\\d+"), whoA.toJson());
            }
        }
    }

    @Test
    void advertisedHostDefaults() {
        CommandService none = (c, client) -> c;
        assertEquals("127.0.0.1", new WireServer("127.0.0.1", 0, null, none, new ServerStats()).advertisedHost());
        assertEquals("localhost", new WireServer("0.0.0.0", 0, null, none, new ServerStats()).advertisedHost());
        assertEquals("argon.local", new WireServer("0.0.0.0", 0, "argon.local", none, new ServerStats()).advertisedHost());
    }

    @Test
    void statsCountConnectionsBytesAndRequests() throws Exception {
        ServerStats stats = new ServerStats();
        try (WireServer server = new WireServer("127.0.0.1", 0, null, new FakeCommandService(), stats)) {
            int port = startAndPort(server);
            byte[] request = Frames.opMsg(1, 0, cmd("ping", 1));
            int replyLength;
            try (RawClient client = new RawClient(port)) {
                client.call(request);
                client.call(request);
                waitFor(() -> stats.connectionsCurrent.get() == 1);
                assertEquals(1, stats.connectionsTotal.get());
                assertEquals(2, stats.requests.get());
                assertEquals(2L * request.length, stats.bytesIn.get());
                replyLength = (int) (stats.bytesOut.get() / 2);
                assertTrue(replyLength > 16);
            }
            waitFor(() -> stats.connectionsCurrent.get() == 0);
            try (RawClient client = new RawClient(port)) {
                client.send(new byte[] {1, 0, 0, 0});
                assertTrue(client.closedByServer(5_000));
            }
            waitFor(() -> stats.connectionsCurrent.get() == 0);
            assertEquals(2, stats.connectionsTotal.get());
        }
    }

    @Test
    void closeStopsListeningAndThreads() throws Exception {
        WireServer server = new WireServer("127.0.0.1", 0, null, new FakeCommandService(), new ServerStats());
        int port = startAndPort(server);
        RawClient open = new RawClient(port);
        open.call(Frames.opMsg(1, 0, cmd("ping", 1)));
        server.close();
        server.close(); // idempotent
        assertTrue(open.closedByServer(5_000), "open connections are closed");
        open.close();
        assertThrows(ConnectException.class, () -> new RawClient(port));
        waitFor(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && (t.getName().startsWith("argon-io") || t.getName().startsWith("argon-accept"))));
    }

    @Test
    void portInUseFailsStart() {
        try (WireServer first = new WireServer("127.0.0.1", 0, null, new FakeCommandService(), new ServerStats())) {
            int port = startAndPort(first);
            WireServer second = new WireServer("127.0.0.1", port, null, new FakeCommandService(), new ServerStats());
            UncheckedIOException e = assertThrows(UncheckedIOException.class, second::start);
            assertTrue(e.getMessage().contains(String.valueOf(port)), e.getMessage());
            second.close();
        }
    }

    @Test
    void floodOfMoreToComeIsThrottledNotLost() throws IOException {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        CommandService slow = (command, client) -> {
            seen.add(command.getInt32(command.getFirstKey()).getValue());
            return new BsonDocument("ok", new BsonDouble(1));
        };
        try (WireServer server = new WireServer("127.0.0.1", 0, null, slow, new ServerStats());
             RawClient client = new RawClient(startAndPort(server))) {
            int n = 2_000;
            for (int i = 0; i < n; i++) {
                client.send(Frames.opMsg(i, OpMsg.MORE_TO_COME, cmd("w", i)));
            }
            client.call(Frames.opMsg(n, 0, cmd("w", n)));
            assertEquals(n + 1, seen.size());
            for (int i = 0; i <= n; i++) {
                assertEquals(i, seen.get(i));
            }
        }
    }

    private static int startAndPort(WireServer server) {
        server.start();
        assertFalse(server.port() <= 0);
        return server.port();
    }

    static void waitFor(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
