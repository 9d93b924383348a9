package dev.argon.engine.command.catalog;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.query.Matcher;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.IndexInfo;
import dev.argon.engine.store.Store;
import dev.argon.engine.store.WriteSession;
import dev.argon.engine.ttl.TtlIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * {@code collMod}: changes a collection's validator, validationLevel, validationAction and
 * changeStreamPreAndPostImages, and an index's
 * {@code hidden} or {@code expireAfterSeconds} option, as one catalog commit on the branch. Existing documents
 * are not re-checked, as on MongoDB.
 */
public final class CollModHandler implements CommandHandler {
    private static final Set<String> COLLECTION_OPTIONS = Set.of("validator", "validationLevel", "validationAction");
    private static final Set<String> IGNORED = Set.of("lsid", "txnNumber", "writeConcern", "comment", "apiVersion", "apiStrict");

    @Override
    public BsonDocument handle(CommandContext ctx) {
        String name = ctx.collectionName();
        try (Store.Write w = ctx.beginWrite()) {
            WriteSession s = w.session();
            CollectionInfo c = s.collection(ctx.db(), name);
            if (c == null) {
                throw new ArgonException(MongoErrorCode.NAMESPACE_NOT_FOUND, "ns does not exist: " + ctx.db() + "." + name);
            }
            BsonDocument options = c.options().clone();
            BsonDocument reply = new BsonDocument();
            List<IndexInfo> indexes = new ArrayList<>(c.indexes());
            for (Map.Entry<String, BsonValue> e : ctx.command().entrySet()) {
                String k = e.getKey();
                if (k.equals(ctx.name()) || k.startsWith("$") || IGNORED.contains(k)) {
                    continue;
                }
                if (COLLECTION_OPTIONS.contains(k)) {
                    if (k.equals("validator")) {
                        if (!e.getValue().isDocument()) {
                            throw ArgonException.typeMismatch("'validator' must be an object");
                        }
                        Matcher.compile(e.getValue().asDocument());
                    } else if (!e.getValue().isString()) {
                        throw ArgonException.typeMismatch("'" + k + "' must be a string");
                    }
                    options.put(k, e.getValue());
                } else if (k.equals("changeStreamPreAndPostImages")) {
                    options.put(k, preAndPostImages(e.getValue()));
                } else if (k.equals("index")) {
                    reply = modifyIndex(indexes, e.getValue());
                } else {
                    throw new ArgonException(MongoErrorCode.INVALID_OPTIONS, "collMod option '" + k + "' is not supported by Argon yet");
                }
            }
            s.putCatalog(new CollectionInfo(c.db(), c.name(), c.collectionId(), options, List.copyOf(indexes), c.uuid()), "collMod");
            s.commit(ctx.actor(), ctx.comment(), ctx.journaled());
            return reply;
        }
    }

    /**
     * {@code changeStreamPreAndPostImages: {enabled: bool}}. Turning it on costs nothing here: the log keeps every
     * pre-image anyway; the option only decides what change streams offer (whenAvailable, required).
     */
    private static BsonDocument preAndPostImages(BsonValue v) {
        if (!v.isDocument()) {
            throw ArgonException.typeMismatch("BSON field 'collMod.changeStreamPreAndPostImages' is the wrong type '"
                    + v.getBsonType().name().toLowerCase(java.util.Locale.ROOT) + "', expected type 'object'");
        }
        BsonDocument d = v.asDocument();
        for (String f : d.keySet()) {
            if (!f.equals("enabled")) {
                throw new ArgonException(MongoErrorCode.LOCATION_40415, "BSON field 'collMod.changeStreamPreAndPostImages."
                        + f + "' is an unknown field.");
            }
        }
        if (!d.isBoolean("enabled")) {
            throw new ArgonException(MongoErrorCode.LOCATION_40414,
                    "BSON field 'collMod.changeStreamPreAndPostImages.enabled' is missing but a required field");
        }
        return new BsonDocument("enabled", d.getBoolean("enabled"));
    }

    /** Changes one index's options; answers mongod's {@code hidden_old/new}, {@code expireAfterSeconds_old/new}. */
    private static BsonDocument modifyIndex(List<IndexInfo> indexes, BsonValue spec) {
        if (!spec.isDocument()) {
            throw ArgonException.typeMismatch("collMod 'index' must be an object");
        }
        BsonDocument d = spec.asDocument();
        for (int i = 0; i < indexes.size(); i++) {
            IndexInfo x = indexes.get(i);
            boolean byName = d.isString("name") && x.name().equals(d.getString("name").getValue());
            boolean byKey = d.isDocument("keyPattern") && x.key().equals(d.getDocument("keyPattern"));
            if (byName || byKey) {
                BsonDocument newSpec = x.spec().clone();
                BsonDocument reply = new BsonDocument();
                for (String opt : new String[] {"hidden", "expireAfterSeconds"}) {
                    if (d.containsKey(opt)) {
                        BsonValue v = opt.equals("expireAfterSeconds") ? TtlIndex.seconds(d.get(opt), x.key()) : d.get(opt);
                        if (opt.equals("hidden") && !v.isBoolean()) {
                            // Stored as given, a non-boolean would make every later read of the index fail.
                            throw ArgonException.typeMismatch("collMod 'index.hidden' must be a boolean");
                        }
                        BsonValue was = x.spec().get(opt);
                        if (was != null || opt.equals("hidden")) {
                            reply.append(opt + "_old", was == null ? org.bson.BsonBoolean.FALSE : was);
                        }
                        reply.append(opt + "_new", v);
                        newSpec.put(opt, v);
                    }
                }
                indexes.set(i, x.withSpec(newSpec));
                return reply;
            }
        }
        throw new ArgonException(MongoErrorCode.INDEX_NOT_FOUND, "cannot find index " + d.toJson());
    }
}
