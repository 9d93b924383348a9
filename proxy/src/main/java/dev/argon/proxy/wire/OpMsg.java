package dev.argon.proxy.wire;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

/**
 * An {@code OP_MSG} request: flag bits and the command, with every kind-1 document sequence already merged into
 * the body as an array field named by the sequence's identifier (so {@code insert}'s {@code documents} arrive as
 * the same array whether the driver sent them inline or as a sequence). The canonical documents of a {@code documents}
 * sequence are {@link RawBsonDocument}s over their own bytes, the rest decoded trees (see {@link CanonicalBson}).
 *
 * <p>Layout after the header: {@code uint32 flagBits}, sections ({@code byte kind}, then for kind 0 one BSON
 * document, for kind 1 {@code int32 size, cstring identifier, documents...}), and an optional CRC-32C.
 *
 * @param flagBits the request's flags; see {@link #moreToCome()}
 * @param command  the body with sequences merged in
 */
public record OpMsg(int flagBits, BsonDocument command) {
    public static final int CHECKSUM_PRESENT = 1;
    /** The sender expects no reply (unacknowledged writes, or the tail of a batch of such messages). */
    public static final int MORE_TO_COME = 1 << 1;
    /**
     * The client can take several replies to one request. Argon streams only awaitable {@code hello}s (the
     * server-monitoring protocol); on any other request the bit is accepted and ignored, which OP_MSG allows.
     */
    public static final int EXHAUST_ALLOWED = 1 << 16;
    /** Bits 0-15 must be understood by the receiver; an unknown one among them is an error. */
    private static final int REQUIRED_BITS = 0xFFFF;
    private static final int KNOWN_BITS = CHECKSUM_PRESENT | MORE_TO_COME | EXHAUST_ALLOWED;

    private static final int FLAGS_OFFSET = MsgHeader.LENGTH;
    private static final int SECTIONS_OFFSET = FLAGS_OFFSET + 4;
    private static final int CHECKSUM_LENGTH = 4;
    /**
     * The sequence whose canonical documents are handed over as raw BSON: {@code insert}'s documents, stored as the
     * client sent them. Every other sequence (and every body) is decoded into a tree, as commands read it.
     */
    private static final String RAW_SEQUENCE = "documents";

    public boolean moreToCome() {
        return (flagBits & MORE_TO_COME) != 0;
    }

    /** The flag bits of a whole message, or 0 if it is too short to carry them. */
    static int flagBits(ByteBuf frame) {
        return frame.readableBytes() >= SECTIONS_OFFSET ? frame.getIntLE(frame.readerIndex() + FLAGS_OFFSET) : 0;
    }

    /**
     * Decodes a whole message (header included, starting at {@code frame}'s reader index).
     *
     * @throws WireProtocolException if the checksum does not match: the bytes were damaged in transit
     * @throws ArgonException        if the message is intact but its content is not a valid command
     */
    static OpMsg decode(ByteBuf frame) {
        int base = frame.readerIndex();
        int length = frame.readableBytes();
        if (length < SECTIONS_OFFSET) {
            throw protocolError("OP_MSG of " + length + " bytes has no room for its flag bits");
        }
        int flags = frame.getIntLE(base + FLAGS_OFFSET);
        int end = length;
        if ((flags & CHECKSUM_PRESENT) != 0) {
            if (length < SECTIONS_OFFSET + CHECKSUM_LENGTH) {
                throw new WireProtocolException("OP_MSG with checksum flag is too short to carry one");
            }
            end = length - CHECKSUM_LENGTH;
            verifyChecksum(frame, base, end);
        }
        int unknown = flags & REQUIRED_BITS & ~KNOWN_BITS;
        if (unknown != 0) {
            throw protocolError("OP_MSG has unknown required flag bits 0x" + Integer.toHexString(unknown));
        }
        BsonDocument body = null;
        Map<String, BsonArray> sequences = new LinkedHashMap<>();
        int pos = SECTIONS_OFFSET;
        while (pos < end) {
            int kind = frame.getByte(base + pos);
            pos++;
            if (kind == 0) {
                if (body != null) {
                    throw protocolError("OP_MSG has more than one body section");
                }
                body = BsonParser.parse(frame, base + pos, end - pos);
                pos += frame.getIntLE(base + pos);
            } else if (kind == 1) {
                pos = readSequence(frame, base, pos, end, sequences);
            } else {
                throw protocolError("OP_MSG has unknown section kind " + kind);
            }
        }
        if (body == null) {
            throw protocolError("OP_MSG has no body section");
        }
        for (Map.Entry<String, BsonArray> sequence : sequences.entrySet()) {
            if (body.containsKey(sequence.getKey())) {
                throw protocolError("OP_MSG field '" + sequence.getKey() + "' is both in the body and a document sequence");
            }
            body.put(sequence.getKey(), sequence.getValue());
        }
        if (!body.isString("$db")) {
            throw new ArgonException(MongoErrorCode.BAD_VALUE, "OP_MSG requests require a $db argument");
        }
        return new OpMsg(flags, body);
    }

