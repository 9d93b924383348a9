package dev.argon.engine.command;

import org.bson.BsonDocument;

/**
 * What the wire layer calls for every command. The command document is complete: OP_MSG kind-1 document
 * sequences are already merged in as array fields and {@code $db} is present. The reply is always a document:
 * failures come back as {@code {ok: 0, errmsg, code, codeName}}, never as an exception. Thread-safe.
 */
public interface CommandService {
    /** Runs the command and returns its reply at once (an awaitable {@code hello} is answered without waiting). */
    BsonDocument execute(BsonDocument command, ClientContext client);

    /**
     * Runs the command and says how its reply may be delivered: held back for a while, or streamed (see
     * {@link CommandReply}). Nothing here waits; a caller that cannot hold a reply back uses {@link #execute}.
     * By default every reply goes out at once.
     */
    default CommandReply run(BsonDocument command, ClientContext client) {
        return CommandReply.now(execute(command, client));
    }

    /**
     * True when the command is known to take microseconds and never to wait (no lock, no fsync, no cursor left
     * open, no timer, no fail point): the wire layer may then run it on the thread that read it instead of handing
     * it to a command thread and back. Must itself be cheap and never throw. By default nothing qualifies.
     */
    default boolean quick(BsonDocument command, ClientContext client) {
        return false;
    }
}
