package dev.argon.engine.command.admin;

import dev.argon.engine.ArgonException;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.gc.GcSettings;
import dev.argon.wal.GcReport;
import dev.argon.wal.TierGcReport;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * {@code {gc: 1, [dryRun: true], [mergeSegments: false], [tierGraceSeconds: n]}}: one history GC pass now (dry run: count only), answering
 * what it reclaimed or would reclaim and the horizon. Waits for reads that began before it (its own command excepted);
 * when some are still open after the wait, nothing is deleted and {@code deferred} is true. On a directory with
 * compacted history, a pass that deleted (not a dry run, not deferred) is followed by a segment rewrite pass, unless
 * {@code mergeSegments: false}: every segment is read, small ones merged and sparse ones rewritten without what GC
 * left unreachable, answered under {@code merge}.
 * Then a GC of the tier's objects ({@code tier...} fields, also after a dry run, which only counts): segments no
 * catalog or kept tier manifest names, older than the grace period ({@code tierGraceSeconds}, default {@code argon
 * serve --tier-grace}), and manifests beyond the newest kept ones. A tier that cannot be listed or read is reported in
 * {@code tierError}, after the history pass has done its part.
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
        long graceMillis = -1;
        BsonValue grace = ctx.command().get("tierGraceSeconds");
        if (grace != null) {
            if (!grace.isNumber()) {
                throw ArgonException.typeMismatch("'tierGraceSeconds' must be a number");
            }
            double g = grace.isDouble() ? grace.asDouble().getValue() : grace.asNumber().longValue();
            if (!(g >= 0) || g > Long.MAX_VALUE / 1000.0) {
                throw ArgonException.badValue("'tierGraceSeconds' must be 0 or more seconds, not " + grace);
            }
            graceMillis = (long) (g * 1000);
        }
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
        try {
            TierGcReport t = ctx.engine().gc().runTier(dryRun, graceMillis);
            reply.append("tierObjectsRemoved", new BsonInt64(t.removed()))
                    .append("tierBytesRemoved", new BsonInt64(t.removedBytes()))
                    .append("tierObjectsKeptYoung", new BsonInt64(t.young()))
                    .append("tierBytesKeptYoung", new BsonInt64(t.youngBytes()))
                    .append("tierManifestsRetired", new BsonInt32(t.retired().size()))
                    .append("tierManifests", new BsonInt32(t.manifests()))
                    .append("tierSegmentsReferenced", new BsonInt32(t.referenced()))
                    .append("tierBytesReferenced", new BsonInt64(t.referencedBytes()))
                    .append("tierGraceSeconds", new BsonInt64(t.graceMillis() / 1000))
                    .append("tierKeepManifests", new BsonInt32(s.tierKeepManifests()));
            if (t.skipped() != null) {
                reply.append("tierSkipped", new BsonString(t.skipped()));
            }
        } catch (RuntimeException e) {
            // The history pass has done its part; the tier (an unreachable bucket) is reported, not thrown.
            reply.append("tierError", new BsonString(String.valueOf(e.getMessage())));
        }
        return reply;
    }
}
