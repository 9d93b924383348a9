package dev.argon.proxy.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * An {@code OP_COMPRESSED} message: another message's body, compressed. Layout after the header:
 * {@code int32 originalOpcode, int32 uncompressedSize, uint8 compressorId, bytes compressedMessage}.
 *
 * <p>Every defect here is a {@link WireProtocolException}: without a trustworthy inner message there is nothing to
 * reply to.
 *
 * @param originalOpCode   the opCode of the wrapped message; only {@code OP_MSG} and {@code OP_QUERY} are accepted
 * @param uncompressedSize the wrapped message's size without its header
 * @param compressor       how it was compressed; replies use the same one
 */
public record OpCompressed(int originalOpCode, int uncompressedSize, Compressor compressor) {
    /** originalOpcode, uncompressedSize and compressorId. */
    static final int PREFIX_LENGTH = 9;

    /**
     * Decompresses a whole {@code OP_COMPRESSED} message (header included, at {@code frame}'s reader index) into a
     * new buffer holding the original message with a rebuilt header, ready for the ordinary decoders: the header is
     * rebuilt rather than skipped so that an {@code OP_MSG} checksum, which covers the original header, still
     * verifies. The caller releases the result.
     */
    static ByteBuf decompress(ByteBuf frame, ByteBufAllocator alloc) {
        int base = frame.readerIndex();
        if (frame.readableBytes() < MsgHeader.LENGTH + PREFIX_LENGTH) {
            throw new WireProtocolException("OP_COMPRESSED of " + frame.readableBytes() + " bytes is too short");
        }
        MsgHeader header = MsgHeader.read(frame.duplicate());
        OpCompressed message = new OpCompressed(frame.getIntLE(base + 16), frame.getIntLE(base + 20),
                Compressor.byId(frame.getUnsignedByte(base + 24)));
        message.validate(frame.getUnsignedByte(base + 24));
        int payloadAt = base + MsgHeader.LENGTH + PREFIX_LENGTH;
        ByteBuf payload = frame.slice(payloadAt, frame.writerIndex() - payloadAt);
        ByteBuf original = alloc.buffer(MsgHeader.LENGTH + message.uncompressedSize);
        try {
            new MsgHeader(MsgHeader.LENGTH + message.uncompressedSize, header.requestId(), header.responseTo(),
                    message.originalOpCode).write(original);
            message.compressor.decompress(payload, original, message.uncompressedSize);
            return original;
        } catch (RuntimeException e) {
            original.release();
            throw e;
        }
    }

    private void validate(int compressorId) {
        if (originalOpCode != OpCode.OP_MSG && originalOpCode != OpCode.OP_QUERY) {
            throw new WireProtocolException("OP_COMPRESSED wraps unsupported opCode " + OpCode.name(originalOpCode));
        }
        if (uncompressedSize < 0 || uncompressedSize > MsgHeader.MAX_MESSAGE_SIZE_BYTES - MsgHeader.LENGTH) {
            throw new WireProtocolException("OP_COMPRESSED uncompressedSize " + uncompressedSize + " is outside [0, "
                    + (MsgHeader.MAX_MESSAGE_SIZE_BYTES - MsgHeader.LENGTH) + "]");
        }
        if (compressor == null) {
            throw new WireProtocolException("OP_COMPRESSED has unknown compressorId " + compressorId);
        }
        if (compressor == Compressor.SNAPPY) {
            throw new WireProtocolException("OP_COMPRESSED uses snappy, which this server does not support");
        }
    }
}
