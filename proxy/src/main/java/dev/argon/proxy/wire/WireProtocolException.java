package dev.argon.proxy.wire;

/**
 * The byte stream can no longer be trusted (bad message length, unknown opCode, checksum mismatch, undecodable
 * compressed payload): the connection is closed, because nothing after this point can be framed reliably. Errors
 * inside an intact message are {@link dev.argon.engine.ArgonException}s instead and become error replies.
 */
public final class WireProtocolException extends RuntimeException {
    public WireProtocolException(String message) {
        super(message, null, false, false);
    }

    public WireProtocolException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
