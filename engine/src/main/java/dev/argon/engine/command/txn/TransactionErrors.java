package dev.argon.engine.command.txn;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.session.RetryableErrors;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * The {@code TransientTransactionError} label, attached as mongod attaches it to an error reply of a command in a
 * transaction ({@code autocommit: false}): for 112 WriteConflict, 24 LockTimeout, 267 PreparedTransactionInProgress
 * and the snapshot errors; for 251 NoSuchTransaction except on a commit or abort whose reply carries a write
 * concern error; and, on a statement other than the commit or abort, for the retryable errors (NotWritablePrimary,
 * ShutdownInProgress and the rest of {@link RetryableErrors}), which the statement itself is never retried on.
 * Drivers retry the whole transaction on it ({@code withTransaction}). Stateless; thread-safe.
 */
public final class TransactionErrors {
    public static final String TRANSIENT = "TransientTransactionError";
    /** WriteConflict, LockTimeout, SnapshotTooOld, SnapshotUnavailable, PreparedTransactionInProgress. */
    private static final Set<Integer> TRANSIENT_CODES = Set.of(112, 24, 239, 246, 267);

    private TransactionErrors() {}

    /** Adds the label to reply when command runs in a transaction and reply is a transient error; returns reply. */
    public static BsonDocument label(BsonDocument command, BsonDocument reply) {
        BsonValue ac = command.get("autocommit");
        if (ac == null || !ac.isBoolean() || ac.asBoolean().getValue()) {
            return reply;
        }
        BsonValue ok = reply.get("ok");
        if (ok == null || !ok.isNumber() || ok.asNumber().doubleValue() != 0 || !reply.isNumber("code")) {
            return reply;
        }
        int code = reply.getNumber("code").intValue();
        String name = command.isEmpty() ? "" : command.getFirstKey();
        boolean ends = name.equals("commitTransaction") || name.equals("abortTransaction");
        boolean transient_ = TRANSIENT_CODES.contains(code)
                || (code == 251 && !(ends && reply.containsKey("writeConcernError")))
                || (!ends && RetryableErrors.retryable(code));
        if (transient_) {
            BsonValue labels = reply.get("errorLabels");
            BsonArray list = labels != null && labels.isArray() ? labels.asArray() : new BsonArray();
            if (!list.contains(new BsonString(TRANSIENT))) {
                list.add(new BsonString(TRANSIENT));
            }
            reply.put("errorLabels", list);
        }
        return reply;
    }

    /**
     * Appends the write concern error a one-member replica set gives to a commit or abort whose {@code w} asks for
     * more members than there are (100 UnsatisfiableWriteConcern): the commit itself is done, as on mongod.
     */
    static BsonDocument writeConcern(org.bson.BsonDocument command, BsonDocument reply) {
        BsonValue wc = command.get("writeConcern");
        if (wc != null && wc.isDocument() && wc.asDocument().isNumber("w") && wc.asDocument().getNumber("w").intValue() > 1) {
            reply.append("writeConcernError", new BsonDocument("code", new org.bson.BsonInt32(100))
                    .append("codeName", new BsonString("UnsatisfiableWriteConcern"))
                    .append("errmsg", new BsonString("Not enough data-bearing nodes")));
        }
        return reply;
    }

    static ArgonException outsideTransaction(String name) {
        return new ArgonException(MongoErrorCode.NO_SUCH_TRANSACTION, name + " must be run in a transaction (with lsid, "
                + "txnNumber and autocommit: false)");
    }
}
