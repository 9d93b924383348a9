package dev.argon.engine.command.branch;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.vc.History;
import dev.argon.wal.Branch;
import dev.argon.wal.VersionStore;
import java.util.Iterator;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonString;

/**
 * {@code {branchLog: ref, [limit], [skip], [ns], [id], [actor], [fromLsn], [toLsn], [fromTime], [toTime],
 * [cursor: {batchSize}]}} &rarr; a cursor ({@code ns: "<db>.$cmd.branchLog"}) of commits
 * {@code {lsn, startLsn, time, actor, comment, counts, branch}}, newest first, read from the commit index as the
 * client pages. A commit is named by {@code lsn}, the highest LSN it wrote. No limit means every commit.
 */
public final class BranchLogHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        VersionStore wal = ctx.engine().store().versions();
        Refs.Point p = Refs.resolve(wal, Args.string(ctx, ctx.name(), true));
        History.Filter f = new History.Filter(Args.string(ctx, "ns", false), ctx.command().get("id"),
                Args.string(ctx, "actor", false), Args.lsn(ctx, "fromLsn"), Args.lsn(ctx, "toLsn"),
                Args.time(ctx, "fromTime"), Args.time(ctx, "toTime"));
        long limit = ctx.number("limit", 0);
        long skip = ctx.number("skip", 0);
        long batchSize = Args.batchSize(ctx);
        History.Commits commits = History.scan(wal, wal.viewAt(p.branch().id(), p.lsn()), f, skip, limit);
        Iterator<BsonDocument> shaped = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return commits.hasNext();
            }

            @Override
            public BsonDocument next() {
                return shape(wal, commits.next());
            }
        };
        return ctx.engine().cursors().firstBatch(ctx.db() + ".$cmd.branchLog", shaped, commits, batchSize, false,
                ctx.sessionId());
    }

    private static BsonDocument shape(VersionStore wal, BsonDocument c) {
        Branch b = wal.branch(c.getInt32("branchId").getValue());
        return new BsonDocument("lsn", c.get("lsn")).append("startLsn", c.get("startLsn"))
                .append("time", new BsonDateTime(c.getInt64("time").getValue()))
                .append("actor", c.containsKey("actor") ? c.get("actor") : BsonNull.VALUE)
                .append("comment", c.containsKey("comment") ? c.get("comment") : BsonNull.VALUE)
                .append("counts", c.getDocument("counts"))
                .append("branch", b != null && b.name() != null ? new BsonString(b.name()) : BsonNull.VALUE);
    }
}
