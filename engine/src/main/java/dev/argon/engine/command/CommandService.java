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
     * As {@link #run}, but a journaled write ({@code j: true}) may return before its fsync, with the reply's
     * {@link CommandReply#durableLsn()} set: the caller must then deliver it through {@link #whenDurable}, and
     * keep the connection's later requests waiting until it has (their order is the client's). No thread waits
     * for the fsync meanwhile. By default nothing is deferred.
     */
    default CommandReply runDeferringDurability(BsonDocument command, ClientContext client) {
        return run(command, client);
    }

    /**
     * Delivers a reply of {@link #runDeferringDurability} once its writes are durable: calls {@code send} with the
     * reply's document, or, if the fsync failed, with the error the command answers then. Never blocks; {@code send}
     * runs once, on whichever thread finished the sync (at once on this one if already durable).
     */
    default void whenDurable(BsonDocument command, CommandReply reply, java.util.function.Consumer<BsonDocument> send) {
        send.accept(reply.document());
    }

    /**
     * Runs a command {@link #quick} accepted on the calling thread, which must not wait: as
     * {@link #runDeferringDurability}, or null when it turned out that it would have to wait (a write whose branch
     * is locked by a longer write); nothing of it has run then, and the caller runs it the ordinary way.
     */
    default CommandReply runQuick(BsonDocument command, ClientContext client) {
        return runDeferringDurability(command, client);
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
