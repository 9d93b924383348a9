package dev.argon.engine.command.txn;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.session.Transaction;
import org.bson.BsonDocument;

/**
 * {@code abortTransaction}: drops the transaction's changes. Nothing was written, so there is nothing to undo;
 * later statements of that txnNumber answer 251 NoSuchTransaction. Stateless.
 */
public final class AbortTransactionHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        Transaction t = ctx.transaction();
        if (t == null) {
            throw TransactionErrors.outsideTransaction("abortTransaction");
        }
        ctx.txnSession().abort(t, "the client aborted it");
        return TransactionErrors.writeConcern(ctx.command(), new BsonDocument());
    }
}
