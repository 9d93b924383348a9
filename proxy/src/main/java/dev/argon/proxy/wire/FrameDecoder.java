package dev.argon.proxy.wire;

import dev.argon.engine.ServerStats;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the inbound byte stream into whole messages. Each emitted {@link ByteBuf} is a retained slice of the
 * receive buffer holding exactly one message, header included: no copy is made here. A message length outside
 * {@code [16, maxMessageSizeBytes]} means the stream is out of step, so the decoder throws a
 * {@link WireProtocolException} (the pipeline's exception handler closes the connection) and drops everything
 * after it. Also counts inbound bytes in {@link ServerStats#bytesIn}.
 *
 * <p>One instance per channel; not thread-safe (Netty calls it on the channel's event loop only).
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private final ServerStats stats;
    private boolean broken;

    public FrameDecoder(ServerStats stats) {
        this.stats = stats;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf buf) {
            stats.bytesIn.addAndGet(buf.readableBytes());
        }
        super.channelRead(ctx, msg);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken || !ctx.channel().isActive()) {
            // Bytes after a framing error, or arriving while the channel closes, belong to no message we can find.
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < 4) {
            return;
        }
        int length = in.getIntLE(in.readerIndex());
        if (length < MsgHeader.LENGTH || length > MsgHeader.MAX_MESSAGE_SIZE_BYTES) {
            broken = true;
            in.skipBytes(in.readableBytes());
            throw new WireProtocolException("messageLength " + length + " is outside [" + MsgHeader.LENGTH + ", "
                    + MsgHeader.MAX_MESSAGE_SIZE_BYTES + "]");
        }
        int missing = length - in.readableBytes();
        if (missing > 0) {
            reserve(in, missing);
            return;
        }
        out.add(in.readRetainedSlice(length));
    }

    /**
     * Grows the accumulation buffer to hold the rest of a large message in one step. Without this, the merge
     * cumulator grows it in 4 MiB steps as reads arrive and copies everything received so far at every step, so a
     * 48 MB batch would be copied a dozen times before it is decoded. Only done while this buffer is ours alone
     * (no slice of it is still in flight), which is when the cumulator would write into it in place.
     */
    private static void reserve(ByteBuf in, int missing) {
        if (missing > in.writableBytes() && in.refCnt() == 1 && !in.isReadOnly() && missing <= in.maxWritableBytes()) {
            in.ensureWritable(missing);
        }
    }
}
