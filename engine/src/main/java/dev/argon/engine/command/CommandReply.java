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
 * @param afterCommit the command's commit that the WAL is still writing, whose outcome the reply waits for, or
 *                    null (a small write on the event loop: see {@code WriteSession.commitDetached})
 */
public record CommandReply(BsonDocument document, long awaitMillis, BsonDocument next, long durableLsn, AfterCommit afterCommit) {

    public CommandReply {
        if (awaitMillis < 0) {
            throw new IllegalArgumentException("awaitMillis " + awaitMillis);
        }
    }

    public CommandReply(BsonDocument document, long awaitMillis, BsonDocument next, long durableLsn) {
        this(document, awaitMillis, next, durableLsn, null);
    }

    public CommandReply(BsonDocument document, long awaitMillis, BsonDocument next) {
        this(document, awaitMillis, next, -1);
    }

    /** This reply, to go out only once {@code lsn} is durable. */
    CommandReply durableAt(long lsn) {
        return new CommandReply(document, awaitMillis, next, lsn, afterCommit);
    }

    /** This reply, to go out only once the command's detached commit is written (and durable, if journaled). */
    CommandReply after(AfterCommit commit) {
        return new CommandReply(document, awaitMillis, next, durableLsn, commit);
    }

    /**
     * True when the reply must not go out yet: it waits for an fsync ({@code durableLsn}) or for a commit the WAL
     * is still writing ({@code afterCommit}); the caller delivers it through {@link CommandService#whenDurable}.
     */
    public boolean deferred() {
        return durableLsn > 0 || afterCommit != null;
    }

    /** True when the reply waits for an fsync ({@code j: true}), directly or after its detached commit. */
    public boolean waitsForFsync() {
        return durableLsn > 0 || (afterCommit != null && afterCommit.journaled());
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
