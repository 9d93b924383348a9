package dev.argon.engine.session;

import dev.argon.engine.ArgonException;
import dev.argon.engine.command.CommandContext;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;

/**
 * A command's {@code readConcern}: its {@code level} and the cluster times it names. Causal consistency rests
 * on {@code afterClusterTime}: the read must see every commit up to that time. Replies carry the cluster time
 * of the newest LSN only once the command's own commit is visible, so a time a client was given names state
 * that every later read already sees; the check left to do is that the time is not in the future (72, as
 * mongod). Immutable; thread-safe.
 *
 * @param level the level, or null when not given
 * @param afterClusterTime or null
 * @param atClusterTime or null
 */
public record ReadConcern(String level, BsonTimestamp afterClusterTime, BsonTimestamp atClusterTime) {
    public static final ReadConcern NONE = new ReadConcern(null, null, null);

    /** Parses the command's {@code readConcern} (absent: {@link #NONE}). */
    public static ReadConcern of(BsonDocument command) {
        BsonValue rc = command.get("readConcern");
        if (rc == null || rc.isNull()) {
            return NONE;
        }
        if (!rc.isDocument()) {
            throw ArgonException.typeMismatch("BSON field 'readConcern' is the wrong type '" + CommandContext.typeName(rc)
                    + "', expected type 'object'");
        }
        BsonDocument d = rc.asDocument();
        String level = null;
        if (d.containsKey("level")) {
            if (!d.isString("level")) {
                throw ArgonException.typeMismatch("BSON field 'ReadConcernArgs.level' is the wrong type '"
                        + CommandContext.typeName(d.get("level")) + "', expected type 'string'");
            }
            level = d.getString("level").getValue();
        }
        return new ReadConcern(level, timestamp(d, "afterClusterTime"), timestamp(d, "atClusterTime"));
    }

    private static BsonTimestamp timestamp(BsonDocument d, String field) {
        BsonValue v = d.get(field);
        if (v == null) {
            return null;
        }
        if (!v.isTimestamp()) {
            throw ArgonException.typeMismatch("BSON field 'ReadConcernArgs." + field + "' is the wrong type '"
                    + CommandContext.typeName(v) + "', expected type 'timestamp'");
        }
        return v.asTimestamp();
    }

    /**
     * Honours {@code afterClusterTime}: refuses a time after the present (72 InvalidOptions); any other names an
     * LSN already visible to this command, since it is resolved after that time was handed out.
     */
    public void await(ClusterTime clock) {
        if (afterClusterTime != null) {
            clock.lsnOf(afterClusterTime, "readConcern afterClusterTime");
        }
    }
}
