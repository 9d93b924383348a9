package dev.argon.engine.command.catalog;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.CollectionSizes;
import dev.argon.engine.store.DataView;
import java.util.Map;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * The figures of one collection in one view, in the shape of mongod's {@code collStats} reply and of the
 * {@code storageStats} of {@code $collStats}: {@code count}, {@code size}, {@code avgObjSize},
 * {@code storageSize}, {@code nindexes}, {@code totalIndexSize}, {@code totalSize}, {@code indexSizes},
 * {@code scaleFactor}. Sizes come from {@link CollectionSizes} (logical bytes of what this branch or time-travel
 * point sees) and are divided by {@code scale}, as mongod does; {@code avgObjSize} is not scaled. Stateless.
 */
final class CollStats {
    private CollStats() {}

    /** The {@code scale} option: a positive number (mongod: 2 BadValue otherwise); 1 when absent. */
    static long scale(BsonValue v, String where) {
        if (v == null) {
            return 1;
        }
        if (!v.isNumber()) {
            throw ArgonException.typeMismatch(where + " must be a number, not '" + CommandContext.typeName(v) + "'");
        }
        double d = v.isDouble() ? v.asDouble().getValue() : v.asNumber().longValue();
        if (!(d >= 1)) {
            throw ArgonException.badValue("scale has to be >= 1");
        }
        return (long) d;
    }

    /** The figures of collection {@code c} (null: absent, all zero) named {@code ns}. */
    static BsonDocument of(DataView view, CollectionInfo c, String ns, long scale) {
        BsonDocument r = new BsonDocument("ns", new BsonString(ns));
        if (c == null) {
            return r.append("size", number(0)).append("count", number(0)).append("storageSize", number(0))
                    .append("totalIndexSize", number(0)).append("totalSize", number(0))
                    .append("indexSizes", new BsonDocument()).append("scaleFactor", new BsonInt32((int) Math.min(Integer.MAX_VALUE, scale)))
                    .append("nindexes", new BsonInt32(0));
        }
        CollectionSizes s = CollectionSizes.of(view.uncounted(), c);
        BsonDocument indexSizes = new BsonDocument();
        for (Map.Entry<String, Long> e : s.indexBytes().entrySet()) {
            indexSizes.append(e.getKey(), number(e.getValue() / scale));
        }
        r.append("size", number(s.dataBytes() / scale))
                .append("count", number(s.count()))
                .append("avgObjSize", new BsonDouble(s.avgObjSize()))
                .append("numOrphanDocs", new BsonInt32(0))
                .append("storageSize", number(s.storageBytes() / scale))
                .append("freeStorageSize", number(0))
                .append("capped", BsonBoolean.valueOf(capped(c.options().get("capped"))))
                .append("nindexes", new BsonInt32(s.indexBytes().size()))
                .append("indexBuilds", new org.bson.BsonArray())
                .append("totalIndexSize", number(s.totalIndexBytes() / scale))
                .append("totalSize", number((s.storageBytes() + s.totalIndexBytes()) / scale))
                .append("indexSizes", indexSizes)
                .append("scaleFactor", new BsonInt32((int) Math.min(Integer.MAX_VALUE, scale)));
        if (r.getBoolean("capped").getValue()) {
            // The options create was given (Argon stores them and does not cap yet), in mongod's fields.
            BsonValue size = c.options().get("size");
            r.append("maxSize", number(size != null && size.isNumber() ? size.asNumber().longValue() / scale : 0));
            if (c.options().containsKey("max") && c.options().get("max").isNumber()) {
                r.append("max", number(c.options().get("max").asNumber().longValue()));
            }
        }
        return r;
    }

    /**
     * A count or size as mongod's {@code appendNumber} writes it: an int below 2^30, else a long. Shells show an int
     * as a plain number (and {@code $sum} over ints stays one), a long as {@code Long(...)}.
     */
    static BsonValue number(long n) {
        return Math.abs(n) < (1L << 30) ? new BsonInt32((int) n) : new org.bson.BsonInt64(n);
    }

    private static boolean capped(BsonValue v) {
        return v != null && (v.isBoolean() ? v.asBoolean().getValue() : v.isNumber() && v.asNumber().doubleValue() != 0);
    }

    /** The namespace a stats request names; refuses names that are not a collection of the database. */
    static String collectionName(CommandContext ctx, BsonValue target, String command) {
        if (target == null || !target.isString() || target.asString().getValue().isEmpty()) {
            throw new ArgonException(MongoErrorCode.INVALID_NAMESPACE, command + " must name a collection");
        }
        return target.asString().getValue();
    }
}
