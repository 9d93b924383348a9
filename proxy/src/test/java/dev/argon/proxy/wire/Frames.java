package dev.argon.proxy.wire;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.bson.BsonBinaryReader;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;

/**
 * Builds and parses raw wire messages for tests, independently of the production encoder and decoders, so the two
 * check each other.
 */
public final class Frames {
    private Frames() {
    }

    public static byte[] bson(BsonDocument document) {
        BasicOutputBuffer out = new BasicOutputBuffer();
        new BsonDocumentCodec().encode(new BsonBinaryWriter(out), document, EncoderContext.builder().build());
        return out.toByteArray();
    }

    public static BsonDocument parseBson(byte[] bytes, int offset, int length) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length).slice().order(ByteOrder.LITTLE_ENDIAN);
        return new BsonDocumentCodec().decode(new BsonBinaryReader(buffer), DecoderContext.builder().build());
    }

    /** A whole message: header with the right length, then {@code body}. */
    public static byte[] message(int requestId, int opCode, byte[] body) {
        return ByteBuffer.allocate(16 + body.length).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(16 + body.length).putInt(requestId).putInt(0).putInt(opCode).put(body).array();
    }

    /** A kind-1 section. */
    public static byte[] sequence(String identifier, List<BsonDocument> documents) {
        ByteArrayOutputStream docs = new ByteArrayOutputStream();
        documents.forEach(d -> docs.writeBytes(bson(d)));
        byte[] id = identifier.getBytes(StandardCharsets.UTF_8);
        int size = 4 + id.length + 1 + docs.size();
        ByteBuffer b = ByteBuffer.allocate(1 + size).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 1).putInt(size).put(id).put((byte) 0).put(docs.toByteArray());
        return b.array();
    }

    /** An OP_MSG with a kind-0 body and the given raw extra sections. */
    public static byte[] opMsg(int requestId, int flags, BsonDocument body, byte[]... sections) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.writeBytes(bson(body));
        for (byte[] s : sections) {
            out.writeBytes(s);
        }
        return opMsgRaw(requestId, flags, out.toByteArray());
    }

    /** An OP_MSG whose sections are exactly {@code sections}, valid or not. */
    public static byte[] opMsgRaw(int requestId, int flags, byte[] sections) {
        ByteBuffer body = ByteBuffer.allocate(4 + sections.length).order(ByteOrder.LITTLE_ENDIAN);
        body.putInt(flags).put(sections);
        return message(requestId, OpCode.OP_MSG, body.array());
    }

    /** Sets the checksum flag and appends the CRC-32C of the message. */
    public static byte[] withChecksum(byte[] message) {
        ByteBuffer b = ByteBuffer.allocate(message.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(message).putInt(0, message.length + 4).putInt(16, b.getInt(16) | OpMsg.CHECKSUM_PRESENT);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, message.length);
        b.putInt(message.length, (int) crc.getValue());
        return b.array();
    }

    public static byte[] opQuery(int requestId, String namespace, BsonDocument query) {
        byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
        byte[] doc = bson(query);
        ByteBuffer body = ByteBuffer.allocate(4 + ns.length + 1 + 8 + doc.length).order(ByteOrder.LITTLE_ENDIAN);
        body.putInt(0).put(ns).put((byte) 0).putInt(0).putInt(-1).put(doc);
        return message(requestId, OpCode.OP_QUERY, body.array());
    }

    /** Wraps a whole message in OP_COMPRESSED with compressor id 0 (noop), 2 (zlib) or 3 (zstd). */
    public static byte[] compress(byte[] message, int compressorId) {
        ByteBuffer in = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
        byte[] original = java.util.Arrays.copyOfRange(message, 16, message.length);
        byte[] payload = switch (compressorId) {
            case 0 -> original;
            case 2 -> deflate(original);
            case 3 -> Zstd.compress(original);
            default -> throw new IllegalArgumentException("compressor " + compressorId);
        };
        ByteBuffer body = ByteBuffer.allocate(9 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        body.putInt(in.getInt(12)).putInt(original.length).put((byte) compressorId).put(payload);
        return message(in.getInt(4), OpCode.OP_COMPRESSED, body.array());
    }

    public static byte[] deflate(byte[] bytes) {
        Deflater deflater = new Deflater();
        deflater.setInput(bytes);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        while (!deflater.finished()) {
            out.write(chunk, 0, deflater.deflate(chunk));
        }
        deflater.end();
        return out.toByteArray();
    }

    /** A parsed reply; {@code compressorId} is -1 when it came uncompressed. */
    public record Reply(int requestId, int responseTo, int opCode, int flags, BsonDocument document, int compressorId,
                 long cursorId, int numberReturned) {
    }

    /** Parses a whole OP_MSG or OP_REPLY, compressed or not. */
    public static Reply parse(byte[] message) {
        ByteBuffer b = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != message.length) {
            throw new AssertionError("messageLength " + b.getInt(0) + " but " + message.length + " bytes");
        }
        int requestId = b.getInt(4);
        int responseTo = b.getInt(8);
        int opCode = b.getInt(12);
        int compressorId = -1;
        if (opCode == OpCode.OP_COMPRESSED) {
            opCode = b.getInt(16);
            int size = b.getInt(20);
            compressorId = message[24];
            byte[] payload = java.util.Arrays.copyOfRange(message, 25, message.length);
            byte[] original = switch (compressorId) {
                case 0 -> payload;
                case 2 -> inflate(payload, size);
                case 3 -> Zstd.decompress(payload, size);
                default -> throw new AssertionError("compressor " + compressorId);
            };
            if (original.length != size) {
                throw new AssertionError("uncompressedSize " + size + " but " + original.length + " bytes");
            }
            b = ByteBuffer.allocate(16 + size).order(ByteOrder.LITTLE_ENDIAN).putInt(16 + size).putInt(requestId)
                    .putInt(responseTo).putInt(opCode).put(original);
            message = b.array();
        }
        if (opCode == OpCode.OP_MSG) {
            if (message[20] != 0) {
                throw new AssertionError("section kind " + message[20]);
            }
            BsonDocument doc = parseBson(message, 21, message.length - 21);
            if (21 + b.getInt(21) != message.length) {
                throw new AssertionError("bytes after the body");
            }
            return new Reply(requestId, responseTo, opCode, b.getInt(16), doc, compressorId, 0, 1);
        }
        if (opCode == OpCode.OP_REPLY) {
            BsonDocument doc = parseBson(message, 36, message.length - 36);
            return new Reply(requestId, responseTo, opCode, b.getInt(16), doc, compressorId, b.getLong(20), b.getInt(32));
        }
        throw new AssertionError("unexpected reply opCode " + opCode);
    }

    private static byte[] inflate(byte[] payload, int size) {
        Inflater inflater = new Inflater();
        inflater.setInput(payload);
        byte[] out = new byte[size];
        try {
            int n = inflater.inflate(out);
            if (n != size || !inflater.finished()) {
                throw new AssertionError("zlib payload inflates to " + n + " bytes, expected " + size);
            }
        } catch (DataFormatException e) {
            throw new AssertionError(e);
        } finally {
            inflater.end();
        }
        return out;
    }
}
