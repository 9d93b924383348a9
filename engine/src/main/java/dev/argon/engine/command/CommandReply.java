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
 * @param next        the command whose reply follows this one in an exhaust stream, or null when this reply
 *                    cannot be streamed
 */
public record CommandReply(BsonDocument document, long awaitMillis, BsonDocument next) {

    public CommandReply {
        if (awaitMillis < 0) {
            throw new IllegalArgumentException("awaitMillis " + awaitMillis);
        }
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
