package dev.argon.engine.session;

import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * The {@code RetryableWriteError} label, attached as servers of wire version 9 and above attach it: to an error
 * reply of a retryable write (a command with {@code txnNumber} and no {@code autocommit}) whose top-level
 * {@code code}, or {@code writeConcernError.code}, is one of the retryable codes of the retryable-writes
 * specification. Drivers of such servers retry on the label, never on the code. Stateless; thread-safe.
 */
public final class RetryableErrors {
    public static final String LABEL = "RetryableWriteError";

    /**
     * From mongodb/specifications source/retryable-writes/retryable-writes.md, "Determining Retryable Write
     * Errors": InterruptedAtShutdown, InterruptedDueToReplStateChange, NotWritablePrimary, NotPrimaryNoSecondaryOk,
     * NotPrimaryOrSecondary, PrimarySteppedDown, ShutdownInProgress, HostNotFound, HostUnreachable,
     * NetworkTimeout, SocketException, ExceededTimeLimit.
     */
    static final Set<Integer> CODES = Set.of(11600, 11602, 10107, 13435, 13436, 189, 91, 7, 6, 89, 9001, 262);

    private RetryableErrors() {}

    public static boolean retryable(int code) {
        return CODES.contains(code);
    }

    /** Adds the label to reply when command is a retryable write and reply is a retryable error; returns reply. */
    public static BsonDocument label(BsonDocument command, BsonDocument reply) {
        String name = command.isEmpty() ? "" : command.getFirstKey();
        boolean endsTransaction = name.equals("commitTransaction") || name.equals("abortTransaction");
        // A transaction's commit and abort are retryable as writes are; its other statements are not.
        if (!command.containsKey("txnNumber") || (command.containsKey("autocommit") && !endsTransaction)) {
            return reply;
        }
        boolean failed = reply.containsKey("ok") && reply.get("ok").isNumber() && reply.get("ok").asNumber().doubleValue() == 0;
        boolean retry = failed && code(reply) != null && retryable(code(reply));
        BsonValue wce = reply.get("writeConcernError");
        if (!retry && wce != null && wce.isDocument()) {
            Integer c = code(wce.asDocument());
            retry = c != null && retryable(c);
        }
        if (retry) {
            BsonValue labels = reply.get("errorLabels");
            BsonArray list = labels != null && labels.isArray() ? labels.asArray() : new BsonArray();
            if (!list.contains(new BsonString(LABEL))) {
                list.add(new BsonString(LABEL));
            }
            reply.put("errorLabels", list);
        }
        return reply;
    }

    private static Integer code(BsonDocument d) {
        BsonValue c = d.get("code");
        return c != null && c.isNumber() ? c.asNumber().intValue() : null;
    }
}
