package dev.argon.engine.command.crud;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.exec.QueryPlan;
import dev.argon.engine.store.DataView;
import org.bson.BsonDocument;
import org.bson.BsonInt32;

/** {@code count}: documents matching {@code query}, after {@code skip} and {@code limit}. */
public final class CountHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        String coll = ctx.collectionName();
        DataView view = ctx.readView().forReplies();
        long n = 0;
        try (QueryPlan.Result r = QueryPlan.count(view, view.collection(ctx.db(), coll), query(ctx))) {
            while (r.hasNext()) {
                r.next();
                n++;
            }
        }
        return new BsonDocument("n", new BsonInt32((int) Math.min(Integer.MAX_VALUE, n)));
    }

    /** The query part of a count command (also what {@code explain} plans). */
    public static QueryPlan.Query query(CommandContext ctx) {
        long skip = Math.max(0, ctx.number("skip", 0));
        long limit = Math.abs(ctx.number("limit", 0));
        return new QueryPlan.Query(ctx.document("query"), null, skip, limit, null, ctx.document("let"), ctx.command().get("hint"));
    }
}
