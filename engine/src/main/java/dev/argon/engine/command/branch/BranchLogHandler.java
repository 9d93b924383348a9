package dev.argon.engine.command.branch;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.vc.History;
import dev.argon.wal.Branch;
import dev.argon.wal.Wal;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonString;

/**
 * {@code {branchLog: ref, [limit], [skip], [ns], [id], [actor], [fromLsn], [toLsn], [fromTime], [toTime]}}
 * &rarr; {@code {commits: [{lsn, startLsn, time, actor, comment, counts, branch}]}}, newest first. A commit
 * is named by {@code lsn}, the highest LSN it wrote.
 */
public final class BranchLogHandler implements CommandHandler {
    /** A page big enough to browse, small enough to stay far from the 16 MB reply limit. */
    static final long DEFAULT_LIMIT = 100;

    @Override
    public BsonDocument handle(CommandContext ctx) {
        Wal wal = ctx.engine().store().wal();
        Refs.Point p = Refs.resolve(wal, Args.string(ctx, ctx.name(), true));
        History.Filter f = new History.Filter(Args.string(ctx, "ns", false), ctx.command().get("id"),
                Args.string(ctx, "actor", false), Args.lsn(ctx, "fromLsn"), Args.lsn(ctx, "toLsn"),
                Args.time(ctx, "fromTime"), Args.time(ctx, "toTime"));
        long limit = ctx.number("limit", DEFAULT_LIMIT);
        List<BsonDocument> commits = History.commits(wal, wal.viewAt(p.branch().id(), p.lsn()), f, ctx.number("skip", 0), limit);
        BsonArray out = new BsonArray();
        for (BsonDocument c : commits) {
            Branch b = wal.branch(c.getInt32("branchId").getValue());
            out.add(new BsonDocument("lsn", c.get("lsn")).append("startLsn", c.get("startLsn"))
                    .append("time", new BsonDateTime(c.getInt64("time").getValue()))
                    .append("actor", c.containsKey("actor") ? c.get("actor") : BsonNull.VALUE)
                    .append("comment", c.containsKey("comment") ? c.get("comment") : BsonNull.VALUE)
                    .append("counts", c.getDocument("counts"))
                    .append("branch", b != null && b.name() != null ? new BsonString(b.name()) : BsonNull.VALUE));
        }
        return new BsonDocument("commits", out);
    }
}
