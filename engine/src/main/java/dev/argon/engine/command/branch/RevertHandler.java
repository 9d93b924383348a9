package dev.argon.engine.command.branch;

import dev.argon.engine.ArgonException;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.store.Store;
import dev.argon.engine.vc.History;
import dev.argon.engine.vc.Reverter;
import dev.argon.wal.Branch;
import dev.argon.wal.CommitResult;
import dev.argon.wal.VersionStore;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonInt64;

/**
 * {@code {revert: "main", (lsn | fromLsn+toLsn | actor [+fromLsn, toLsn]), [comment]}}: appends the inverse of
 * one commit (named by its highest LSN), of every commit inside an LSN range, or of one actor's commits, as a
 * single new commit. Documents changed since by someone else are reported as conflicts and left alone.
 */
public final class RevertHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        Store store = ctx.engine().store();
        VersionStore wal = store.versions();
        Branch branch = Refs.branch(wal, Args.string(ctx, ctx.name(), true));
        Long lsn = Args.lsn(ctx, "lsn");
        Long from = Args.lsn(ctx, "fromLsn");
        Long to = Args.lsn(ctx, "toLsn");
        String actor = Args.string(ctx, "actor", false);
        if (lsn == null && actor == null && (from == null || to == null)) {
            throw ArgonException.failedToParse("revert needs 'lsn', or 'fromLsn' and 'toLsn', or 'actor'");
        }
        try (Store.Write w = store.beginWrite(branch.id())) {
            History.Filter f = lsn != null ? new History.Filter(null, null, null, lsn, lsn, null, null)
                    : new History.Filter(null, null, actor, from, to, null, null);
            List<BsonDocument> commits = new ArrayList<>();
            for (BsonDocument c : History.commits(wal, wal.headView(branch.id()), f, 0, 0)) {
                boolean inside = from == null || c.getInt64("startLsn").getValue() >= from;
                if (lsn != null ? c.getInt64("lsn").getValue() == lsn : inside) {
                    commits.add(c);
                }
            }
            if (commits.isEmpty()) {
                throw ArgonException.badValue(lsn != null ? "no commit named lsn " + lsn + " on branch '" + branch.name()
                        + "' (a commit is named by the highest LSN it wrote; see branchLog)" : "no commits to revert on branch '" + branch.name() + "'");
            }
            long horizon = wal.horizonLsn();
            for (BsonDocument c : commits) {
                // A log entry's images are versions; below the history horizon GC may have removed them, and a
                // revert built on a missing pre-image would delete instead of restore.
                if (c.getInt64("startLsn").getValue() <= horizon) {
                    throw new ArgonException(dev.argon.engine.MongoErrorCode.SNAPSHOT_TOO_OLD, "commit " + c.getInt64("lsn").getValue()
                            + " lies at or below the history horizon (lsn " + horizon + "; --history-retention): its images are gone, it cannot be reverted");
                }
            }
            w.session().bypassValidation();
            String comment = ctx.comment() != null ? ctx.comment() : "revert " + describe(lsn, from, to, actor);
            // Before any write: a large revert stages chunks, and they carry the attribution.
            w.session().attribute(ctx.actor(), comment);
            Reverter r = new Reverter();
            r.revert(wal, w.session(), commits);
            CommitResult result = w.session().commit(ctx.actor(), comment, ctx.journaled());
            return r.report().append("commits", new org.bson.BsonInt32(commits.size()))
                    .append("headLsn", new BsonInt64(result == null ? wal.branch(branch.id()).headLsn() : result.endLsn()));
        }
    }

    private static String describe(Long lsn, Long from, Long to, String actor) {
        if (lsn != null) {
            return "commit " + lsn;
        }
        String range = from != null ? " in " + from + ".." + to : "";
        return actor != null ? "writes of " + actor + range : "lsn " + from + ".." + to;
    }
}
