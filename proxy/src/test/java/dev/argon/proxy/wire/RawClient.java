package dev.argon.proxy.wire;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A bare socket speaking raw bytes to the server, for messages no driver would send. Not thread-safe. */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;

    public RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
    }

    public RawClient send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** Reads one whole reply message and parses it. */
    public Frames.Reply read() throws IOException {
        return Frames.parse(readRaw());
    }

    /** Reads one whole reply message, header included, as the server sent it. */
    public byte[] readRaw() throws IOException {
        byte[] header = new byte[4];
        in.readFully(header);
        int length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (length < 16 || length > 48_000_000) {
            throw new IOException("reply length " + length);
        }
        byte[] message = new byte[length];
        System.arraycopy(header, 0, message, 0, 4);
        in.readFully(message, 4, length - 4);
        return message;
    }

    /** Sends a message and reads its reply. */
    public Frames.Reply call(byte[] message) throws IOException {
        return send(message).read();
    }

    /**
     * True if the server closes the connection within {@code millis} (end of stream or reset), after discarding
     * anything it sent before; false if it stays open.
     */
    public boolean closedByServer(int millis) throws IOException {
        int previous = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            InputStream stream = socket.getInputStream();
            byte[] sink = new byte[8192];
            while (stream.read(sink) >= 0) {
                // Drain replies sent before the close.
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException | SocketException e) {
            return true;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(previous);
            }
        }
    }

    /** True if the server sends anything within {@code millis}; the bytes stay unread (a reply then arrives whole). */
    public boolean hasReplyWithin(int millis) throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (in.available() > 0) {
                return true;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return in.available() > 0;
    }

    /** Half-closes: tells the server no more bytes will come. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
