package dev.argon.proxy.wire;

import dev.argon.engine.ArgonException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each whole message from {@link FrameDecoder} into a {@link WireRequest}: unwraps {@code OP_COMPRESSED},
 * then decodes {@code OP_MSG} or {@code OP_QUERY} and fully validates their BSON.
 *
 * <p>Two kinds of failure: a defect that leaves the stream untrustworthy (unknown opCode, checksum mismatch,
 * undecodable compression) is thrown as a {@link WireProtocolException} and the connection closes; a defect inside
 * an intact message (malformed BSON, unknown section kind, missing {@code $db}) becomes a rejected request, so the
 * client is told why and the connection carries on.
 *
 * <p>Stateless; {@linkplain io.netty.channel.ChannelHandler.Sharable sharable} across channels.
 */
@io.netty.channel.ChannelHandler.Sharable
public final class MessageDecoder extends MessageToMessageDecoder<ByteBuf> {
    private static final Logger log = LoggerFactory.getLogger(MessageDecoder.class);

    public MessageDecoder() {
        super(ByteBuf.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        int opCode = frame.getIntLE(frame.readerIndex() + 12);
        if (opCode != OpCode.OP_COMPRESSED) {
            out.add(decode(frame, opCode, null));
            return;
        }
        Compressor compressor = frame.readableBytes() > MsgHeader.LENGTH + 8
                ? Compressor.byId(frame.getUnsignedByte(frame.readerIndex() + MsgHeader.LENGTH + 8)) : null;
        ByteBuf original = OpCompressed.decompress(frame, ctx.alloc());
        try {
            out.add(decode(original, original.getIntLE(original.readerIndex() + 12), compressor));
        } finally {
            original.release();
        }
    }

    /** Decodes a whole uncompressed message. */
    static WireRequest decode(ByteBuf frame, int opCode, Compressor compressor) {
        int requestId = frame.getIntLE(frame.readerIndex() + 4);
        switch (opCode) {
            case OpCode.OP_MSG -> {
                int flags = OpMsg.flagBits(frame);
                boolean moreToCome = (flags & OpMsg.MORE_TO_COME) != 0;
                try {
                    OpMsg msg = OpMsg.decode(frame);
                    return WireRequest.command(requestId, opCode, moreToCome, (flags & OpMsg.EXHAUST_ALLOWED) != 0,
                            compressor, msg.command());
                } catch (ArgonException e) {
                    log.debug("rejecting OP_MSG {}: {}", requestId, e.getMessage());
                    return WireRequest.rejected(requestId, opCode, moreToCome, compressor, ErrorReply.of(e));
                }
            }
            case OpCode.OP_QUERY -> {
                try {
                    OpQuery query = OpQuery.decode(frame);
                    return WireRequest.command(requestId, opCode, false, false, compressor, query.command());
                } catch (ArgonException e) {
                    log.debug("rejecting OP_QUERY {}: {}", requestId, e.getMessage());
                    return WireRequest.rejected(requestId, opCode, false, compressor, ErrorReply.of(e));
                }
            }
            default -> throw new WireProtocolException("unsupported opCode " + OpCode.name(opCode)
                    + (opCode == OpCode.OP_COMPRESSED ? " inside OP_COMPRESSED" : ""));
        }
    }
}
