package dev.argon.proxy.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.argon.engine.ServerStats;
import dev.argon.proxy.WireServer;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Sends 2,000 random mutations of valid messages (OP_MSG with a document sequence, OP_MSG with checksum, legacy
 * OP_QUERY, zlib and zstd OP_COMPRESSED), one connection each, then checks that the server survived: a client that
 * connected first and a fresh client both still work, every connection was accounted for, and no buffer leaked.
 * The seed is fixed so a failure reproduces; change it to explore.
 */
class FrameFuzzTest {
    private static final long SEED = 0xA4607L;
    private static final int MUTATIONS = 2_000;

    @Test
    void randomMutationsNeverKillTheServer() throws Exception {
        TestLogging.quiet();
        ResourceLeakDetector.Level leakLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ListAppender<ILoggingEvent> leaks = new ListAppender<>();
        leaks.start();
        Logger leakLogger = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
        leakLogger.addAppender(leaks);
        // Broken frames are logged at WARN by design; 2,000 of them would drown the test output.
        Logger closeLogger = (Logger) LoggerFactory.getLogger("dev.argon.proxy.ExceptionHandler");
        closeLogger.setLevel(ch.qos.logback.classic.Level.ERROR);
        ServerStats stats = new ServerStats();
        try (WireServer server = new WireServer("127.0.0.1", 0, null, new FakeCommandService(), stats);
             RawClient early = new RawClient(start(server))) {
            int port = server.port();
            assertPing(early, 1);
            List<byte[]> seeds = seeds();
            Random random = new Random(SEED);
            int replies = 0;
            for (int i = 0; i < MUTATIONS; i++) {
                byte[] mutated = mutate(seeds.get(random.nextInt(seeds.size())), random);
                try (RawClient client = new RawClient(port)) {
                    client.send(mutated);
                    // Half-close: a frame that claims more bytes than were sent would otherwise wait forever.
                    client.shutdownOutput();
                    assertTrue(client.closedByServer(10_000), "mutation " + i + " left the connection open");
                } catch (IOException e) {
                    // The server may close before all bytes are written (a bad length is seen at once); that is fine.
                }
                replies++;
            }
            assertEquals(MUTATIONS, replies);
            // Enough mutations must get past framing for the fuzzing to reach the message decoders and handler.
            long handled = stats.requests.get();
            LoggerFactory.getLogger(FrameFuzzTest.class).info("{} mutations, {} reached the command handler", MUTATIONS, handled);
            assertTrue(handled > MUTATIONS / 10, "only " + handled + " mutations reached the command handler");
            assertPing(early, 2);
            try (MongoClient fresh = MongoClients.create("mongodb://127.0.0.1:" + port + "/?directConnection=true")) {
                Document pong = fresh.getDatabase("test").runCommand(new Document("ping", 1));
                assertEquals(1.0, pong.get("ok", Number.class).doubleValue());
            }
            WireServerTest.waitFor(() -> stats.connectionsCurrent.get() == 1);
            assertTrue(stats.connectionsTotal.get() >= MUTATIONS + 2);
        } finally {
            System.gc();
            Thread.sleep(100);
            // The detector reports when buffers are allocated after the leaked ones were collected.
            for (int i = 0; i < 100; i++) {
                io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(64).release();
            }
            leakLogger.detachAppender(leaks);
            closeLogger.setLevel(null);
            ResourceLeakDetector.setLevel(leakLevel);
        }
        assertTrue(leaks.list.stream().noneMatch(e -> e.getFormattedMessage().contains("LEAK")),
                () -> "buffer leaks: " + leaks.list.get(0).getFormattedMessage());
    }

    private static int start(WireServer server) {
        server.start();
        return server.port();
    }

    private static void assertPing(RawClient client, int requestId) throws IOException {
        BsonDocument ping = new BsonDocument("ping", new BsonInt32(1)).append("$db", new BsonString("test"));
        Frames.Reply reply = client.call(Frames.opMsg(requestId, 0, ping));
        assertEquals(requestId, reply.responseTo());
        assertEquals(ping, reply.document().getDocument("echo"));
    }

    private static List<byte[]> seeds() {
        BsonDocument insert = new BsonDocument("insert", new BsonString("items")).append("$db", new BsonString("shop"))
                .append("ordered", org.bson.BsonBoolean.TRUE);
        List<BsonDocument> docs = List.of(new BsonDocument("_id", new BsonInt32(1)).append("s", new BsonString("abc")),
                new BsonDocument("_id", new BsonInt32(2)).append("a", new org.bson.BsonArray(List.of(new BsonInt32(3)))));
        byte[] msg = Frames.opMsg(3, 0, insert, Frames.sequence("documents", docs));
        return List.of(
                msg,
                Frames.withChecksum(msg),
                Frames.opMsg(4, OpMsg.MORE_TO_COME, insert),
                Frames.opQuery(5, "admin.$cmd", new BsonDocument("isMaster", new BsonInt32(1))),
                Frames.compress(msg, 2),
                Frames.compress(msg, 3));
    }

    /** One to four random edits: bit flips, byte overwrites, inserted or deleted runs, truncation, header tweaks. */
    private static byte[] mutate(byte[] seed, Random random) {
        byte[] bytes = seed.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            switch (random.nextInt(8)) {
                case 0 -> bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                case 1 -> bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                case 2 -> {
                    int at = random.nextInt(bytes.length);
                    byte[] run = new byte[1 + random.nextInt(16)];
                    random.nextBytes(run);
                    byte[] grown = new byte[bytes.length + run.length];
                    System.arraycopy(bytes, 0, grown, 0, at);
                    System.arraycopy(run, 0, grown, at, run.length);
                    System.arraycopy(bytes, at, grown, at + run.length, bytes.length - at);
                    bytes = grown;
                }
                case 3 -> {
                    if (bytes.length > 2) {
                        int at = random.nextInt(bytes.length - 1);
                        int n = 1 + random.nextInt(Math.min(16, bytes.length - at - 1));
                        byte[] shrunk = new byte[bytes.length - n];
                        System.arraycopy(bytes, 0, shrunk, 0, at);
                        System.arraycopy(bytes, at + n, shrunk, at, bytes.length - at - n);
                        bytes = shrunk;
                    }
                }
                case 4 -> bytes = Arrays.copyOf(bytes, 1 + random.nextInt(bytes.length));
                case 5 -> {
                    // Keep the length field honest so the damage reaches the message decoders.
                    if (bytes.length >= 4) {
                        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(0, bytes.length);
                    }
                }
                case 6 -> {
                    if (bytes.length >= 16) {
                        int[] opCodes = {OpCode.OP_MSG, OpCode.OP_QUERY, OpCode.OP_COMPRESSED, OpCode.OP_REPLY, 2002};
                        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(12, opCodes[random.nextInt(opCodes.length)]);
                    }
                }
                default -> {
                    // An interesting int32 at a random aligned-or-not offset: lengths and sizes are where parsers break.
                    int[] values = {0, -1, 4, 5, 16, Integer.MAX_VALUE, Integer.MIN_VALUE, bytes.length, 48_000_000};
                    if (bytes.length >= 4) {
                        int at = random.nextInt(bytes.length - 3);
                        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(at, values[random.nextInt(values.length)]);
                    }
                }
            }
        }
        if (random.nextInt(3) == 0 && bytes.length >= 4) {
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(0, bytes.length);
        }
        return bytes;
    }
}
