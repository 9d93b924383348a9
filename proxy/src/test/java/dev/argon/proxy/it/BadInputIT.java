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
}
