package dev.argon.engine.command.branch;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.store.Store;
import dev.argon.engine.vc.Merger;
import dev.argon.wal.Branch;
import dev.argon.wal.CommitRequest;
import dev.argon.wal.CommitResult;
import dev.argon.wal.Wal;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt64;

/**
 * {@code {mergeBranch: "exp", into: "main", [strategy], [preview: true], [expectHeadLsn], [comment]}}
 * &rarr; {@code {headLsn, counts, conflicts}}. Without {@code preview} the merge is applied as one commit
 * under the target's write lock (protected targets included: merging is how they change); with strategy
 * {@code fail} and conflicts nothing is applied and the error lists them; {@code expectHeadLsn} refuses the
 * merge if the target moved since the preview.
 */
public final class MergeBranchHandler implements CommandHandler {
    /** Conflicts listed in an error reply, so it stays well under the 16 MB document limit. */
    static final int MAX_LISTED_CONFLICTS = 1000;

    @Override
    public BsonDocument handle(CommandContext ctx) {
        Store store = ctx.engine().store();
        Wal wal = store.wal();
        Branch source = Refs.branch(wal, Args.string(ctx, ctx.name(), true));
        Branch target = Refs.branch(wal, Args.string(ctx, "into", true));
        if (source.id() == target.id()) {
            throw ArgonException.badValue("cannot merge branch '" + source.name() + "' into itself");
        }
        Merger.Strategy strategy = Merger.strategy(Args.string(ctx, "strategy", false));
        boolean preview = ctx.bool("preview", false);
        Long expect = Args.lsn(ctx, "expectHeadLsn");
        if (preview) {
            Merger m = new Merger(store, source, target, strategy);
            BsonDocument plan = m.run(null);
            return plan.append("headLsn", new BsonInt64(wal.branch(target.id()).headLsn())).append("preview", BsonBoolean.TRUE)
                    .append("applied", BsonBoolean.FALSE);
        }
        try (Store.Write w = store.beginWrite(target.id())) {
            long head = wal.branch(target.id()).headLsn();
            if (expect != null && expect != head) {
                throw new ArgonException(MongoErrorCode.WRITE_CONFLICT, "branch '" + target.name() + "' moved since the preview: expected head "
                        + expect + ", it is now " + head + "; preview the merge again");
            }
            Merger m = new Merger(store, wal.branch(source.id()), wal.branch(target.id()), strategy);
            w.session().bypassValidation();
            BsonDocument plan = m.run(w.session());
            if (m.hasConflicts() && strategy == Merger.Strategy.FAIL) {
                BsonArray listed = new BsonArray(m.conflicts().subList(0, Math.min(MAX_LISTED_CONFLICTS, m.conflicts().size())));
                throw new ArgonException(MongoErrorCode.OPERATION_FAILED, "merging '" + source.name() + "' into '" + target.name() + "' has "
                        + m.conflicts().size() + " conflict(s); nothing was applied. Resolve them on a branch, or merge with strategy 'ours' or 'theirs'",
                        new BsonDocument("conflicts", listed));
            }
            String comment = ctx.comment() != null ? ctx.comment() : "merge " + source.name() + " into " + target.name();
            CommitResult r = w.session().isEmpty() ? null
                    : wal.commit(new CommitRequest(target.id(), ctx.actor(), comment, ctx.journaled(), w.session().entries(), List.of(m.markWrite())));
            return plan.append("headLsn", new BsonInt64(r == null ? head : r.endLsn())).append("preview", BsonBoolean.FALSE)
                    .append("applied", BsonBoolean.TRUE);
        }
    }
}
