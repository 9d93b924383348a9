package dev.argon.proxy.wire;

import org.bson.BsonDocument;

/**
 * A reply ready for {@link ReplyEncoder}.
 *
 * @param requestId  the reply's own id, or 0 to let the encoder assign one; a streamed reply takes its id from
 *                   {@link ReplyEncoder#nextRequestId()} up front, because the reply after it names that id
 * @param responseTo the request's id, or in an exhaust stream the previous reply's id
 * @param opCode     {@link OpCode#OP_MSG}, or {@link OpCode#OP_REPLY} for a legacy {@code OP_QUERY}
 * @param moreToCome set the OP_MSG {@code moreToCome} flag: more replies to the same request follow
 * @param compressor compress with this (the request's compressor), or null to send uncompressed
 * @param document   the reply document
 */
public record WireReply(int requestId, int responseTo, int opCode, boolean moreToCome, Compressor compressor,
                        BsonDocument document) {

    /** A single reply to request {@code responseTo}, with an id assigned by the encoder. */
    public WireReply(int responseTo, int opCode, Compressor compressor, BsonDocument document) {
        this(0, responseTo, opCode, false, compressor, document);
    }
}
