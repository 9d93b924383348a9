package dev.argon.proxy.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.engine.ServerStats;
import dev.argon.engine.command.ClientContext;
import dev.argon.engine.command.CommandReply;
import dev.argon.engine.command.CommandService;
import dev.argon.proxy.WireServer;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replies that wait for an fsync without a thread (CommandReply.durableLsn), and quick commands that turn out to
 * need the pool: the reply goes out only when the service says it is durable, the connection's later requests
 * neither run nor answer before it, and a quick write that would block runs once, on the pool.
 */
class DurableReplyTest {
    @BeforeAll
    static void quiet() {
        TestLogging.quiet();
    }

    private static BsonDocument cmd(String name, int value) {
        return new BsonDocument(name, new BsonInt32(value)).append("$db", new BsonString("test"));
    }

    /** A deferred reply and the hook that sends it. */
    private record Pending(CommandReply reply, Consumer<BsonDocument> send) {}

    /**
     * "d": a journaled write on the pool; "qd": the same, quick; "q": a quick read; "block": quick, but it would
     * block, so it runs on the pool; anything else runs on the pool and answers at once. Each run is recorded with
     * its thread; deferred replies wait in {@code pending} until the test sends them.
     */
    private static final class Service implements CommandService {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();

        private BsonDocument reply(BsonDocument command) {
            return new BsonDocument("ok", new BsonDouble(1)).append("n", command.get(command.getFirstKey()));
        }

        private void record(BsonDocument command, String how) {
            seen.add(command.getFirstKey() + command.getInt32(command.getFirstKey()).getValue() + how + "@"
                    + Thread.currentThread().getName());
        }

        @Override
        public BsonDocument execute(BsonDocument command, ClientContext client) {
            record(command, "");
            return reply(command);
        }

        @Override
        public CommandReply runDeferringDurability(BsonDocument command, ClientContext client) {
            record(command, "");
            CommandReply r = CommandReply.now(reply(command));
            return command.getFirstKey().equals("d") ? new CommandReply(r.document(), 0, null, 7) : r;
        }

        @Override
        public CommandReply runQuick(BsonDocument command, ClientContext client) {
            if (command.getFirstKey().equals("block")) {
                record(command, "-tried");
                return null;
            }
            record(command, "");
            CommandReply r = CommandReply.now(reply(command));
            return command.getFirstKey().equals("qd") ? new CommandReply(r.document(), 0, null, 7) : r;
        }

        @Override
        public void whenDurable(BsonDocument command, CommandReply reply, Consumer<BsonDocument> send) {
            pending.add(new Pending(reply, send));
        }

        @Override
        public boolean quick(BsonDocument command, ClientContext client) {
            return List.of("q", "qd", "block").contains(command.getFirstKey());
        }

        Pending nextPending() throws InterruptedException {
            Pending p = pending.poll(30, TimeUnit.SECONDS);
            assertNotNull(p, "no reply was handed over to wait for its fsync");
            return p;
        }

        List<String> names() {
            return seen.stream().map(x -> x.substring(0, x.indexOf('@'))).toList();
        }
    }

    private static int startAndPort(WireServer server) {
        server.start();
        return server.port();
    }

    @Test
    void aDeferredReplyGoesOutOnlyWhenDurableAndLaterRequestsWaitBehindIt() throws Exception {
        Service service = new Service();
        ServerStats stats = new ServerStats();
        try (WireServer server = new WireServer("127.0.0.1", 0, null, service, stats);
             RawClient client = new RawClient(startAndPort(server))) {
            client.send(Frames.opMsg(1, 0, cmd("d", 1)));
            client.send(Frames.opMsg(2, 0, cmd("q", 2)));
            client.send(Frames.opMsg(3, 0, cmd("w", 3)));
            Pending p = service.nextPending();
            assertTrue(service.seen.get(0).startsWith("d1@argon-cmd-"), service.seen.toString());
            // Nothing answered yet, and the requests behind the journaled write have not run.
            assertFalse(client.hasReplyWithin(200), "a reply went out before the write was durable");
            assertEquals(List.of("d1"), service.names(), "later requests ran before the earlier reply was out");
            p.send().accept(p.reply().document());
            List<Integer> order = List.of(client.read().responseTo(), client.read().responseTo(), client.read().responseTo());
            assertEquals(List.of(1, 2, 3), order, "replies in request order");
            assertEquals(List.of("d1", "q2", "w3"), service.names());
            assertEquals(1, stats.deferredDurableReplies.get());
        }
    }

