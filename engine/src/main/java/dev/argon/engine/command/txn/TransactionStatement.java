package dev.argon.engine.command.txn;

import dev.argon.engine.ArgonException;
import dev.argon.engine.Engine;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.command.Target;
import dev.argon.engine.session.ReadConcern;
import dev.argon.engine.session.Transaction;
import dev.argon.engine.session.TxnId;
import dev.argon.engine.session.TxnSession;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Runs one command of a multi-document transaction (a command with {@code autocommit: false}), with mongod's
 * rules: {@code startTransaction: true} starts transaction {@code txnNumber} (an older number than the session's
 * newest is 225 TransactionTooOld, the same one again 117); any other statement must name the session's
 * transaction in progress (else 251 NoSuchTransaction); only the first statement may carry {@code readConcern}
 * and only commit and abort {@code writeConcern} (72); commands MongoDB refuses inside a transaction answer 263;
 * a transaction older than {@code transactionLifetimeLimitSeconds} is aborted. The first statement fixes the
 * branch and the snapshot (its {@code readConcern.atClusterTime}, else the head now). Any error, and a reply with
 * {@code writeErrors}, aborts the transaction. Stateless.
 */
public final class TransactionStatement {
    /** What mongod 7.0 runs inside a transaction. */
    static final Set<String> ALLOWED = Set.of("abortTransaction", "aggregate", "bulkWrite", "commitTransaction", "create",
            "createIndexes", "delete", "distinct", "find", "findAndModify", "getMore", "insert", "killCursors", "update");

    private TransactionStatement() {}

    public static BsonDocument run(CommandContext ctx, CommandHandler handler, String name) {
        BsonDocument cmd = ctx.command();
        BsonValue autocommit = cmd.get("autocommit");
        if (!autocommit.isBoolean()) {
            throw ArgonException.typeMismatch("BSON field 'OperationSessionInfo.autocommit' is the wrong type '"
                    + CommandContext.typeName(autocommit) + "', expected type 'bool'");
        }
        if (autocommit.asBoolean().getValue()) {
            throw new ArgonException(MongoErrorCode.INVALID_OPTIONS, "autocommit:true is not supported");
        }
        boolean start = false;
        BsonValue st = cmd.get("startTransaction");
        if (st != null) {
            if (!st.isBoolean() || !st.asBoolean().getValue()) {
                throw new ArgonException(MongoErrorCode.INVALID_OPTIONS, "startTransaction, if specified, must be true");
            }
            start = true;
        }
        TxnId id = TxnId.ofTransaction(cmd);
        Engine engine = ctx.engine();
        boolean ends = name.equals("commitTransaction") || name.equals("abortTransaction");
        try (TxnSession ts = engine.sessions().checkOutTransaction(id)) {
            long n = id.txnNumber();
            Transaction t = ts.transaction();
            long highest = ts.highestTxnNumber();
            ReadConcern rc = ReadConcern.of(cmd);
            if (start) {
                if (n < highest) {
                    throw new ArgonException(MongoErrorCode.TRANSACTION_TOO_OLD, "Cannot start transaction " + n + " on session "
                            + id.sessionText() + " because a newer transaction with txnNumber " + highest
                            + " has already started on this session.");
                }
                if (n == highest) {
                    throw new ArgonException(MongoErrorCode.CONFLICTING_OPERATION_IN_PROGRESS, "Cannot start a transaction at "
                            + "given transaction number " + n + " on session " + id.sessionText()
                            + ": a transaction or retryable write with the same number has already run");
                }
                if (!ALLOWED.contains(name) || ends) {
                    throw notAllowed(name);
                }
                checkReadConcern(rc);
                t = ts.start(n);
            } else {
                if (t == null || t.txnNumber() != n) {
                    if (name.equals("commitTransaction") && ts.recordedCommit(n)) {
                        // A commit retried after its reply was lost (and the server restarted): it did commit.
                        return TransactionErrors.writeConcern(cmd, new BsonDocument());
                    }
                    if (n < highest) {
                        throw new ArgonException(MongoErrorCode.TRANSACTION_TOO_OLD, "txnNumber " + n + " is older than the "
                                + "session's newest, " + highest);
                    }
                    throw new ArgonException(MongoErrorCode.NO_SUCH_TRANSACTION, "Given transaction number " + n
                            + " does not match any in-progress transactions. The active transaction number is " + highest);
                }
                if (cmd.containsKey("readConcern")) {
                    throw new ArgonException(MongoErrorCode.INVALID_OPTIONS,
                            "Only the first command in a transaction may specify a readConcern");
                }
            }
            if (t.state() == Transaction.State.IN_PROGRESS
                    && ts.now() - t.startMillis() > engine.sessions().transactionLifetimeSeconds() * 1000L) {
                ts.abort(t, "it exceeded transactionLifetimeLimitSeconds (" + engine.sessions().transactionLifetimeSeconds() + ")");
            }
            switch (t.state()) {
                case COMMITTED -> {
                    if (name.equals("commitTransaction")) {
                        // Retried commit: answered from the session's record, as mongod does.
                        return TransactionErrors.writeConcern(cmd, new BsonDocument());
                    }
                    throw new ArgonException(MongoErrorCode.TRANSACTION_COMMITTED, "Transaction " + n + " has been committed.");
                }
                case ABORTED -> throw new ArgonException(MongoErrorCode.NO_SUCH_TRANSACTION, "Transaction " + n
                        + " has been aborted" + (t.abortReason() == null ? "." : " because " + t.abortReason() + "."));
                default -> { }
            }
            try {
                if (!ALLOWED.contains(name)) {
                    throw notAllowed(name);
                }
                if (!ends && cmd.containsKey("writeConcern")) {
                    throw new ArgonException(MongoErrorCode.INVALID_OPTIONS, "Cannot set write concern after starting a transaction.");
                }
                if (!ends) {
                    bind(ctx, t, rc);
                    t.comment(ctx.comment());
                }
                ctx.inTransaction(t, ts);
                BsonDocument reply = handler.handle(ctx);
                writeConflictOf(reply);
                if (reply.containsKey("writeErrors")) {
                    // As on mongod: a statement that failed in part ends the transaction.
                    ts.abort(t, "a statement failed");
                }
                return reply;
            } catch (RuntimeException e) {
                ts.abort(t, null);
                throw e;
            }
        }
    }

