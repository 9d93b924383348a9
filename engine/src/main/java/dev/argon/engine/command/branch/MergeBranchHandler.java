package dev.argon.engine.command.branch;

import dev.argon.engine.ArgonException;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.store.Store;
import dev.argon.engine.vc.MergeRunner;
import dev.argon.engine.vc.Merger;
import dev.argon.wal.Branch;
import dev.argon.wal.VersionStore;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt64;

/**
 * {@code {mergeBranch: "exp", into: "main", [strategy], [preview: true], [expectHeadLsn], [comment]}}. Without
 * {@code preview} the merge is applied as one commit under the target's write lock (protected targets included:
 * merging is how they change) &rarr; {@code {headLsn, counts, conflictCount, conflicts (the first ones)}}; with
 * strategy {@code fail} and conflicts nothing is applied and the error lists the first ones;
 * {@code expectHeadLsn} refuses the merge if the target moved since the preview. A preview answers
 * {@code {headLsn, counts, conflictCount}} and a cursor of every conflict ({@code ns: "<db>.$cmd.mergeBranch"}).
 */
public final class MergeBranchHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        Store store = ctx.engine().store();
        VersionStore wal = store.versions();
        Branch source = Refs.branch(wal, Args.string(ctx, ctx.name(), true));
        Branch target = Refs.branch(wal, Args.string(ctx, "into", true));
        if (source.id() == target.id()) {
            throw ArgonException.badValue("cannot merge branch '" + source.name() + "' into itself");
        }
        Merger.Strategy strategy = Merger.strategy(Args.string(ctx, "strategy", false));
        if (ctx.bool("preview", false)) {
            long batchSize = Args.batchSize(ctx);
            MergeRunner.Preview p = MergeRunner.preview(store, source, target, strategy);
            BsonDocument reply = ctx.engine().cursors().firstBatch(ctx.db() + ".$cmd.mergeBranch", p.conflicts(), p.conflicts(), batchSize, false,
                    ctx.sessionId());
            reply.append("headLsn", new BsonInt64(p.headLsn())).append("counts", p.counts())
                    .append("conflictCount", new BsonInt64(p.conflictCount()));
            reply.putAll(p.points());
            return reply.append("preview", BsonBoolean.TRUE).append("applied", BsonBoolean.FALSE);
        }
        String comment = ctx.comment() != null ? ctx.comment() : "merge " + source.name() + " into " + target.name();
        MergeRunner.Applied a = MergeRunner.apply(store, source, target, strategy, Args.lsn(ctx, "expectHeadLsn"), ctx.actor(), comment,
                ctx.journaled());
        BsonDocument reply = new BsonDocument("headLsn", new BsonInt64(a.headLsn())).append("counts", a.counts())
                .append("conflictCount", new BsonInt64(a.conflictCount())).append("conflicts", a.conflicts());
        reply.putAll(a.points());
        return reply.append("preview", BsonBoolean.FALSE).append("applied", BsonBoolean.TRUE);
    }
}
