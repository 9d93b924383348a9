package dev.argon.proxy.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.argon.engine.ServerStats;
import dev.argon.proxy.WireServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Raw messages no driver sends. A broken frame closes only its own connection; a malformed command inside an
 * intact frame gets an error reply. After each case, a raw client and a driver client that connected before the
 * bad one must still get correct answers.
 */
class MalformedFrameTest {
    private static final int CLOSE_WAIT_MS = 5_000;
    private static final FakeCommandService service = new FakeCommandService();
    private static WireServer server;
    private static MongoClient driver;
    private RawClient bystander;

    @BeforeAll
    static void start() {
        TestLogging.quiet();
        server = new WireServer("127.0.0.1", 0, null, service, new ServerStats());
        server.start();
        driver = MongoClients.create("mongodb://127.0.0.1:" + server.port() + "/?directConnection=true");
        driver.getDatabase("admin").runCommand(new Document("ping", 1));
    }

    @AfterAll
    static void stop() {
        driver.close();
        server.close();
    }

    @BeforeEach
    void connectBystander() throws IOException {
        bystander = new RawClient(server.port());
        assertPing(bystander, 1);
    }

    @AfterEach
    void bystanderStillWorks() throws IOException {
        assertPing(bystander, 2);
        bystander.close();
        Document pong = driver.getDatabase("test").runCommand(new Document("ping", 1));
        assertEquals(1.0, pong.get("ok", Number.class).doubleValue());
    }

    private static void assertPing(RawClient client, int requestId) throws IOException {
        Frames.Reply reply = client.call(Frames.opMsg(requestId, 0, ping()));
        assertEquals(requestId, reply.responseTo());
        assertEquals(1.0, reply.document().getNumber("ok").doubleValue());
        assertEquals(ping(), reply.document().getDocument("echo"));
    }

    private static BsonDocument ping() {
        return new BsonDocument("ping", new BsonInt32(1)).append("$db", new BsonString("test"));
    }

