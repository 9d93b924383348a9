package dev.argon.engine.command;

import org.bson.BsonDocument;

/**
 * A command's reply and how the wire layer may deliver it. Almost every reply goes out at once and once. An
 * awaitable {@code hello} (one that carries the server's own {@code topologyVersion} and a {@code maxAwaitTimeMS})
 * is answered only when the topology changes or the time runs out; the engine says so here instead of blocking a
 * thread, and the wire layer holds the reply back. A reply with a {@code next} command may also be streamed: when
 * the request allows exhaust, the wire layer sends it flagged {@code moreToCome} and then delivers the reply to
 * {@code next} the same way, and so on until the connection closes or a reply is an error.
 *
 * <p>Immutable (the documents are handed over, not shared).
 *
 * @param document    the reply document
 * @param awaitMillis how long to hold the reply back before sending it: 0 for at once
 * <p>A reply to a journaled write run by {@link CommandService#runDeferringDurability} may come back before
 * its fsync: {@code durableLsn} then names the LSN it waits for, and the wire layer hands it to
 * {@link CommandService#whenDurable}, which delivers it (or the error a failed fsync makes of it) once durable.
 *
 * @param next        the command whose reply follows this one in an exhaust stream, or null when this reply
 *                    cannot be streamed
 * @param durableLsn  the LSN that must be on stable storage before this reply goes out, or -1
 */
public record CommandReply(BsonDocument document, long awaitMillis, BsonDocument next, long durableLsn) {

    public CommandReply {
        if (awaitMillis < 0) {
            throw new IllegalArgumentException("awaitMillis " + awaitMillis);
        }
    }

    public CommandReply(BsonDocument document, long awaitMillis, BsonDocument next) {
        this(document, awaitMillis, next, -1);
    }

    /** This reply, to go out only once {@code lsn} is durable. */
    CommandReply durableAt(long lsn) {
        return new CommandReply(document, awaitMillis, next, lsn);
    }

    /** A reply to send at once, with nothing to stream after it. */
    public static CommandReply now(BsonDocument document) {
        return new CommandReply(document, 0, null);
    }

    /** True for {@code ok: 1} (a streamed reply must be one: an error ends the stream). */
    public boolean ok() {
        return document.isNumber("ok") && document.getNumber("ok").doubleValue() == 1.0;
    }
}
