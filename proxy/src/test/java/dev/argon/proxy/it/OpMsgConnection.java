package dev.argon.proxy.it;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;

/**
 * One plain connection that sends command documents exactly as given, as {@code OP_MSG}. For what the Java driver
 * will not do: two connections sending the same {@code lsid} at the same time (a driver's retry overlapping its
 * first attempt), since the driver adds its own session id and refuses to share a session between threads.
 * Not thread-safe; one per thread.
 */
final class OpMsgConnection implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private int requestId;

    OpMsgConnection(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(60_000);
        in = new DataInputStream(socket.getInputStream());
    }

    /** Sends one command (it must carry its own {@code $db}) and returns the reply body. */
    BsonDocument call(BsonDocument command) throws IOException {
        BasicOutputBuffer body = new BasicOutputBuffer();
        new BsonDocumentCodec().encode(new BsonBinaryWriter(body), command, EncoderContext.builder().build());
        byte[] doc = body.toByteArray();
        ByteBuffer msg = ByteBuffer.allocate(16 + 4 + 1 + doc.length).order(ByteOrder.LITTLE_ENDIAN);
        msg.putInt(msg.capacity()).putInt(++requestId).putInt(0).putInt(2013).putInt(0).put((byte) 0).put(doc);
        socket.getOutputStream().write(msg.array());
        socket.getOutputStream().flush();
        byte[] header = new byte[16];
        in.readFully(header);
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int length = h.getInt(0);
        byte[] rest = new byte[length - 16];
        in.readFully(rest);
        // flags (4 bytes), section kind 0 (1 byte), then the reply document
        return new RawBsonDocument(rest, 5, rest.length - 5).decode(new BsonDocumentCodec());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