    private static byte[] header(int messageLength, int opCode) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(messageLength).putInt(7).putInt(0)
                .putInt(opCode).array();
    }

    private static void assertClosedAfter(byte[] bytes) throws IOException {
        try (RawClient bad = new RawClient(server.port())) {
            bad.send(bytes);
            assertTrue(bad.closedByServer(CLOSE_WAIT_MS), "server should close the connection");
        }
    }

    @Test
    void lengthBelowHeaderSizeCloses() throws IOException {
        assertClosedAfter(header(10, OpCode.OP_MSG));
    }

    @Test
    void lengthAboveMaxMessageSizeCloses() throws IOException {
        assertClosedAfter(header(60_000_000, OpCode.OP_MSG));
    }

    @Test
    void negativeLengthCloses() throws IOException {
        assertClosedAfter(header(-1, OpCode.OP_MSG));
    }

    @Test
    void unknownOpCodeCloses() throws IOException {
        assertClosedAfter(Frames.message(7, 9999, new byte[20]));
    }

    @Test
    void legacyInsertOpCodeCloses() throws IOException {
        assertClosedAfter(Frames.message(7, 2002, new byte[20]));
    }

    @Test
    void badChecksumCloses() throws IOException {
        byte[] message = Frames.withChecksum(Frames.opMsg(7, 0, ping()));
        message[message.length - 1] ^= 0x5a;
        assertClosedAfter(message);
    }

    @Test
    void validChecksumIsAnswered() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            Frames.Reply reply = client.call(Frames.withChecksum(Frames.opMsg(8, 0, ping())));
            assertEquals(8, reply.responseTo());
            assertEquals(ping(), reply.document().getDocument("echo"));
        }
    }

    @Test
    void httpRequestCloses() throws IOException {
        assertClosedAfter("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void randomGarbageCloses() throws IOException {
        byte[] garbage = new byte[4096];
        new Random(20261122).nextBytes(garbage);
        int length = ByteBuffer.wrap(garbage).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertTrue(length < 16 || length > 48_000_000, "the seed must give an impossible length, got " + length);
        assertClosedAfter(garbage);
    }

    @Test
    void garbageBodyInIntactFrameGetsInvalidBson() throws IOException {
        byte[] sections = new byte[64];
        new Random(7).nextBytes(sections);
        sections[0] = 0; // a kind-0 body section whose "document" is noise
        try (RawClient client = new RawClient(server.port())) {
            Frames.Reply reply = client.call(Frames.opMsgRaw(9, 0, sections));
            assertEquals(9, reply.responseTo());
            assertEquals(OpCode.OP_MSG, reply.opCode());
            assertInvalidBson(reply.document());
            // The same connection goes on.
            assertPing(client, 10);
        }
    }

    @Test
    void truncatedDocumentGetsInvalidBson() throws IOException {
        byte[] doc = Frames.bson(ping());
        byte[] sections = new byte[1 + doc.length];
        System.arraycopy(doc, 0, sections, 1, doc.length);
        sections[1] += 10; // length prefix claims more than the section holds
        try (RawClient client = new RawClient(server.port())) {
            assertInvalidBson(client.call(Frames.opMsgRaw(11, 0, sections)).document());
            assertPing(client, 12);
        }
    }

    private static void assertInvalidBson(BsonDocument reply) {
        assertEquals(0.0, reply.getNumber("ok").doubleValue(), reply.toJson());
        assertEquals(22, reply.getInt32("code").getValue());
        assertEquals("InvalidBSON", reply.getString("codeName").getValue());
        assertTrue(reply.getString("errmsg").getValue().contains("BSON"), reply.toJson());
    }

    @Test
    void unknownSectionKindGetsProtocolError() throws IOException {
        byte[] msg = Frames.opMsg(13, 0, ping());
        msg[20] = 5;
        try (RawClient client = new RawClient(server.port())) {
            BsonDocument reply = client.call(msg).document();
            assertEquals(17, reply.getInt32("code").getValue());
            assertEquals("ProtocolError", reply.getString("codeName").getValue());
        }
    }

    @Test
    void legacyIsMasterOnAdminCmdGetsOpReply() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            Frames.Reply reply = client.call(Frames.opQuery(21, "admin.$cmd", new BsonDocument("isMaster", new BsonInt32(1))));
            assertEquals(OpCode.OP_REPLY, reply.opCode());
            assertEquals(21, reply.responseTo());
            assertEquals(8, reply.flags());
            assertEquals(0, reply.cursorId());
            assertEquals(1, reply.numberReturned());
            assertTrue(reply.document().getBoolean("isWritablePrimary").getValue());
            assertEquals(21, reply.document().getInt32("maxWireVersion").getValue());
            assertEquals("admin", service.last("isMaster").getString("$db").getValue());
        }
    }

    @Test
    void legacyQueryWrapperIsUnwrapped() throws IOException {
        BsonDocument wrapped = new BsonDocument("$query", new BsonDocument("ismaster", new BsonInt32(1)))
                .append("$readPreference", new BsonDocument("mode", new BsonString("primaryPreferred")));
        try (RawClient client = new RawClient(server.port())) {
            Frames.Reply reply = client.call(Frames.opQuery(22, "shop.$cmd", wrapped));
            assertTrue(reply.document().getBoolean("isWritablePrimary").getValue());
            BsonDocument seen = service.last("ismaster");
            assertEquals("shop", seen.getString("$db").getValue());
            assertEquals("primaryPreferred", seen.getDocument("$readPreference").getString("mode").getValue());
        }
    }

    @Test
    void legacyQueryOnCollectionIsRefused() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            Frames.Reply reply = client.call(Frames.opQuery(23, "shop.items", new BsonDocument()));
            assertEquals(OpCode.OP_REPLY, reply.opCode());
            assertEquals(0.0, reply.document().getNumber("ok").doubleValue());
            assertEquals("ProtocolError", reply.document().getString("codeName").getValue());
        }
    }

    @Test
    void snappyCompressedCloses() throws IOException {
        byte[] noop = Frames.compress(Frames.opMsg(24, 0, ping()), 0);
        noop[24] = 1; // snappy
        assertClosedAfter(noop);
    }

    @Test
    void corruptZstdPayloadCloses() throws IOException {
        byte[] zstd = Frames.compress(Frames.opMsg(25, 0, ping()), 3);
        for (int i = 30; i < zstd.length; i++) {
            zstd[i] ^= (byte) 0xa5;
        }
        assertClosedAfter(zstd);
    }

    @Test
    void lyingUncompressedSizeCloses() throws IOException {
        byte[] zlib = Frames.compress(Frames.opMsg(26, 0, ping()), 2);
        ByteBuffer.wrap(zlib).order(ByteOrder.LITTLE_ENDIAN).putInt(20, 1_000);
        assertClosedAfter(zlib);
    }

    @Test
    void compressedRequestsGetCompressedReplies() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            for (int compressor : new int[] {0, 2, 3}) {
                Frames.Reply reply = client.call(Frames.compress(Frames.opMsg(30 + compressor, 0, ping()), compressor));
                assertEquals(compressor, reply.compressorId());
                assertEquals(OpCode.OP_MSG, reply.opCode());
                assertEquals(ping(), reply.document().getDocument("echo"));
            }
            Frames.Reply legacy = client.call(Frames.compress(
                    Frames.opQuery(40, "admin.$cmd", new BsonDocument("isMaster", new BsonInt32(1))), 2));
            assertEquals(OpCode.OP_REPLY, legacy.opCode());
            assertEquals(2, legacy.compressorId());
        }
    }
}
