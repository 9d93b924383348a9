package dev.argon.proxy.wire;

import org.bson.BsonDocument;

/**
 * One decoded request, whatever its opCode: what the connection handler runs and how to answer it. Exactly one of
 * {@code command} and {@code rejection} is set: a request whose message was intact but whose content was not a
 * valid command carries the error reply the client should get instead.
 *
 * @param requestId  the client's id, echoed in the reply's {@code responseTo}
 * @param opCode     {@link OpCode#OP_MSG} or {@link OpCode#OP_QUERY} (after decompression); decides the reply's shape
 * @param moreToCome the client wants no reply
 * @param exhaustAllowed the client accepts several replies to this request (OP_MSG {@code exhaustAllowed})
 * @param compressor the request's compressor, or null if it came uncompressed; the reply uses the same
 * @param command    the command to run, with {@code $db} set, or null
 * @param rejection  the error reply to send without running anything, or null
 */
public record WireRequest(int requestId, int opCode, boolean moreToCome, boolean exhaustAllowed, Compressor compressor,
                          BsonDocument command, BsonDocument rejection) {

    public static WireRequest command(int requestId, int opCode, boolean moreToCome, boolean exhaustAllowed,
                                      Compressor compressor, BsonDocument command) {
        return new WireRequest(requestId, opCode, moreToCome, exhaustAllowed, compressor, command, null);
    }

    public static WireRequest rejected(int requestId, int opCode, boolean moreToCome, Compressor compressor,
                                       BsonDocument rejection) {
        return new WireRequest(requestId, opCode, moreToCome, false, compressor, null, rejection);
    }

    /** The reply to this request carrying {@code document}. */
    public WireReply reply(BsonDocument document) {
        return new WireReply(requestId, opCode == OpCode.OP_QUERY ? OpCode.OP_REPLY : OpCode.OP_MSG, compressor, document);
    }

    /**
     * One reply of an exhaust stream answering this request: {@code responseTo} is the request's id for the first
     * reply and the previous reply's id after that, as mongod sends them.
     */
    public WireReply streamed(int replyId, int responseTo, boolean moreToCome, BsonDocument document) {
        return new WireReply(replyId, responseTo, OpCode.OP_MSG, moreToCome, compressor, document);
    }

    /** The command's name (its first key) for logs, or "-" for a rejected request. */
    public String commandName() {
        return command == null || command.isEmpty() ? "-" : command.getFirstKey();
    }
}
