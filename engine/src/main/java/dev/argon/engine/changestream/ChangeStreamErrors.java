package dev.argon.engine.changestream;

import dev.argon.engine.cursor.CursorManager;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * The error labels of change-stream commands, as mongod attaches them to an {@code aggregate} with
 * {@code $changeStream} or a {@code getMore} on a change stream's cursor: {@code ResumableChangeStreamError} on the
 * retryable, network and re-targeting codes (drivers of wire version 9 and above resume on the label, never on the
 * code), {@code NonResumableChangeStreamError} on 280 ChangeStreamFatalError and 286 ChangeStreamHistoryLost.
 * mongod decides this from the operation's cursor, so an error a {@code failCommand} fail point raises before the
 * cursor is checked out gets no label; the dispatcher asks {@link #concerns} before the command runs, since a
 * failed getMore retires its cursor. Stateless; thread-safe.
 */
public final class ChangeStreamErrors {
    public static final String RESUMABLE = "ResumableChangeStreamError";
    public static final String NON_RESUMABLE = "NonResumableChangeStreamError";

    /**
     * mongod's ErrorCodes::isRetriableError, network errors, isNeedRetargettingError (StaleShardVersion,
     * StaleEpoch, StaleConfig), RetryChangeStream and FailedToSatisfyReadPreference.
     */
    private static final Set<Integer> RESUMABLE_CODES = Set.of(6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435,
            13436, 63, 150, 13388, 234, 133);
    private static final Set<Integer> NON_RESUMABLE_CODES = Set.of(280, 286);
    /**
     * NotPrimaryError and ShutdownError codes: mongod's replies with them carry its topologyVersion, and a driver
     * takes one whose topologyVersion is not newer than the one it knows as stale. Without it, the driver marks
     * the server unknown and waits for the next heartbeat before it resumes the stream.
     */
    private static final Set<Integer> STATE_CHANGE_CODES = Set.of(10107, 13435, 13436, 189, 11602, 11600, 91, 10058);

    private ChangeStreamErrors() {
    }

    /** Whether command opens a change stream or reads one: its errors get the change-stream labels. */
    public static boolean concerns(BsonDocument command, CursorManager cursors) {
        if (command.isEmpty()) {
            return false;
        }
        String name = command.getFirstKey();
        if (name.equals("getMore")) {
            BsonValue id = command.get("getMore");
            return id != null && id.isInt64() && cursors.tailable(id.asInt64().getValue());
        }
        if (name.equals("aggregate")) {
            BsonValue p = command.get("pipeline");
            return p != null && p.isArray() && !p.asArray().isEmpty() && p.asArray().get(0).isDocument()
                    && p.asArray().get(0).asDocument().containsKey("$changeStream");
        }
        return false;
    }

    /**
     * Adds the label that the reply's error code calls for, if any, and to a state-change error the server's
     * topologyVersion; returns reply.
     */
    public static BsonDocument label(BsonDocument reply, BsonDocument topologyVersion) {
        BsonValue ok = reply.get("ok");
        BsonValue code = reply.get("code");
        if (ok == null || !ok.isNumber() || ok.asNumber().doubleValue() != 0 || code == null || !code.isNumber()) {
            return reply;
        }
        int c = code.asNumber().intValue();
        if (STATE_CHANGE_CODES.contains(c) && !reply.containsKey("topologyVersion")) {
            reply.put("topologyVersion", topologyVersion);
        }
        String label = RESUMABLE_CODES.contains(c) ? RESUMABLE : NON_RESUMABLE_CODES.contains(c) ? NON_RESUMABLE : null;
        if (label != null) {
            BsonValue labels = reply.get("errorLabels");
            BsonArray list = labels != null && labels.isArray() ? labels.asArray() : new BsonArray();
            if (!list.contains(new BsonString(label))) {
                list.add(new BsonString(label));
            }
            reply.put("errorLabels", list);
        }
        return reply;
    }
}
