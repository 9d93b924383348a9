package dev.argon.engine.command;

import org.bson.BsonDocument;

/**
 * What the wire layer calls for every command. The command document is complete: OP_MSG kind-1 document
 * sequences are already merged in as array fields and {@code $db} is present. The reply is always a document:
 * failures come back as {@code {ok: 0, errmsg, code, codeName}}, never as an exception. Thread-safe.
 */
public interface CommandService {
    BsonDocument execute(BsonDocument command, ClientContext client);
}
