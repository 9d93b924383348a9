package dev.argon.proxy.wire;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * A legacy {@code OP_QUERY}, accepted only as a command on {@code <db>.$cmd}: drivers still send their first
 * handshake ({@code isMaster}) this way before they know the server speaks {@code OP_MSG}. The reply is an
 * {@code OP_REPLY}. Queries on collections were removed from MongoDB and are answered with an error.
 *
 * <p>Layout after the header: {@code int32 flags, cstring fullCollectionName, int32 numberToSkip,
 * int32 numberToReturn, document query, [document returnFieldsSelector]}.
 *
 * @param fullCollectionName {@code <db>.$cmd}
 * @param command            the query document, unwrapped from {@code $query}/{@code query} and with {@code $db} set
 */
public record OpQuery(String fullCollectionName, BsonDocument command) {
    private static final String COMMAND_COLLECTION = ".$cmd";

    /**
     * Decodes a whole message (header included, starting at {@code frame}'s reader index).
     *
     * @throws ArgonException if the message is intact but not a command this server accepts
     */
    static OpQuery decode(ByteBuf frame) {
        int base = frame.readerIndex();
        int length = frame.readableBytes();
        int pos = MsgHeader.LENGTH + 4; // flags: tailable, slaveOk and friends mean nothing for a command
        int nul = pos < length ? frame.indexOf(base + pos, base + length, (byte) 0) : -1;
        if (nul < 0) {
            throw BsonParser.invalid("OP_QUERY fullCollectionName is not terminated");
        }
        String namespace = frame.toString(base + pos, nul - base - pos, StandardCharsets.UTF_8);
        pos = nul - base + 1 + 8; // numberToSkip and numberToReturn do not apply to commands
        if (pos > length) {
            throw BsonParser.invalid("OP_QUERY ends before its query document");
        }
        BsonDocument query = BsonParser.parse(frame, base + pos, length - pos);
        pos += frame.getIntLE(base + pos);
        if (pos < length) {
            // The returnFieldsSelector is ignored for commands but must still be well-formed.
            BsonParser.parse(frame, base + pos, length - pos);
            pos += frame.getIntLE(base + pos);
            if (pos != length) {
                throw BsonParser.invalid("OP_QUERY has " + (length - pos) + " bytes after its documents");
            }
        }
        int dot = namespace.indexOf('.');
        if (!namespace.endsWith(COMMAND_COLLECTION) || dot <= 0 || dot != namespace.length() - COMMAND_COLLECTION.length()) {
            throw new ArgonException(MongoErrorCode.PROTOCOL_ERROR,
                    "OP_QUERY is supported only for commands on <db>.$cmd, not on '" + namespace + "'; use OP_MSG");
        }
        BsonDocument command = unwrap(query);
        command.put("$db", new BsonString(namespace.substring(0, dot)));
        return new OpQuery(namespace, command);
    }

    /**
     * Old drivers wrap the command as {@code {$query: {...}, $readPreference: {...}}} (or {@code query}) when they
     * pass a read preference. Only a wrapper in first position counts: {@code count} has a real {@code query} field.
     */
    private static BsonDocument unwrap(BsonDocument query) {
        if (query.isEmpty()) {
            return query;
        }
        String first = query.getFirstKey();
        if (!(first.equals("$query") || first.equals("query")) || !query.isDocument(first)) {
            return query;
        }
        BsonDocument command = query.getDocument(first);
        for (Map.Entry<String, BsonValue> field : query.entrySet()) {
            if (field.getKey().equals("$readPreference") && !command.containsKey("$readPreference")) {
                command.put(field.getKey(), field.getValue());
            }
        }
        return command;
    }
}
