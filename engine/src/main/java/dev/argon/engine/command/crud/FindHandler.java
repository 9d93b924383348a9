package dev.argon.engine.command.crud;

import dev.argon.engine.ArgonException;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.exec.QueryPlan;
import dev.argon.engine.spill.Spill;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.DataView;
import org.bson.BsonDocument;

/**
 * {@code find}: filter, projection, sort, skip, limit, hint, min, max, batchSize, singleBatch, allowDiskUse; results
 * through a cursor. A blocking sort past the memory limit spills to the data directory's temporary folder unless
 * disk use is off (292).
 */
public final class FindHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        String coll = ctx.collectionName();
        QueryPlan.Query q = query(ctx);
        long limit = q.limit();
        long batchSize = ctx.number("batchSize", -1);
        if (ctx.command().containsKey("batchSize") && batchSize < 0) {
            throw ArgonException.badValue("batchSize value must be non-negative, but received: " + batchSize);
        }
        boolean singleBatch = ctx.bool("singleBatch", false);
        DataView view = ctx.readView().forReplies();
        CollectionInfo c = view.collection(ctx.db(), coll);
        Spill spill = ctx.spill();
        QueryPlan.Result r;
        try {
            r = QueryPlan.find(view, c, q, spill);
        } catch (RuntimeException e) {
            spill.close();
            throw e;
        }
        if (limit > 0 && (batchSize < 0 || batchSize > limit)) {
            batchSize = limit;
        }
        // The cursor closes both: the storage iterator and any sorted runs on disk.
        AutoCloseable resources = () -> {
            try {
                r.close();
            } finally {
                spill.close();
            }
        };
        return ctx.engine().cursors().firstBatch(ctx.db() + "." + coll, r, resources, batchSize, singleBatch, ctx.sessionId());
    }

    /** The query a find command asks for, validated (also what {@code explain} plans). */
    public static QueryPlan.Query query(CommandContext ctx) {
        long skip = ctx.number("skip", 0);
        long limit = ctx.number("limit", 0);
        if (skip < 0) {
            throw ArgonException.badValue("skip value must be non-negative, but received: " + skip);
        }
        if (limit < 0) {
            throw ArgonException.badValue("limit value must be non-negative, but received: " + limit);
        }
        return new QueryPlan.Query(ctx.document("filter"), ctx.document("sort"), skip, limit, ctx.document("projection"),
                ctx.document("let"), ctx.command().get("hint")).withMinMax(ctx.document("min"), ctx.document("max"));
    }
}
