package dev.argon.engine.command.txn;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.session.Transaction;
import dev.argon.engine.session.TxnSession;
import org.bson.BsonDocument;

/**
 * {@code commitTransaction}: writes the transaction's changes as one WAL commit (one entry in {@code argon log}),
 * whose comment is this command's {@code comment}, else the first statement's. The session's record of the
 * committed txnNumber goes into the same batch, so a commit retried after a lost reply, even after a restart,
 * answers ok without writing again. A concurrent commit that changed what the transaction wrote makes it 112
 * WriteConflict (the transaction is then aborted, nothing written). {@code maxCommitTimeMS} is accepted: the
 * commit never waits for other transactions. Stateless.
 */
public final class CommitTransactionHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        Transaction t = ctx.transaction();
        TxnSession ts = ctx.txnSession();
        if (t == null) {
            throw TransactionErrors.outsideTransaction("commitTransaction");
        }
        if (t.branchId() >= 0) {
            String comment = ctx.comment() != null ? ctx.comment() : t.firstComment();
            ctx.engine().store().commitTransaction(t.work(), ctx.actor(), comment, ctx.journaled(), ts.commitRecord(t.txnNumber()));
        }
        ts.committed(t);
        return TransactionErrors.writeConcern(ctx.command(), new BsonDocument());
    }
}
