package dev.argon.proxy.wire;

import org.bson.BsonDocument;

/**
 * A reply ready for {@link ReplyEncoder}.
 *
 * @param responseTo the request's id
 * @param opCode     {@link OpCode#OP_MSG}, or {@link OpCode#OP_REPLY} for a legacy {@code OP_QUERY}
 * @param compressor compress with this (the request's compressor), or null to send uncompressed
 * @param document   the reply document
 */
public record WireReply(int responseTo, int opCode, Compressor compressor, BsonDocument document) {
}