    /**
     * A write conflict inside a transaction fails the whole command (ok: 0, so that it carries the
     * TransientTransactionError label), as on mongod, rather than one statement's {@code writeErrors} entry.
     */
    private static void writeConflictOf(BsonDocument reply) {
        BsonValue errors = reply.get("writeErrors");
        if (errors == null || !errors.isArray()) {
            return;
        }
        for (BsonValue e : errors.asArray()) {
            if (e.isDocument() && e.asDocument().isNumber("code")
                    && e.asDocument().getNumber("code").intValue() == MongoErrorCode.WRITE_CONFLICT.code()) {
                BsonValue msg = e.asDocument().get("errmsg");
                throw new ArgonException(MongoErrorCode.WRITE_CONFLICT, msg != null && msg.isString()
                        ? msg.asString().getValue() : "write conflict");
            }
        }
    }

    private static void checkReadConcern(ReadConcern rc) {
        String level = rc.level();
        if (level != null && !Set.of("local", "majority", "snapshot").contains(level)) {
            throw new ArgonException(MongoErrorCode.INVALID_OPTIONS, "The readConcern level must be either 'local' (default), "
                    + "'majority' or 'snapshot' in order to run in a transaction");
        }
        if (rc.atClusterTime() != null && !"snapshot".equals(level)) {
            throw new ArgonException(MongoErrorCode.INVALID_OPTIONS, "atClusterTime is only allowed with readConcern level 'snapshot'");
        }
    }

    /** Fixes the transaction's branch and snapshot at its first statement; refuses another branch or a view later. */
    private static void bind(CommandContext ctx, Transaction t, ReadConcern rc) {
        Target target = ctx.target();
        if (target.readOnly()) {
            throw new ArgonException(MongoErrorCode.OPERATION_NOT_SUPPORTED_IN_TRANSACTION, "a transaction cannot read the "
                    + "time-travel view '" + ctx.dbField() + "': transactions run on a branch head (use readConcern "
                    + "{level: 'snapshot', atClusterTime} to start one at an earlier point of the branch)");
        }
        if (t.branchId() < 0) {
            long at = -1;
            if (rc.atClusterTime() != null) {
                at = ctx.engine().clusterTime().lsnOf(rc.atClusterTime(), "readConcern atClusterTime");
            }
            t.begin(target.branchId(), target.branchName(), ctx.engine().store().beginTransaction(target.branchId(), at), ctx.comment());
            t.work().session().attribute(ctx.actor(), ctx.comment());
            t.work().session().origin(CommandContext.origin(ctx.command()));
        } else if (t.branchId() != target.branchId()) {
            throw new ArgonException(MongoErrorCode.OPERATION_NOT_SUPPORTED_IN_TRANSACTION, "a transaction cannot span branches: "
                    + "it runs on branch '" + t.branchName() + "', and '" + ctx.dbField() + "' names branch '"
                    + target.branchName() + "'");
        }
    }

    private static ArgonException notAllowed(String name) {
        return new ArgonException(MongoErrorCode.OPERATION_NOT_SUPPORTED_IN_TRANSACTION,
                "Cannot run '" + name + "' in a multi-document transaction.");
    }
}
