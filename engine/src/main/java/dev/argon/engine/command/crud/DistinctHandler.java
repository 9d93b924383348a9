package dev.argon.engine.command.crud;

import dev.argon.engine.ArgonException;
import dev.argon.engine.bson.BsonOrder;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.exec.QueryPlan;
import dev.argon.engine.query.DocPath;
import dev.argon.engine.store.DataView;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * {@code distinct}: the distinct values of a (dotted) field among matching documents; array values
 * contribute their elements, as on mongod. Values are returned in MongoDB's sort order.
 */
public final class DistinctHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        String coll = ctx.collectionName();
        BsonValue key = ctx.command().get("key");
        if (key == null || !key.isString()) {
            throw ArgonException.failedToParse("BSON field 'distinct.key' is missing but a required field");
        }
        DataView view = ctx.readView().forReplies();
        TreeSet<BsonValue> values = new TreeSet<>(BsonOrder.COMPARATOR);
        try (QueryPlan.Result r = QueryPlan.distinct(view, view.collection(ctx.db(), coll), query(ctx), key.asString().getValue())) {
            while (r.hasNext()) {
                for (BsonValue v : DocPath.values(r.next(), key.asString().getValue())) {
                    if (v.isArray()) {
                        values.addAll(v.asArray().getValues());
                    } else {
                        values.add(v);
                    }
                }
            }
        }
        List<BsonValue> list = new ArrayList<>(values);
        return new BsonDocument("values", new BsonArray(list));
    }

    /** The query part of a distinct command (also what {@code explain} plans). */
    public static QueryPlan.Query query(CommandContext ctx) {
        return new QueryPlan.Query(ctx.document("query"), null, 0, 0, null, null, ctx.command().get("hint"));
    }
}
