package dev.argon.engine.command.branch;

import dev.argon.engine.ArgonException;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.store.Store;
import dev.argon.wal.Branch;
import dev.argon.wal.VersionStore;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonValue;

/**
 * {@code {resetBranch: "main", to: ref-or-lsn, [backup: "name"]}}: moves the branch head back. The abandoned
 * range stays in the log under the branch's old id (listed in the reply as {@code abandoned}); later reads
 * of the name never see it, and branches or tags taken from it keep what they saw.
 */
public final class ResetBranchHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        Store store = ctx.engine().store();
        VersionStore wal = store.versions();
        Branch branch = Refs.branch(wal, Args.string(ctx, ctx.name(), true));
        BsonValue to = ctx.command().get("to");
        if (to == null) {
            throw ArgonException.failedToParse("'to' is required for resetBranch: an LSN or a ref");
        }
        String backup = Args.string(ctx, "backup", false);
        try (Store.Write w = store.beginWrite(branch.id())) {
            Branch current = wal.branch(branch.id());
            int pointBranch;
            long point;
            if (to.isNumber()) {
                pointBranch = current.id();
                point = to.asNumber().longValue();
            } else if (to.isString()) {
                Refs.Point p = Refs.resolve(wal, to.asString().getValue());
                pointBranch = p.branch().id();
                point = p.lsn();
            } else if (to.isDateTime()) {
                pointBranch = current.id();
                point = wal.lsnAtTime(to.asDateTime().getValue());
            } else {
                throw ArgonException.typeMismatch("'to' must be an LSN, a Date or a ref string");
            }
            if (pointBranch == current.id() && point > current.headLsn()) {
                throw ArgonException.badValue("cannot reset '" + current.name() + "' forward to lsn " + point + ": its head is " + current.headLsn());
            }
            if (pointBranch == current.id() && point < current.baseLsn()) {
                // Before the fork point the branch shows its parent's history: reset onto the parent there.
                pointBranch = current.parentId();
            }
            long effective = Math.min(wal.roundToCommit(pointBranch, point), wal.branch(pointBranch).headLsn());
            List<BsonDocument> abandoned = pointBranch == current.id() ? wal.commits(current.id(), effective, current.headLsn())
                    : wal.commits(current.id(), current.baseLsn(), current.headLsn());
            Branch fresh = wal.resetBranch(current.id(), pointBranch, effective, backup, ctx.actor());
            // Change streams of the old id end with an invalidate: wake them.
            ctx.engine().store().commitSignal().fire();
            BsonArray lsns = new BsonArray();
            for (BsonDocument c : abandoned) {
                lsns.add(new BsonDocument("lsn", c.get("lsn")).append("startLsn", c.get("startLsn")));
            }
            BsonDocument reply = BranchDocs.of(wal, fresh);
            reply.append("abandoned", new BsonDocument("commits", new BsonInt32(abandoned.size()))
                    .append("fromLsn", new BsonInt64(abandoned.isEmpty() ? 0 : abandoned.get(abandoned.size() - 1).getInt64("startLsn").getValue()))
                    .append("toLsn", new BsonInt64(current.headLsn()))
                    .append("list", lsns));
            return reply;
        }
    }
}
