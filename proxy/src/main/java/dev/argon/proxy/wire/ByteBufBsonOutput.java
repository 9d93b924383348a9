package dev.argon.proxy.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.BsonSerializationException;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.io.BsonOutput;
import org.bson.types.ObjectId;

/**
 * A {@link BsonOutput} that writes into a Netty {@link ByteBuf} from its current writer index, so a reply is
 * encoded once, directly into the outbound buffer. Positions are relative to where writing started, which is what
 * {@link BsonBinaryWriter} expects when it back-patches document lengths. Not thread-safe; one per encoding.
 */
public final class ByteBufBsonOutput implements BsonOutput {
    private static final BsonDocumentCodec CODEC = new BsonDocumentCodec();
    private static final EncoderContext ENCODER_CONTEXT = EncoderContext.builder().build();

    private final ByteBuf buf;
    private final int start;

    public ByteBufBsonOutput(ByteBuf buf) {
        this.buf = buf;
        this.start = buf.writerIndex();
    }

    /** Appends {@code document} to {@code out} as BSON. */
    public static void writeDocument(ByteBuf out, BsonDocument document) {
        if (document instanceof RawBsonDocument raw) {
            // Already BSON: its bytes are the encoding.
            out.writeBytes(raw.getByteBuffer().asNIO());
            return;
        }
        try (BsonBinaryWriter writer = new BsonBinaryWriter(new ByteBufBsonOutput(out))) {
            CODEC.encode(writer, document, ENCODER_CONTEXT);
        }
    }

    @Override
    public int getPosition() {
        return buf.writerIndex() - start;
    }

    @Override
    public int getSize() {
        return buf.writerIndex() - start;
    }

    @Override
    public void truncateToPosition(int newPosition) {
        if (newPosition < 0 || newPosition > getSize()) {
            throw new IllegalArgumentException("position " + newPosition + " outside [0, " + getSize() + "]");
        }
        buf.writerIndex(start + newPosition);
    }

    @Override
    public void writeBytes(byte[] bytes) {
        buf.writeBytes(bytes);
    }

    @Override
    public void writeBytes(byte[] bytes, int offset, int length) {
        buf.writeBytes(bytes, offset, length);
    }

    @Override
    public void writeByte(int value) {
        buf.writeByte(value);
    }

    @Override
    public void writeCString(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new BsonSerializationException("BSON cstring '" + value + "' is not valid because it contains a null character");
        }
        ByteBufUtil.writeUtf8(buf, value);
        buf.writeByte(0);
    }

    @Override
    public void writeString(String value) {
        int lengthAt = buf.writerIndex();
        buf.writeIntLE(0);
        int bytes = ByteBufUtil.writeUtf8(buf, value);
        buf.writeByte(0);
        buf.setIntLE(lengthAt, bytes + 1);
    }

    @Override
    public void writeDouble(double value) {
        buf.writeDoubleLE(value);
    }

    @Override
    public void writeInt32(int value) {
        buf.writeIntLE(value);
    }

    @Override
    public void writeInt32(int position, int value) {
        buf.setIntLE(start + position, value);
    }

    @Override
    public void writeInt64(long value) {
        buf.writeLongLE(value);
    }

    @Override
    public void writeObjectId(ObjectId value) {
        buf.writeBytes(value.toByteArray());
    }

    @Override
    public void close() {
        // The buffer belongs to the caller.
    }
}
