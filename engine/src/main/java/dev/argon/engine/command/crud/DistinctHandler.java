package dev.argon.engine.command.crud;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.bson.BsonOrder;
import dev.argon.engine.bson.BsonSize;
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
 * contribute their elements, as on mongod. Values are returned in MongoDB's sort order. As on mongod the answer is
 * one document, so the values are capped a little under 16 MiB: past that, 17217 "distinct too big, 16mb cap"
 * (counted as the values are found, so a huge answer is refused before it is held).
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
        Values values = new Values();
        try (QueryPlan.Result r = QueryPlan.distinct(view, view.collection(ctx.db(), coll), query(ctx), key.asString().getValue())) {
            while (r.hasNext()) {
                for (BsonValue v : DocPath.values(r.next(), key.asString().getValue())) {
                    if (v.isArray()) {
                        v.asArray().forEach(values::add);
                    } else {
                        values.add(v);
                    }
                }
            }
        }
        List<BsonValue> list = new ArrayList<>(values.set);
        return new BsonDocument("values", new BsonArray(list));
    }

    /** The query part of a distinct command (also what {@code explain} plans). */
    public static QueryPlan.Query query(CommandContext ctx) {
        return new QueryPlan.Query(ctx.document("query"), null, 0, 0, null, null, ctx.command().get("hint"));
    }

    /** The distinct values found so far and their BSON size as array elements. Not thread-safe. */
    private static final class Values {
        /** mongod's cap: the 16 MiB document limit less room for the reply around the array. */
        static final long MAX_BYTES = 16L * 1024 * 1024 - 4096;

        final TreeSet<BsonValue> set = new TreeSet<>(BsonOrder.COMPARATOR);
        private long bytes;

        void add(BsonValue v) {
            if (set.add(v)) {
                // An element: type byte, its index's digits and NUL, and the value; {"": v} is that less its header.
                bytes += BsonSize.of(new BsonDocument("", v)) - 5 + Integer.toString(set.size() - 1).length();
                if (bytes >= MAX_BYTES) {
                    throw new ArgonException(MongoErrorCode.LOCATION_17217, "distinct too big, 16mb cap");
                }
            }
        }
    }
}
