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
import java.util.Map;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * {@code createIndexes}: validates each spec, skips ones that already exist identically, and builds the
 * rest over the existing documents (a unique index that the data violates is refused with DuplicateKey and
 * nothing is created). All of it is one commit.
 */
public final class CreateIndexesHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        String name = ctx.collectionName();
        BsonValue indexes = ctx.command().get("indexes");
        if (indexes == null || !indexes.isArray()) {
            throw ArgonException.failedToParse("BSON field 'createIndexes.indexes' is missing but a required field");
        }
        if (indexes.asArray().isEmpty()) {
            throw ArgonException.badValue("Must specify at least one index to create");
        }
        try (Store.Write w = ctx.beginWrite()) {
            WriteSession s = w.session();
            CollectionInfo c = s.collection(ctx.db(), name);
            boolean created = c == null;
            if (c == null) {
                c = s.createCollection(ctx.db(), name, null);
            }
            int before = c.indexes().size() + 1;
            for (BsonValue v : indexes.asArray()) {
                BsonDocument spec = normalize(v);
                String indexName = spec.getString("name").getValue();
                if (indexName.equals("_id_") || isIdKey(spec.getDocument("key"))) {
                    if (spec.containsKey("expireAfterSeconds")) {
                        throw new ArgonException(MongoErrorCode.CANNOT_CREATE_INDEX,
                                "The field 'expireAfterSeconds' is not valid for an _id index specification. Specification: " + spec.toJson());
                    }
                    continue;
                }
                IndexInfo existing = c.index(indexName);
                if (existing != null) {
                    if (existing.key().equals(spec.getDocument("key")) && sameOptions(existing.spec(), spec)) {
                        continue;
                    }
                    if (existing.key().equals(spec.getDocument("key"))) {
                        throw new ArgonException(MongoErrorCode.INDEX_OPTIONS_CONFLICT, "An existing index has the same name as the requested index but different options. Requested index: "
                                + spec.toJson() + ", existing index: " + existing.spec().toJson());
                    }
                    throw new ArgonException(MongoErrorCode.INDEX_KEY_SPECS_CONFLICT, "An existing index has the same name as the requested index but a different key. Requested index: "
                            + spec.toJson() + ", existing index: " + existing.spec().toJson());
                }
                for (IndexInfo i : c.indexes()) {
                    if (i.key().equals(spec.getDocument("key")) && sameOptions(i.spec(), spec)) {
                        throw new ArgonException(MongoErrorCode.INDEX_OPTIONS_CONFLICT, "Index already exists with a different name: " + i.name());
                    }
                }
                c = s.addIndex(c, spec);
            }
            int after = c.indexes().size() + 1;
            s.commit(ctx.actor(), ctx.comment(), ctx.journaled());
            BsonDocument r = new BsonDocument("numIndexesBefore", new BsonInt32(before))
                    .append("numIndexesAfter", new BsonInt32(after))
                    .append("createdCollectionAutomatically", BsonBoolean.valueOf(created));
            if (before == after) {
                r.append("note", new BsonString("all indexes already exist"));
            }
            return r;
        }
    }

    private static boolean isIdKey(BsonDocument key) {
        return key.size() == 1 && key.containsKey("_id");
    }

    private static boolean sameOptions(BsonDocument a, BsonDocument b) {
        for (String opt : new String[] {"unique", "sparse", "partialFilterExpression", "expireAfterSeconds"}) {
            BsonValue x = a.get(opt);
            BsonValue y = b.get(opt);
            boolean xf = x == null || (x.isBoolean() && !x.asBoolean().getValue());
            boolean yf = y == null || (y.isBoolean() && !y.asBoolean().getValue());
            if (xf != yf || (!xf && !x.equals(y))) {
                return false;
            }
        }
        return true;
    }

    static BsonDocument normalize(BsonValue v) {
        if (!v.isDocument()) {
            throw ArgonException.typeMismatch("The 'indexes' array must contain only objects");
        }
        BsonDocument in = v.asDocument();
        BsonValue key = in.get("key");
        if (key == null || !key.isDocument()) {
            throw ArgonException.failedToParse("The 'key' field is a required property of an index specification");
        }
        if (key.asDocument().isEmpty()) {
            throw new ArgonException(MongoErrorCode.CANNOT_CREATE_INDEX, "Index keys cannot be an empty field.");
        }
        for (Map.Entry<String, BsonValue> e : key.asDocument().entrySet()) {
            BsonValue dir = e.getValue();
            if (e.getKey().isEmpty()) {
                throw new ArgonException(MongoErrorCode.CANNOT_CREATE_INDEX, "Index keys cannot be an empty field.");
            }
            if (dir.isString()) {
                throw new ArgonException(MongoErrorCode.CANNOT_CREATE_INDEX, "Index type '" + dir.asString().getValue()
                        + "' is not supported by Argon yet; use ascending (1) or descending (-1) keys");
            }
            if (!dir.isNumber() || dir.asNumber().doubleValue() == 0) {
                throw new ArgonException(MongoErrorCode.CANNOT_CREATE_INDEX, "Values in the index key pattern can only be numbers > 0, numbers < 0, or strings. Found: "
                        + e.getValue());
            }
        }
        BsonValue name = in.get("name");
        if (name == null || !name.isString()) {
            throw ArgonException.failedToParse("The 'name' field is a required property of an index specification");
        }
        BsonDocument spec = new BsonDocument("v", new BsonInt32(2)).append("key", key).append("name", name);
        for (Map.Entry<String, BsonValue> e : in.entrySet()) {
            String k = e.getKey();
            if (k.equals("key") || k.equals("name") || k.equals("v") || k.equals("ns") || k.equals("background")) {
                continue;
            }
            if (k.equals("unique") || k.equals("sparse")) {
                boolean on = e.getValue().isBoolean() ? e.getValue().asBoolean().getValue()
                        : e.getValue().isNumber() && e.getValue().asNumber().doubleValue() != 0;
                if (on) {
                    spec.append(k, BsonBoolean.TRUE);
                }
                continue;
            }
            if (k.equals("expireAfterSeconds")) {
                spec.append(k, TtlIndex.seconds(e.getValue(), key.asDocument()));
                continue;
            }
            if (k.equals("partialFilterExpression")) {
                if (!e.getValue().isDocument()) {
                    throw ArgonException.typeMismatch("partialFilterExpression must be an object");
                }
                Matcher.compile(e.getValue().asDocument());
            }
            spec.append(k, e.getValue());
        }
        return spec;
    }
}
