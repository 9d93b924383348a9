package dev.argon.engine.changestream;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.wal.LogEntry;
import dev.argon.wal.LogRecord;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonTimestamp;

/**
 * Builds a change event from one log entry, in the shape MongoDB documents: {@code _id} (the resume token),
 * {@code operationType}, {@code clusterTime} (the entry's LSN as a Timestamp, see docs/FORMATS.md),
 * {@code wallTime} (the commit's time), {@code fullDocument}, {@code ns}, {@code documentKey},
 * {@code updateDescription} and {@code fullDocumentBeforeChange}. Images come from the log entry itself: the
 * post-image is the document as that entry wrote it, the pre-image the version its branch held just before.
 * Every update is reported as {@code update} (the log does not record whether the client sent a replacement); a
 * dropped collection is a {@code drop} event.
 * Stateless.
 */
final class ChangeEvents {
    private ChangeEvents() {
    }

    /** Whether a collection offers pre- and post-images ({@code changeStreamPreAndPostImages: {enabled: true}}). */
    @FunctionalInterface
    interface ImagesPolicy {
        boolean offered(String db, String coll);
    }

    /** The event for a data entry, or null for entries that are not events (catalog entries). */
    static BsonDocument of(LogRecord r, ResumeToken token, BsonTimestamp clusterTime, ChangeStreamOptions opts,
                           ImagesPolicy images) {
        String type = switch (r.op()) {
            case LogEntry.INSERT -> "insert";
            case LogEntry.UPDATE -> "update";
            case LogEntry.DELETE -> "delete";
            // A catalog entry is an event only when it drops a collection; renames and index builds are not yet.
            case LogEntry.CATALOG -> r.id().isString() && r.id().asString().getValue().equals("drop") ? "drop" : null;
            default -> null;
        };
        if (type == null) {
            return null;
        }
        String ns = r.ns();
        int dot = ns.indexOf('.');
        String db = ns.substring(0, dot);
        String coll = ns.substring(dot + 1);
        BsonDocument e = new BsonDocument("_id", token.toDocument())
                .append("operationType", new BsonString(type))
                .append("clusterTime", clusterTime)
                .append("wallTime", new BsonDateTime(r.time()));
        if (type.equals("drop")) {
            return e.append("ns", new BsonDocument("db", new BsonString(db)).append("coll", new BsonString(coll)));
        }
        boolean offered = images.offered(db, coll);
        if (type.equals("insert")) {
            e.append("fullDocument", r.post());
        } else if (type.equals("update")) {
            switch (opts.fullDocument()) {
                case "updateLookup" -> e.append("fullDocument", r.post());
                case "whenAvailable" -> e.append("fullDocument", offered ? r.post() : BsonNull.VALUE);
                case "required" -> e.append("fullDocument", required(offered, r.post(), "post", token));
                default -> {
                }
            }
        }
        e.append("ns", new BsonDocument("db", new BsonString(db)).append("coll", new BsonString(coll)));
        e.append("documentKey", new BsonDocument("_id", r.id()));
        if (type.equals("update")) {
            BsonDocument pre = r.pre();
            BsonDocument post = r.post();
            e.append("updateDescription", UpdateDescription.of(pre == null ? new BsonDocument() : pre,
                    post == null ? new BsonDocument() : post));
        }
        if (!type.equals("insert")) {
            switch (opts.fullDocumentBeforeChange()) {
                case "whenAvailable" -> e.append("fullDocumentBeforeChange", offered ? r.pre() : BsonNull.VALUE);
                case "required" -> e.append("fullDocumentBeforeChange", required(offered, r.pre(), "pre", token));
                default -> {
                }
            }
        }
        return e;
    }

    private static BsonDocument required(boolean offered, BsonDocument image, String which, ResumeToken token) {
        if (!offered || image == null) {
            throw new ArgonException(MongoErrorCode.NO_MATCHING_DOCUMENT, "Change stream was configured to require a "
                    + which + "-image for all update, delete and replace events, but the " + which
                    + "-image was not found for event: " + token.toDocument().toJson()
                    + " (enable changeStreamPreAndPostImages on the collection)");
        }
        return image;
    }
}
