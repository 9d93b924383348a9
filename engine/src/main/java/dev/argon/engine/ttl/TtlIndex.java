package dev.argon.engine.ttl;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.store.IndexInfo;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;

/**
 * What makes an index a TTL index: {@code expireAfterSeconds} on a single-field key. Validation follows mongod
 * (67 CannotCreateIndex): a number in [0, 2147483647], stored as an int (a fraction is dropped), and a key of one
 * field. Stateless.
 */
public final class TtlIndex {
    /** mongod's upper bound (and, for an invalid value it met in old data, its "disabled" value). */
    public static final long MAX_SECONDS = Integer.MAX_VALUE;

    private TtlIndex() {}

    /** The option as stored: an int32 in range. */
    public static BsonInt32 seconds(BsonValue v, BsonDocument key) {
        if (v == null || !v.isNumber()) {
            throw new ArgonException(MongoErrorCode.CANNOT_CREATE_INDEX, "TTL index 'expireAfterSeconds' option must be numeric, but received a type of '"
                    + (v == null ? "missing" : v.getBsonType().name().toLowerCase(java.util.Locale.ROOT)) + "'");
        }
        double d = v.isDouble() ? v.asDouble().getValue() : v.asNumber().longValue();
        if (!(d >= 0) || d > MAX_SECONDS) {
            throw new ArgonException(MongoErrorCode.CANNOT_CREATE_INDEX, "TTL index 'expireAfterSeconds' option must be within an acceptable range [0, "
                    + MAX_SECONDS + "], found: " + v);
        }
        if (key != null && key.size() != 1) {
            throw new ArgonException(MongoErrorCode.CANNOT_CREATE_INDEX,
                    "TTL indexes are single-field indexes, compound indexes do not support TTL. Index spec: " + key.toJson());
        }
        return new BsonInt32((int) d);
    }

    /** The index's expiry in seconds, or -1 when it is not a TTL index. */
    public static long expireAfterSeconds(IndexInfo index) {
        BsonValue v = index.spec().get("expireAfterSeconds");
        if (v == null || !v.isNumber() || index.key().size() != 1) {
            return -1;
        }
        return v.asNumber().longValue();
    }
}
