package dev.argon.wal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.bson.BsonBinaryReader;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;

/** BSON bytes to and from documents. Stateless and thread-safe. */
public final class Bson {
    private static final BsonDocumentCodec CODEC = new BsonDocumentCodec();

    private Bson() {}

    /** The BSON of doc; a {@link RawBsonDocument} already is BSON, so its bytes are copied, not re-encoded. */
    public static byte[] bytes(BsonDocument doc) {
        if (doc instanceof RawBsonDocument raw) {
            ByteBuffer b = raw.getByteBuffer().asNIO();
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        }
        return BsonEncoder.encode(doc);
    }

    /** The driver's encoding of doc: what {@link #bytes} must equal (its tests compare the two). */
    static byte[] driverBytes(BsonDocument doc) {
        BasicOutputBuffer out = new BasicOutputBuffer(256);
        try (BsonBinaryWriter w = new BsonBinaryWriter(out)) {
            CODEC.encode(w, doc, EncoderContext.builder().build());
        }
        return Arrays.copyOf(out.getInternalBuffer(), out.getPosition());
    }

    public static BsonDocument document(byte[] bytes) {
        try (BsonBinaryReader r = new BsonBinaryReader(ByteBuffer.wrap(bytes))) {
            return CODEC.decode(r, DecoderContext.builder().build());
        }
    }
}
