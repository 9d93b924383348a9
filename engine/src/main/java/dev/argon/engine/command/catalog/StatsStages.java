package dev.argon.engine.command.catalog;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.command.ClientContext;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.DataView;
import dev.argon.engine.store.IndexAccesses;
import dev.argon.engine.store.IndexInfo;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * The source stages that report on a collection instead of reading it: {@code $collStats} (one document with
 * {@code storageStats} and/or {@code count}, what mongosh's {@code db.c.stats()} runs) and {@code $indexStats}
 * (one document per index with {@code accesses}). Both read the command's branch or time-travel view; the
 * access counts are those of the view's branch. Their output feeds the rest of the pipeline. Stateless.
 */
public final class StatsStages {
    private StatsStages() {}

    /**
     * The documents of a leading {@code $collStats} or {@code $indexStats}, or null when the pipeline starts
     * with another stage. Either stage later in the pipeline is 40602, as on mongod.
     */
    public static List<BsonDocument> source(CommandContext ctx, List<BsonDocument> stages, BsonValue target) {
        for (int i = 1; i < stages.size(); i++) {
            for (String name : new String[] {"$collStats", "$indexStats"}) {
                if (stages.get(i).containsKey(name)) {
                    throw new ArgonException(MongoErrorCode.LOCATION_40602, name + " is only valid as the first stage in a pipeline");
                }
            }
        }
        if (stages.isEmpty()) {
            return null;
        }
        BsonDocument first = stages.get(0);
        if (first.containsKey("$collStats")) {
            return List.of(collStats(ctx, first.get("$collStats"), target));
        }
        if (first.containsKey("$indexStats")) {
            return indexStats(ctx, first.get("$indexStats"), target);
        }
        return null;
    }

    private static BsonDocument collStats(CommandContext ctx, BsonValue spec, BsonValue target) {
        String name = CollStats.collectionName(ctx, target, "$collStats");
        if (!spec.isDocument()) {
            throw new ArgonException(MongoErrorCode.LOCATION_5447000, "$collStats must take a nested object but found: " + spec);
        }
        String db = ctx.db();
        DataView view = ctx.readView();
        CollectionInfo c = view.collection(db, name);
        BsonDocument out = new BsonDocument("ns", new BsonString(db + "." + name)).append("host", new BsonString(host(ctx)))
                .append("localTime", new BsonDateTime(System.currentTimeMillis()));
        for (var e : spec.asDocument().entrySet()) {
            String k = e.getKey();
            switch (k) {
                case "storageStats", "count" -> {
                    if (!e.getValue().isDocument()) {
                        throw ArgonException.typeMismatch("BSON field '$collStats." + k + "' is the wrong type '"
                                + CommandContext.typeName(e.getValue()) + "', expected type 'object'");
                    }
                    if (c == null) {
                        throw new ArgonException(MongoErrorCode.NAMESPACE_NOT_FOUND, "Unable to retrieve " + k
                                + " in $collStats stage :: caused by :: Collection [" + db + "." + name + "] not found.");
                    }
                }
                case "latencyStats", "queryExecStats" -> throw new ArgonException(MongoErrorCode.NOT_IMPLEMENTED,
                        "$collStats " + k + " is not supported by Argon yet (storageStats and count are)");
                default -> throw new ArgonException(MongoErrorCode.LOCATION_40415, "BSON field '$collStats." + k + "' is an unknown field.");
            }
        }
        BsonDocument d = spec.asDocument();
        if (d.containsKey("storageStats")) {
            BsonDocument opts = d.getDocument("storageStats");
            long scale = CollStats.scale(opts.get("scale"), "BSON field '$collStats.storageStats.scale'");
            BsonDocument s = CollStats.of(view, c, db + "." + name, scale);
            s.remove("ns");
            out.append("storageStats", s);
        }
        if (d.containsKey("count")) {
            out.append("count", CollStats.number(dev.argon.engine.store.CollectionSizes.count(view, c)));
        }
        return out;
    }

    private static List<BsonDocument> indexStats(CommandContext ctx, BsonValue spec, BsonValue target) {
        String name = CollStats.collectionName(ctx, target, "$indexStats");
        if (!spec.isDocument() || !spec.asDocument().isEmpty()) {
            throw new ArgonException(MongoErrorCode.LOCATION_28803, "The $indexStats stage specification must be an empty object");
        }
        CollectionInfo c = ctx.readView().collection(ctx.db(), name);
        List<BsonDocument> out = new ArrayList<>();
        if (c == null) {
            return out;
        }
        IndexAccesses accesses = ctx.engine().store().indexAccesses();
        int branch = ctx.target().branchId();
        String host = host(ctx);
        out.add(entry(IndexInfo.idIndexSpec(), accesses.counter(branch, c.collectionId(), IndexAccesses.ID_INDEX), host));
        for (IndexInfo i : c.indexes()) {
            out.add(entry(i.listing(), accesses.counter(branch, c.collectionId(), i.indexId()), host));
        }
        return out;
    }

    private static BsonDocument entry(BsonDocument spec, IndexAccesses.Counter counter, String host) {
        return new BsonDocument("name", spec.get("name")).append("key", spec.get("key")).append("host", new BsonString(host))
                .append("accesses", new BsonDocument("ops", new BsonInt64(counter.ops()))
                        .append("since", new BsonDateTime(counter.sinceMillis())))
                .append("spec", spec);
    }

    /** {@code host:port} of this server as the client reached it (what {@code hello} names as {@code me}). */
    private static String host(CommandContext ctx) {
        ClientContext client = ctx.client();
        return (client == null ? "localhost" : client.localHost()) + ":" + (client == null ? 27017 : client.localPort());
    }
}
