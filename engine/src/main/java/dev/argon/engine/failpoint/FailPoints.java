package dev.argon.engine.failpoint;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.command.ClientContext;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The registry of fail points of one engine, and the requests to close a connection instead of replying that
 * fired fail points leave for the wire layer. Thread-safe.
 */
public final class FailPoints {
    /** mongod's fail point for retryable writes: drop the connection after the write, or fail before its commit. */
    public static final String ON_PRIMARY_TRANSACTIONAL_WRITE = "onPrimaryTransactionalWrite";

    private final Map<String, FailPoint> points = Map.of(
            ON_PRIMARY_TRANSACTIONAL_WRITE, new FailPoint(ON_PRIMARY_TRANSACTIONAL_WRITE));
    /** Clients whose current command must end with a closed connection; identity is the connection's context. */
    private final Set<ClientContext> closeRequests = ConcurrentHashMap.newKeySet();

    /** The fail point of that name; 266 FailPointSetFailed, as on mongod, for a name Argon does not have. */
    public FailPoint get(String name) {
        FailPoint p = points.get(name);
        if (p == null) {
            throw new ArgonException(MongoErrorCode.FAIL_POINT_SET_FAILED, name + " not found");
        }
        return p;
    }

    /** Sets a fail point's mode and data; returns how often it had fired before. */
    public long configure(String name, BsonValue mode, BsonDocument data) {
        FailPoint p = get(name);
        if (data != null && data.containsKey("failBeforeCommitExceptionCode")) {
            FailPoint.code(data.get("failBeforeCommitExceptionCode"), "failBeforeCommitExceptionCode");
        }
        return p.configure(mode, data);
    }

    /**
     * Evaluates {@code onPrimaryTransactionalWrite} for a write about to be applied on behalf of client: when it
     * fires, asks for the connection to be closed instead of replying (unless its data says
     * {@code closeConnection: false}), then throws its {@code failBeforeCommitExceptionCode} if it has one, so
     * that the write is not committed.
     */
    public void onTransactionalWrite(ClientContext client) {
        BsonDocument data = points.get(ON_PRIMARY_TRANSACTIONAL_WRITE).evaluate();
        if (data == null) {
            return;
        }
        BsonValue close = data.get("closeConnection");
        if (client != null && (close == null || (close.isBoolean() ? close.asBoolean().getValue() : close.isNumber() && close.asNumber().intValue() != 0))) {
            closeRequests.add(client);
        }
        BsonValue code = data.get("failBeforeCommitExceptionCode");
        if (code != null) {
            throw new ArgonException(FailPoint.code(code, "failBeforeCommitExceptionCode"),
                    "Failing write for " + ON_PRIMARY_TRANSACTIONAL_WRITE + " fail point");
        }
    }

    /**
     * Asked by the wire layer once a command of this client has run: true (once) when a fail point wants the
     * connection closed instead of the reply written.
     */
    public boolean closeInsteadOfReplying(ClientContext client) {
        return client != null && !closeRequests.isEmpty() && closeRequests.remove(client);
    }
}