    @Test
    void aQuickJournaledWriteRunsOnTheEventLoopAndHoldsTheQueueUntilDurable() throws Exception {
        Service service = new Service();
        ServerStats stats = new ServerStats();
        try (WireServer server = new WireServer("127.0.0.1", 0, null, service, stats);
             RawClient client = new RawClient(startAndPort(server))) {
            client.send(Frames.opMsg(1, 0, cmd("qd", 1)));
            client.send(Frames.opMsg(2, 0, cmd("w", 2)));
            client.send(Frames.opMsg(3, 0, cmd("q", 3)));
            Pending p = service.nextPending();
            assertTrue(service.seen.get(0).startsWith("qd1@argon-io-"), "a quick write on an idle connection: " + service.seen);
            assertFalse(client.hasReplyWithin(200), "a reply went out before the write was durable");
            assertEquals(List.of("qd1"), service.names(), "later requests ran before the earlier reply was out");
            // The hook may run on any thread: here the test's.
            p.send().accept(p.reply().document());
            Frames.Reply first = client.read();
            assertEquals(1, first.responseTo());
            assertEquals(1, first.document().getInt32("n").getValue());
            assertEquals(List.of(2, 3), List.of(client.read().responseTo(), client.read().responseTo()));
            assertEquals(List.of("qd1", "w2", "q3"), service.names());
            assertTrue(service.seen.get(2).contains("@argon-cmd-"), "queued behind the hold, it runs on the pool: " + service.seen);
            assertEquals(1, stats.quickCommands.get());
            assertEquals(1, stats.deferredDurableReplies.get());
            // Released, the connection is idle again once the pool thread lets go: quick commands run on the event loop.
            boolean onLoop = false;
            for (int i = 4; i < 200 && !onLoop; i++) {
                client.call(Frames.opMsg(i, 0, cmd("q", i)));
                onLoop = service.seen.get(service.seen.size() - 1).contains("@argon-io-");
            }
            assertTrue(onLoop, "after the hold, quick commands never ran on the event loop again: " + service.seen);
        }
    }

    @Test
    void aQuickWriteThatWouldBlockRunsOnceOnThePool() throws Exception {
        Service service = new Service();
        ServerStats stats = new ServerStats();
        try (WireServer server = new WireServer("127.0.0.1", 0, null, service, stats);
             RawClient client = new RawClient(startAndPort(server))) {
            Frames.Reply r = client.call(Frames.opMsg(1, 0, cmd("block", 1)));
            assertEquals(1, r.document().getInt32("n").getValue());
            assertEquals(List.of("block1-tried", "block1"), service.names());
            assertTrue(service.seen.get(0).contains("@argon-io-") && service.seen.get(1).contains("@argon-cmd-"), service.seen.toString());
            assertEquals(1, stats.quickFallbacks.get());
            assertEquals(0, stats.quickCommands.get());
        }
    }

    @Test
    void anErrorInPlaceOfADeferredReplyReachesTheClient() throws Exception {
        Service service = new Service();
        try (WireServer server = new WireServer("127.0.0.1", 0, null, service, new ServerStats());
             RawClient client = new RawClient(startAndPort(server))) {
            client.send(Frames.opMsg(1, 0, cmd("qd", 1)));
            Pending p = service.nextPending();
            p.send().accept(new BsonDocument("ok", new BsonDouble(0)).append("code", new BsonInt32(1))
                    .append("codeName", new BsonString("InternalError")).append("errmsg", new BsonString("the WAL fsync failed")));
            Frames.Reply r = client.read();
            assertEquals(1, r.responseTo());
            assertEquals(1, r.document().getInt32("code").getValue());
            // The connection goes on.
            assertEquals(2, client.call(Frames.opMsg(2, 0, cmd("w", 2))).document().getInt32("n").getValue());
        }
    }
}
