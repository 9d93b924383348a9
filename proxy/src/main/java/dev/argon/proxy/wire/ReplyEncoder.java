package dev.argon.proxy.wire;

import dev.argon.engine.ServerStats;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes a {@link WireReply} as {@code OP_MSG} (flags 0, or {@code moreToCome} inside an exhaust stream; one
 * kind-0 section) or {@code OP_REPLY} (flags AwaitCapable, cursor 0, one document), wrapped in
 * {@code OP_COMPRESSED} when the request was compressed. The message length is written as a placeholder and
 * patched once the document is in the buffer, so the document is encoded once, in place. Counts outbound bytes in
 * {@link ServerStats#bytesOut}.
 *
 * <p>Sharable and thread-safe: the only state is the server-wide request id counter.
 */
@ChannelHandler.Sharable
public final class ReplyEncoder extends MessageToByteEncoder<WireReply> {
    /** OP_REPLY responseFlags: AwaitCapable, which every mongod since 1.6 sets. */
    static final int AWAIT_CAPABLE = 8;

    private final AtomicInteger requestIds;
    private final ServerStats stats;

    public ReplyEncoder(AtomicInteger requestIds, ServerStats stats) {
        super(WireReply.class);
        this.requestIds = requestIds;
        this.stats = stats;
    }

    /** A fresh id for a reply (never 0, which in a {@link WireReply} means "assign one"). */
    public int nextRequestId() {
        int id;
        do {
            id = requestIds.incrementAndGet();
        } while (id == 0);
        return id;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, WireReply reply, ByteBuf out) {
        int start = out.writerIndex();
        int requestId = reply.requestId() != 0 ? reply.requestId() : nextRequestId();
        Compressor compressor = reply.compressor();
        if (compressor == null) {
            new MsgHeader(0, requestId, reply.responseTo(), reply.opCode()).write(out);
            writeBody(reply, out);
        } else {
            ByteBuf body = ctx.alloc().ioBuffer();
            try {
                writeBody(reply, body);
                new MsgHeader(0, requestId, reply.responseTo(), OpCode.OP_COMPRESSED).write(out);
                out.writeIntLE(reply.opCode()).writeIntLE(body.readableBytes()).writeByte(compressor.id());
                compressor.compress(body, out);
            } finally {
                body.release();
            }
        }
        int length = out.writerIndex() - start;
        out.setIntLE(start, length);
        stats.bytesOut.addAndGet(length);
    }

    /** The message after its header, exactly as it would be sent uncompressed. */
    private static void writeBody(WireReply reply, ByteBuf out) {
        if (reply.opCode() == OpCode.OP_REPLY) {
            out.writeIntLE(AWAIT_CAPABLE).writeLongLE(0).writeIntLE(0).writeIntLE(1);
        } else {
            out.writeIntLE(reply.moreToCome() ? OpMsg.MORE_TO_COME : 0).writeByte(0);
        }
        ByteBufBsonOutput.writeDocument(out, reply.document());
    }
}
