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

    /** mongod's general fail point: make the commands it names fail, close the connection, stall or report a write concern error. */
    public static final String FAIL_COMMAND = "failCommand";
    /** mongod's fail point that makes a getMore fail once it has its cursor. */
    public static final String FAIL_GET_MORE_AFTER_CURSOR_CHECKOUT = "failGetMoreAfterCursorCheckout";
    /** The longest {@code blockTimeMS} honoured, so that a mistyped test cannot hang a pool thread for hours. */
    static final long MAX_BLOCK_MILLIS = 60_000;

    private final Map<String, FailPoint> points = Map.of(
            ON_PRIMARY_TRANSACTIONAL_WRITE, new FailPoint(ON_PRIMARY_TRANSACTIONAL_WRITE),
            FAIL_COMMAND, new FailPoint(FAIL_COMMAND),
            FAIL_GET_MORE_AFTER_CURSOR_CHECKOUT, new FailPoint(FAIL_GET_MORE_AFTER_CURSOR_CHECKOUT));
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
        if (name.equals(FAIL_COMMAND) && data != null && !data.isEmpty()) {
            checkFailCommandData(data);
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

    /** Whether {@code failCommand} is on at all: a lock-free read, so that the common case costs every command nothing. */
    public boolean failCommandArmed() {
        return points.get(FAIL_COMMAND).armed();
    }

    /**
     * Evaluates {@code failCommand} for a command about to run on behalf of client, under any of names (the name
     * sent and the command's own, so that {@code isMaster} and {@code hello} are both matched): null when it does
     * not apply or does not fire. It applies when its {@code failCommands} list one of the names and, if its data has
     * an {@code appName}, the client's handshake named that application; never to {@code configureFailPoint}, so
     * that a test can always switch it off. When it fires, {@code blockConnection} with {@code blockTimeMS} stalls
     * the calling thread first, and {@code closeConnection} asks the wire layer to close the connection.
     */
    public FiredCommand failCommand(Set<String> names, ClientContext client) {
        if (!failCommandArmed()) {
            return null;
        }
        if (names.contains("configureFailPoint")) {
            return null;
        }
        String appName = client == null ? null : client.appName();
        BsonDocument data = points.get(FAIL_COMMAND).evaluate(d -> appliesTo(d, names, appName));
        if (data == null) {
            return null;
        }
        if (truthy(data.get("blockConnection")) && data.isNumber("blockTimeMS")) {
            sleep(Math.min(MAX_BLOCK_MILLIS, data.getNumber("blockTimeMS").longValue()));
        }
        boolean close = truthy(data.get("closeConnection")) && client != null;
        if (close) {
            closeRequests.add(client);
        }
        return FiredCommand.of(data, close);
    }

    /**
     * Evaluates {@code failGetMoreAfterCursorCheckout} for a getMore: throws the error of its data's
     * {@code errorCode} (default 1 InternalError) when it fires, and with {@code closeConnection: true} asks for
     * the connection to be closed as well.
     */
    public void onGetMore(ClientContext client) {
        BsonDocument data = points.get(FAIL_GET_MORE_AFTER_CURSOR_CHECKOUT).evaluate();
        if (data == null) {
            return;
        }
        if (truthy(data.get("closeConnection")) && client != null) {
            closeRequests.add(client);
        }
        int code = data.isNumber("errorCode") ? data.getNumber("errorCode").intValue() : MongoErrorCode.INTERNAL_ERROR.code();
        throw new FailPointError(code, "Hit the '" + FAIL_GET_MORE_AFTER_CURSOR_CHECKOUT + "' failpoint");
    }

    private static boolean appliesTo(BsonDocument data, Set<String> names, String appName) {
        if (data.isString("appName") && !data.getString("appName").getValue().equals(appName)) {
            return false;
        }
        if (!data.isArray("failCommands")) {
            return false;
        }
        for (BsonValue v : data.getArray("failCommands")) {
            if (v.isString() && names.contains(v.asString().getValue())) {
                return true;
            }
        }
        return false;
    }

    /** The shape checks mongod makes, so that a typo is an error at configure time rather than a silent no-op. */
    private static void checkFailCommandData(BsonDocument data) {
        BsonValue fc = data.get("failCommands");
        if (fc == null || !fc.isArray()) {
            throw ArgonException.badValue("failCommand needs 'data.failCommands', an array of command names");
        }
        for (BsonValue v : fc.asArray()) {
            if (!v.isString()) {
                throw ArgonException.typeMismatch("'data.failCommands' must hold command names (strings); got " + v);
            }
        }
        if (data.containsKey("errorCode") && !data.isNumber("errorCode")) {
            throw ArgonException.typeMismatch("'data.errorCode' must be a number");
        }
        if (data.containsKey("blockTimeMS") && (!data.isNumber("blockTimeMS") || data.getNumber("blockTimeMS").longValue() < 0)) {
            throw ArgonException.badValue("'data.blockTimeMS' must be a non-negative number");
        }
        if (data.containsKey("errorLabels") && !data.isArray("errorLabels")) {
            throw ArgonException.typeMismatch("'data.errorLabels' must be an array of strings");
        }
        if (data.containsKey("writeConcernError") && !data.isDocument("writeConcernError")) {
            throw ArgonException.typeMismatch("'data.writeConcernError' must be a document");
        }
        if (data.containsKey("appName") && !data.isString("appName")) {
            throw ArgonException.typeMismatch("'data.appName' must be a string");
        }
    }

    private static boolean truthy(BsonValue v) {
        return v != null && (v.isBoolean() ? v.asBoolean().getValue() : v.isNumber() && v.asNumber().doubleValue() != 0);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
