package dev.argon.wal;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/** A log entry read back: its LSN, branch, namespace, operation, {@code _id} and images (null when absent). */
public record LogRecord(long lsn, int branchId, String ns, String op, BsonValue id, BsonDocument pre, BsonDocument post,
                        long time, String actor, String comment) {

    static LogRecord decode(long lsn, BsonDocument d) {
        return new LogRecord(lsn, d.getInt32("b").getValue(), d.getString("ns").getValue(), d.getString("op").getValue(),
                d.get("id"), d.isDocument("pre") ? d.getDocument("pre") : null, d.isDocument("post") ? d.getDocument("post") : null,
                d.getInt64("t").getValue(), d.isString("actor") ? d.getString("actor").getValue() : null,
                d.isString("comment") ? d.getString("comment").getValue() : null);
    }
}
