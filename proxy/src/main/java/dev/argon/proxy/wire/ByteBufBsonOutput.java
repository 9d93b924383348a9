package dev.argon.proxy.wire;

import dev.argon.wal.Bson;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.BsonSerializationException;
import org.bson.RawBsonDocument;
import org.bson.io.BsonOutput;
import org.bson.types.ObjectId;

/**
 * A {@link BsonOutput} that writes into a Netty {@link ByteBuf} from its current writer index. Replies are written
 * by {@link #writeDocument}, which encodes with the WAL's encoder and copies the bytes in; the driver's
 * {@link BsonBinaryWriter} can still write through this output. Positions are relative to where writing started, which is what
 * {@link BsonBinaryWriter} expects when it back-patches document lengths. Not thread-safe; one per encoding.
 */
public final class ByteBufBsonOutput implements BsonOutput {
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
        // The WAL's encoder writes the driver's bytes exactly, and refuses what the driver refuses (a name with a
        // NUL, too deep a nesting), but 2.5x faster than the driver's writer, which costs one virtual call per
        // string byte (docs/PERFORMANCE.md, "Fourth round"); one copy of the finished bytes is cheaper than that.
        // It also writes an unpaired surrogate as the driver does (three bytes), where Netty's writeUtf8 writes '?'.
        out.writeBytes(Bson.bytes(document));
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
