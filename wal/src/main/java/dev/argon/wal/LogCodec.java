package dev.argon.wal;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;

/** The BSON form of a log entry in the {@code log} column family. Stateless. */
final class LogCodec {
    private LogCodec() {}

    static BsonDocument encode(LogEntry e, int branchId, long time, String actor, String comment) {
        BsonDocument d = new BsonDocument("b", new BsonInt32(branchId))
                .append("ns", new BsonString(e.ns()))
                .append("op", new BsonString(e.op()))
                .append("id", e.id() == null ? BsonNull.VALUE : e.id())
                .append("t", new BsonInt64(time));
        if (e.pre() != null) {
            d.append("pre", e.pre());
        }
        if (e.post() != null) {
            d.append("post", e.post());
        }
        if (actor != null) {
            d.append("actor", new BsonString(actor));
        }
        if (comment != null) {
            d.append("comment", new BsonString(comment));
        }
        return d;
    }
}
