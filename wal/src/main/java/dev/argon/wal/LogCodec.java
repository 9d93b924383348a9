package dev.argon.wal;

import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonString;

/**
 * The BSON form of a log entry in the {@code log} column family (docs/FORMATS.md, "Log entry"). Time, actor and
 * comment are not repeated per entry: they are the commit record's. Stateless.
 */
final class LogCodec {
    private LogCodec() {}

    static BsonDocument encode(LogEntry e, int branchId) {
        BsonDocument d = new BsonDocument("b", new BsonInt32(branchId))
                .append("ns", new BsonString(e.ns()))
                .append("op", new BsonString(e.op()))
                .append("id", e.id() == null ? BsonNull.VALUE : e.id());
        if (e.images() == LogEntry.Images.INLINE) {
            if (e.pre() != null) {
                d.append("pre", e.pre());
            }
            if (e.post() != null) {
                d.append("post", e.post());
            }
        } else {
            d.append("k", new BsonBinary(e.writes().get(0).userKey()));
            if (e.images() == LogEntry.Images.PRE_AND_POST) {
                d.append("p", BsonBoolean.TRUE);
            }
        }
        if (e.replacement()) {
            d.append("r", BsonBoolean.TRUE);
        }
        return d;
    }

    /** The BSON of {@link #encode}'s document; entries with versioned images are written without building it. */
    static byte[] bytes(LogEntry e, int branchId) {
        if (e.images() == LogEntry.Images.INLINE) {
            return Bson.bytes(encode(e, branchId));
        }
        return BsonEncoder.logEntry(branchId, e.ns(), e.op(), e.id(), e.writes().get(0).userKey(),
                e.images() == LogEntry.Images.PRE_AND_POST, e.replacement());
    }

    /**
     * Writes the fields of an entry with versioned images into an open record of enc (the caller ends it): the same
     * bytes as {@link #bytes}, written where the caller wants them.
     */
    static void write(BsonEncoder enc, LogEntry e, int branchId) {
        if (e.images() == LogEntry.Images.INLINE) {
            throw new IllegalArgumentException("an entry with inline images is encoded as a document");
        }
        BsonEncoder.logEntry(enc, branchId, e.ns(), e.op(), e.id(), e.writes().get(0).userKey(),
                e.images() == LogEntry.Images.PRE_AND_POST, e.replacement());
    }

    /** The branch id of an encoded entry, without decoding the rest. */
    static int branchId(BsonDocument d) {
        return d.getInt32("b").getValue();
    }
}
