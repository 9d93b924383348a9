package dev.argon.engine.command.admin;

import dev.argon.engine.ArgonException;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.wal.TierReport;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonValue;

/**
 * {@code {compactHistory: 1, [hotWindowSeconds: N], [mergeSegments: true]}}: one history compaction pass now, moving
 * versions older than the hot window (default: the server's {@code --hot-window}) that no head, fork point, tag or GC
 * pin reads into the tier's segments; answers what it moved. With {@code mergeSegments}, a segment rewrite pass follows
 * (small segments merged, sparse ones rewritten without dead entries), answered under {@code merge}. Every read
 * answers as before.
 */
public final class CompactHistoryHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        BsonValue w = ctx.command().get("hotWindowSeconds");
        long window = -1;
        if (w != null && !w.isNull()) {
            if (!w.isNumber()) {
                throw ArgonException.typeMismatch("'hotWindowSeconds' must be a number");
            }
            if (w.asNumber().doubleValue() < 0) {
                throw ArgonException.badValue("'hotWindowSeconds' must not be negative");
            }
            window = Math.round(w.asNumber().doubleValue() * 1000);
        }
        boolean merge = MergeReply.flag(ctx.command(), "mergeSegments", false);
        TierReport r = ctx.engine().compaction().run(window);
        BsonDocument reply = new BsonDocument("cutoffLsn", new BsonInt64(r.cutoffLsn()))
                .append("versions", new BsonInt64(r.versions()))
                .append("bytes", new BsonInt64(r.bytes()))
                .append("stubs", new BsonInt64(r.stubs()))
                .append("segments", new BsonInt64(r.segments()))
                .append("segmentBytes", new BsonInt64(r.segmentBytes()))
                .append("totalSegments", new BsonInt64(r.totalSegments()))
                .append("millis", new BsonInt64(r.millis()))
                .append("logEntries", new BsonInt64(r.logEntries()))
                .append("logSegments", new BsonInt64(r.logSegments()))
                .append("hotWindowSeconds", new BsonInt64((window < 0 ? ctx.engine().compaction().settings().hotWindowMillis() : window) / 1000));
        if (merge) {
            reply.append("merge", MergeReply.of(ctx.engine().compaction().merge(true)));
        }
        return reply;
    }
}
