package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoCollection;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import dev.argon.proxy.wire.Frames;
import dev.argon.proxy.wire.RawClient;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Malformed input against the real server: the offending client gets an error or loses its connection, other
 * clients keep working, and nothing already written is lost.
 */
class BadInputIT extends ArgonTestBase {

    private static byte[] frame(int length, int opCode, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(16 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(length).putInt(1).putInt(0).putInt(opCode).put(body);
        return b.array();
    }

    private static byte[] opMsgWithBody(byte[] bson) {
        ByteBuffer b = ByteBuffer.allocate(5 + bson.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0).put((byte) 0).put(bson);
        byte[] body = b.array();
        return frame(16 + body.length, 2013, body);
    }

    private boolean sendAndSeeClose(byte[] bytes) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = s.getInputStream();
            try {
                int first = in.read();
                if (first < 0) {
                    return true;
                }
                // A reply: read its length and the rest, so the caller can inspect it if it wants.
                return false;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }
    }

    private Document replyTo(byte[] bytes) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(bytes);
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] head = new byte[16];
            in.readFully(head);
            int len = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt();
            byte[] rest = new byte[len - 16];
            in.readFully(rest);
            ByteBuffer body = ByteBuffer.wrap(rest, 5, rest.length - 5).order(ByteOrder.LITTLE_ENDIAN);
            return new org.bson.codecs.DocumentCodec().decode(new org.bson.BsonBinaryReader(body.slice().order(ByteOrder.LITTLE_ENDIAN)),
                    org.bson.codecs.DecoderContext.builder().build());
        } catch (EOFException e) {
            throw new AssertionError("connection closed instead of an error reply", e);
        }
    }

    @Test
    void badClientsNeverHurtOthersOrData() throws Exception {
        MongoCollection<Document> c = db("bad").getCollection("keep");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            docs.add(new Document("_id", i));
        }
        c.insertMany(docs);

        assertTrue(sendAndSeeClose(frame(10, 2013, new byte[0])), "a length below the header size closes the connection");
        assertTrue(sendAndSeeClose(frame(60_000_000, 2013, new byte[16])), "a message over 48 MB closes the connection");
        assertTrue(sendAndSeeClose(frame(20, 9999, new byte[4])), "an unknown opcode closes the connection");
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        sendAndSeeClose(garbage);

        byte[] badBson = {40, 0, 0, 0, 2, 'x', 0, (byte) 0xFF, 0x7F, 0, 0, 'a', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        Document reply = replyTo(opMsgWithBody(badBson));
        assertEquals(0.0, ((Number) reply.get("ok")).doubleValue());
        assertEquals(22, reply.getInteger("code"));

        assertEquals(500, c.countDocuments());
        c.insertOne(new Document("_id", 1000));
        assertEquals(501, db("bad").getCollection("keep").countDocuments());
        restart();
        assertEquals(501, db("bad").getCollection("keep").countDocuments());
    }

    /**
     * Damaged messages of every layer while another client is half-way through sending a message of its own: framing
     * and compression damage closes only the offender's connection, damage inside an intact message gets an error
     * reply on a connection that stays usable, and the bystander's message, completed afterwards, is answered.
     */
    @Test
    void damagedMessagesOfEveryLayerLeaveOtherConnectionsAndDataAlone() throws Exception {
        MongoCollection<Document> c = db("bad").getCollection("layers");
        c.insertMany(List.of(new Document("_id", 1), new Document("_id", 2)));
        org.bson.BsonDocument ping = new org.bson.BsonDocument("ping", new org.bson.BsonInt32(1))
                .append("$db", new org.bson.BsonString("bad"));
        org.bson.BsonDocument insert = new org.bson.BsonDocument("insert", new org.bson.BsonString("layers"))
                .append("$db", new org.bson.BsonString("bad"));
        byte[] pending = Frames.opMsg(50, 0, new org.bson.BsonDocument("count", new org.bson.BsonString("layers"))
                .append("$db", new org.bson.BsonString("bad")));
        try (RawClient bystander = new RawClient(server.port())) {
            bystander.send(java.util.Arrays.copyOf(pending, 10));

            byte[] checksummed = Frames.withChecksum(Frames.opMsg(51, 0, ping));
            checksummed[checksummed.length - 1] ^= 1;
            byte[] zlib = Frames.compress(Frames.opMsg(52, 0, ping), 2);
            zlib[zlib.length - 3] ^= 0x55;
            for (byte[] broken : List.of(checksummed, zlib)) {
                try (RawClient offender = new RawClient(server.port())) {
                    offender.send(broken);
                    assertTrue(offender.closedByServer(5_000), "a broken message closes its connection");
                }
            }

            byte[] lyingSequence = Frames.opMsg(53, 0, insert, Frames.sequence("documents",
                    List.of(new org.bson.BsonDocument("_id", new org.bson.BsonInt32(3)))));
            java.nio.ByteBuffer.wrap(lyingSequence).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(lyingSequence.length - 4 - 14 - 10, 4);
            org.bson.BsonValue deep = new org.bson.BsonInt32(1);
            for (int i = 0; i < 300; i++) {
                deep = new org.bson.BsonDocument("a", deep);
            }
            byte[] tooDeep = Frames.opMsg(54, 0, insert.clone().append("documents", new org.bson.BsonArray(List.of(
                    new org.bson.BsonDocument("_id", new org.bson.BsonInt32(4)).append("d", deep)))));
            byte[] twoBodies = Frames.opMsgRaw(55, 0, concat(new byte[] {0}, Frames.bson(ping), new byte[] {0}, Frames.bson(ping)));
            try (RawClient offender = new RawClient(server.port())) {
                for (byte[] bad : List.of(lyingSequence, tooDeep, twoBodies)) {
                    org.bson.BsonDocument reply = offender.call(bad).document();
                    assertEquals(0.0, reply.getNumber("ok").doubleValue(), reply::toJson);
                }
                assertEquals(1.0, offender.call(Frames.opMsg(56, 0, ping)).document().getNumber("ok").doubleValue());
            }

            bystander.send(java.util.Arrays.copyOfRange(pending, 10, pending.length));
            org.bson.BsonDocument counted = bystander.read().document();
            assertEquals(2, counted.getNumber("n").intValue(), counted::toJson);
        }
        assertEquals(2, c.countDocuments());
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
