package dev.argon.proxy.wire;

import io.netty.buffer.ByteBuf;

/**
 * The 16-byte header that starts every message: four little-endian int32s.
 *
 * @param messageLength the whole message, header included
 * @param requestId     chosen by the sender; a reply names it in {@code responseTo}
 * @param responseTo    0 in requests
 * @param opCode        see {@link OpCode}
 */
public record MsgHeader(int messageLength, int requestId, int responseTo, int opCode) {
    public static final int LENGTH = 16;
    /** What {@code hello} advertises as {@code maxMessageSizeBytes}; larger frames are refused outright. */
    public static final int MAX_MESSAGE_SIZE_BYTES = 48_000_000;

    /** Reads the header at {@code frame}'s reader index and advances past it. */
    static MsgHeader read(ByteBuf frame) {
        return new MsgHeader(frame.readIntLE(), frame.readIntLE(), frame.readIntLE(), frame.readIntLE());
    }

    void write(ByteBuf out) {
        out.writeIntLE(messageLength).writeIntLE(requestId).writeIntLE(responseTo).writeIntLE(opCode);
    }
}
