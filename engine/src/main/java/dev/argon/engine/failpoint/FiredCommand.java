package dev.argon.engine.failpoint;

import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * What a {@code failCommand} fail point that fired for one command asks of the dispatcher: raise an error instead
 * of running the command ({@code errorCode}, or {@code closeConnection}, whose connection the wire layer closes
 * instead of replying), or run it and append a {@code writeConcernError}; and, when the data names
 * {@code errorLabels}, give the reply exactly those labels instead of the ones the server would attach. Immutable.
 */
public final class FiredCommand {
    /**
     * MongoDB's NotPrimaryError and ShutdownError codes: mongod's replies with them carry its topologyVersion,
     * and a driver takes an error whose topologyVersion is not newer than the one it knows as stale. Without it,
     * a staged NotWritablePrimary would make the driver mark the server unknown and wait for its next heartbeat.
     */
    private static final Set<Integer> STATE_CHANGE_CODES = Set.of(10107, 13435, 13436, 189, 11602, 11600, 91, 10058);
    private final FailPointError error;
    private final BsonDocument writeConcernError;
    private final BsonArray errorLabels;

    FiredCommand(FailPointError error, BsonDocument writeConcernError, BsonArray errorLabels) {
        this.error = error;
        this.writeConcernError = writeConcernError;
        this.errorLabels = errorLabels;
    }

    /** The error to raise in place of the command, or null when the command is to run. */
    public FailPointError error() {
        return error;
    }

    /**
     * Finishes the reply after the server's own labels were attached: appends the write concern error to a reply
     * of a command that ran, replaces the labels when the data named them (an empty list means none), and gives a
     * state-change error the server's topologyVersion.
     */
    public BsonDocument finish(BsonDocument reply, BsonDocument topologyVersion) {
        if (error != null && STATE_CHANGE_CODES.contains(error.code()) && !reply.containsKey("topologyVersion")) {
            reply.put("topologyVersion", topologyVersion);
        }
        boolean ok = reply.isNumber("ok") && reply.getNumber("ok").doubleValue() == 1.0;
        if (error == null && writeConcernError != null && ok) {
            reply.put("writeConcernError", writeConcernError.clone());
        }
        if (errorLabels != null && (!ok || writeConcernError != null)) {
            if (errorLabels.isEmpty()) {
                reply.remove("errorLabels");
            } else {
                reply.put("errorLabels", errorLabels.clone());
            }
        }
        return reply;
    }

    static FiredCommand of(BsonDocument data, boolean close) {
        FailPointError error = null;
        BsonValue code = data.get("errorCode");
        if (close) {
            // Never sent: the wire layer closes the connection; the command must not run all the same.
            error = new FailPointError(9001, "Failing command via 'failCommand' failpoint: closing the connection");
        } else if (code != null && code.isNumber()) {
            error = new FailPointError(code.asNumber().intValue(), "Failing command via 'failCommand' failpoint");
        }
        BsonDocument wce = data.isDocument("writeConcernError") ? data.getDocument("writeConcernError") : null;
        BsonArray labels = data.isArray("errorLabels") ? data.getArray("errorLabels") : null;
        return new FiredCommand(error, wce, labels);
    }
}