    /** Reads one kind-1 section whose size field is at {@code pos}; returns the offset after it. */
    private static int readSequence(ByteBuf frame, int base, int pos, int end, Map<String, BsonArray> sequences) {
        if (end - pos < 4) {
            throw invalidSequence("has no room for its size");
        }
        int size = frame.getIntLE(base + pos);
        if (size < 5 || size > end - pos) {
            throw invalidSequence("size " + size + " does not fit the " + (end - pos) + " bytes that remain");
        }
        int sectionEnd = pos + size;
        int idStart = pos + 4;
        int nul = frame.indexOf(base + idStart, base + sectionEnd, (byte) 0);
        if (nul < 0) {
            throw invalidSequence("identifier is not terminated");
        }
        String identifier = frame.toString(base + idStart, nul - base - idStart, StandardCharsets.UTF_8);
        if (identifier.isEmpty()) {
            throw invalidSequence("identifier is empty");
        }
        List<BsonValue> documents = new ArrayList<>();
        boolean raw = identifier.equals(RAW_SEQUENCE);
        int docPos = nul - base + 1;
        while (docPos < sectionEnd) {
            documents.add(raw ? rawOrParsed(frame, base + docPos, sectionEnd - docPos)
                    : BsonParser.parse(frame, base + docPos, sectionEnd - docPos));
            docPos += frame.getIntLE(base + docPos);
        }
        if (sequences.put(identifier, new BsonArray(documents)) != null) {
            throw protocolError("OP_MSG has two document sequences named '" + identifier + "'");
        }
        return sectionEnd;
    }

    /**
     * The document at index as a {@link RawBsonDocument} over a copy of its bytes when {@link CanonicalBson} finds
     * them canonical (the insert then stores those bytes as they are), else as {@link BsonParser#parse} gives it
     * (or refuses it).
     */
    private static BsonDocument rawOrParsed(ByteBuf frame, int index, int available) {
        if (available >= 4) {
            int length = frame.getIntLE(index);
            if (length >= 5 && length <= available && length <= BsonParser.MAX_DOCUMENT_SIZE) {
                byte[] bytes = new byte[length];
                frame.getBytes(index, bytes);
                if (CanonicalBson.canonical(bytes)) {
                    return new RawBsonDocument(bytes);
                }
            }
        }
        return BsonParser.parse(frame, index, available);
    }

    private static void verifyChecksum(ByteBuf frame, int base, int end) {
        CRC32C crc = new CRC32C();
        crc.update(frame.nioBuffer(base, end));
        int expected = frame.getIntLE(base + end);
        if ((int) crc.getValue() != expected) {
            throw new WireProtocolException("OP_MSG checksum mismatch: computed 0x" + Integer.toHexString((int) crc.getValue())
                    + ", message carries 0x" + Integer.toHexString(expected));
        }
    }

    private static ArgonException invalidSequence(String detail) {
        return BsonParser.invalid("OP_MSG document sequence " + detail);
    }

    private static ArgonException protocolError(String message) {
        return new ArgonException(MongoErrorCode.PROTOCOL_ERROR, message);
    }
}
