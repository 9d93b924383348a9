package dev.argon.engine.command.branch;

import dev.argon.engine.ArgonException;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.wal.Branch;
import dev.argon.wal.VersionStore;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * {@code {createBranch: "exp", [from: ref], [at: lsn | Date]}}: a new branch whose parent is {@code from}
 * (default {@code main}) at its head, at the ref's point, or at {@code at}. One metadata write.
 */
public final class CreateBranchHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        BsonValue nameValue = ctx.command().get(ctx.name());
        if (!nameValue.isString()) {
            throw ArgonException.typeMismatch("createBranch takes the new branch's name as a string");
        }
        VersionStore wal = ctx.engine().store().versions();
        BsonValue fromValue = ctx.command().get("from");
        String from = fromValue == null || fromValue.isNull() ? Branch.MAIN : fromValue.isString() ? fromValue.asString().getValue() : null;
        if (from == null) {
            throw ArgonException.typeMismatch("'from' must be a ref string such as \"main\" or \"main@120\"");
        }
        Refs.Point p = Refs.resolve(wal, from);
        long at = p.lsn();
        BsonValue atValue = ctx.command().get("at");
        if (atValue != null && !atValue.isNull()) {
            at = Math.min(p.branch().headLsn(), Refs.point(wal, atValue));
        }
        Branch b = wal.createBranch(nameValue.asString().getValue(), p.branch().id(), at, ctx.actor());
        return BranchDocs.of(wal, b);
    }
}
