package dev.argon.engine.command.admin;

import dev.argon.engine.ArgonException;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.gc.GcSettings;
import dev.argon.wal.GcReport;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonValue;

/**
 * {@code {gc: 1, [dryRun: true], [mergeSegments: false]}}: one history GC pass now (dry run: count only), answering
 * what it reclaimed or would reclaim and the horizon. Waits for reads that began before it (its own command excepted);
 * when some are still open after the wait, nothing is deleted and {@code deferred} is true. On a directory with
 * compacted history, a pass that deleted (not a dry run, not deferred) is followed by a segment rewrite pass, unless
 * {@code mergeSegments: false}: every segment is read, small ones merged and sparse ones rewritten without what GC
 * left unreachable, answered under {@code merge}.
 */
public final class GcHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        BsonValue dry = ctx.command().get("dryRun");
        if (dry != null && !dry.isBoolean() && !dry.isNumber()) {
            throw ArgonException.typeMismatch("'dryRun' must be a boolean");
        }
        boolean dryRun = dry != null && (dry.isBoolean() ? dry.asBoolean().getValue() : dry.asNumber().intValue() != 0);
        boolean merge = MergeReply.flag(ctx.command(), "mergeSegments", true);
        GcReport r = ctx.engine().gc().run(dryRun);
        GcSettings s = ctx.engine().gc().settings();
        BsonDocument reply = new BsonDocument("dryRun", BsonBoolean.valueOf(r.dryRun()))
                .append("deferred", BsonBoolean.valueOf(r.deferred()))
                .append("horizonLsn", new BsonInt64(r.horizon()))
                .append("planLsn", new BsonInt64(r.planLsn()))
                .append("versions", new BsonInt64(r.versions()))
                .append("logEntries", new BsonInt64(r.logEntries()))
                .append("commits", new BsonInt64(r.commits()))
                .append("branchRecords", new BsonInt64(r.branchRecords()))
                .append("bytes", new BsonInt64(r.bytes()))
                .append("unreachableBranches", new BsonInt32(r.unreachableBranches()))
                .append("millis", new BsonInt64(r.millis()))
                .append("historyRetentionSeconds", s.historyRetentionMillis() < 0 ? BsonNull.VALUE : new BsonInt64(s.historyRetentionMillis() / 1000))
                .append("reflogWindowSeconds", new BsonInt64(s.reflogWindowMillis() / 1000));
        if (merge && !r.dryRun() && !r.deferred() && ctx.engine().store().versions().tier() != dev.argon.wal.ColdVersions.NONE) {
            reply.append("merge", MergeReply.of(ctx.engine().compaction().merge(true)));
        }
        return reply;
    }
}
