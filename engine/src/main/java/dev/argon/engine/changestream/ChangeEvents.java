package dev.argon.engine.changestream;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.wal.LogEntry;
import dev.argon.wal.LogRecord;
import java.util.HashSet;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;

/**
 * Builds change events from log entries, in the shapes MongoDB documents: {@code _id} (the resume token),
 * {@code operationType}, {@code clusterTime} (the entry's LSN as a Timestamp, see docs/FORMATS.md),
 * {@code wallTime} (the commit's time), {@code fullDocument}, {@code ns}, {@code documentKey},
 * {@code updateDescription} and {@code fullDocumentBeforeChange}, and for transactions and retryable writes
 * {@code lsid} and {@code txnNumber}. Images come from the log entry itself: the post-image is the document as that
 * entry wrote it, the pre-image the version its branch held just before. An update whose entry is marked as a
 * replacement is a {@code replace}. Catalog entries: a dropped collection is a {@code drop}; a drop followed in
 * the same commit by the {@code rename} entry of the same collection is one {@code rename} event (built by
 * {@link #rename}); with {@code showExpandedEvents} also {@code create}, {@code createIndexes}, {@code dropIndexes}
 * and {@code modify}, and every event but {@code invalidate} and {@code dropDatabase} carries
 * {@code collectionUUID}. Stateless.
 */
final class ChangeEvents {
    /** The _id index every collection has; mongod reports it in a create event. */
    private static final BsonDocument ID_INDEX = new BsonDocument("v", new BsonInt32(2))
            .append("key", new BsonDocument("_id", new BsonInt32(1))).append("name", new BsonString("_id_"));

    private ChangeEvents() {
    }

    /** What an event needs to know of the catalog beyond its own log entry. */
    interface Catalog {
        /** Whether a collection offers pre- and post-images ({@code changeStreamPreAndPostImages: {enabled: true}}). */
        boolean offered(String db, String coll);

        /** The collection's UUID as the branch held it at lsn, or null. */
        BsonValue uuid(long lsn, String db, String coll);

        /** The collection's catalog entry (BSON) just before lsn, or null. */
        BsonDocument before(long lsn, String db, String coll);
    }

    /** The commit's session fields ({@code lsid}, {@code txnNumber}), or null: added to every event of it. */
    record Origin(BsonDocument lsid, BsonValue txnNumber) {
    }

    /**
     * The event for a data entry or a catalog entry that is an event on its own (not a rename's parts), or null for
     * entries that are not events (index build chunks; expanded events without {@code showExpandedEvents}).
     */
    static BsonDocument of(LogRecord r, ResumeToken token, BsonTimestamp clusterTime, ChangeStreamOptions opts,
                           Catalog catalog, Origin origin) {
        String ns = r.ns();
        int dot = ns.indexOf('.');
        String db = ns.substring(0, dot);
        String coll = ns.substring(dot + 1);
        if (r.op().equals(LogEntry.CATALOG)) {
            return catalogEvent(r, token, clusterTime, opts, catalog, db, coll);
        }
        String type = switch (r.op()) {
            case LogEntry.INSERT -> "insert";
            case LogEntry.UPDATE -> r.replacement() ? "replace" : "update";
            case LogEntry.DELETE -> "delete";
            default -> null;
        };
        if (type == null) {
            return null;
        }
        BsonDocument e = head(token, type, clusterTime, r.time());
        boolean offered = catalog.offered(db, coll);
        switch (type) {
            case "insert", "replace" -> e.append("fullDocument", r.post());
            case "update" -> {
                switch (opts.fullDocument()) {
                    case "updateLookup" -> e.append("fullDocument", r.post());
                    case "whenAvailable" -> e.append("fullDocument", offered ? r.post() : BsonNull.VALUE);
                    case "required" -> e.append("fullDocument", required(offered, r.post(), "post", token));
                    default -> {
                    }
                }
            }
            default -> {
            }
        }
        e.append("ns", ns(db, coll));
        uuid(e, opts, catalog, r.lsn(), db, coll);
        e.append("documentKey", new BsonDocument("_id", r.id()));
        if (type.equals("update")) {
            BsonDocument pre = r.pre();
            BsonDocument post = r.post();
            e.append("updateDescription", UpdateDescription.of(pre == null ? new BsonDocument() : pre,
                    post == null ? new BsonDocument() : post, opts.showExpandedEvents()));
        }
        if (!type.equals("insert")) {
            switch (opts.fullDocumentBeforeChange()) {
                case "whenAvailable" -> e.append("fullDocumentBeforeChange", offered ? r.pre() : BsonNull.VALUE);
                case "required" -> e.append("fullDocumentBeforeChange", required(offered, r.pre(), "pre", token));
                default -> {
                }
            }
        }
        return withOrigin(e, origin);
    }

    /** Whether r is the catalog entry of a dropped collection (which may be the first half of a rename). */
    static boolean isDrop(LogRecord r) {
        return action(r).equals("drop") || isDatabaseDrop(r);
    }

    /** Whether r drops a collection as part of a dropDatabase. */
    static boolean isDatabaseDrop(LogRecord r) {
        return action(r).equals("dropDatabase");
    }

    /** Whether r, read right after the drop entry {@code drop} of the same commit, completes a rename of it. */
    static boolean completesRename(LogRecord drop, LogRecord r) {
        if (!action(r).equals("rename") || r.post() == null || drop.pre() == null) {
            return false;
        }
        BsonValue before = drop.pre().get("uuid");
        return before != null && before.equals(r.post().get("uuid"));
    }

    /** The rename event of a drop entry and the rename entry that follows it; dropTarget is the replaced target's UUID. */
    static BsonDocument rename(LogRecord drop, LogRecord renamed, ResumeToken token, BsonTimestamp clusterTime,
                               ChangeStreamOptions opts, BsonValue dropTarget, Origin origin) {
        String[] from = split(drop.ns());
        BsonDocument to = ns(renamed.post().getString("db").getValue(), renamed.post().getString("name").getValue());
        BsonDocument e = head(token, "rename", clusterTime, renamed.time()).append("ns", ns(from[0], from[1])).append("to", to);
        if (opts.showExpandedEvents()) {
            e.append("collectionUUID", renamed.post().get("uuid"));
            BsonDocument description = new BsonDocument("to", to.clone());
            if (dropTarget != null) {
                description.append("dropTarget", dropTarget);
            }
            e.append("operationDescription", description);
        }
        return withOrigin(e, origin);
    }

    /** The dropDatabase event of database db. */
    static BsonDocument dropDatabase(String db, ResumeToken token, BsonTimestamp clusterTime, long time) {
        return head(token, "dropDatabase", clusterTime, time).append("ns", new BsonDocument("db", new BsonString(db)));
    }

    private static BsonDocument catalogEvent(LogRecord r, ResumeToken token, BsonTimestamp clusterTime, ChangeStreamOptions opts,
                                             Catalog catalog, String db, String coll) {
        String action = action(r);
        if (action.equals("drop") || action.equals("dropDatabase")) {
            BsonDocument e = head(token, "drop", clusterTime, r.time()).append("ns", ns(db, coll));
            if (opts.showExpandedEvents() && r.pre() != null && r.pre().containsKey("uuid")) {
                e.append("collectionUUID", r.pre().get("uuid"));
            }
            return e;
        }
        if (!opts.showExpandedEvents() || r.post() == null) {
            return null;
        }
        BsonDocument post = r.post();
        BsonDocument description;
        BsonDocument stateBefore = null;
        String type;
        switch (action) {
            case "create" -> {
                type = "create";
                description = new BsonDocument("idIndex", ID_INDEX.clone());
                BsonDocument options = post.isDocument("options") ? post.getDocument("options") : new BsonDocument();
                if (!options.isEmpty()) {
                    description.append("collectionOptions", options);
                }
            }
            case "createIndex" -> {
                // A createIndex entry appends one index to the catalog entry: the last one is the new one.
                BsonArray all = post.getArray("indexes", new BsonArray());
                if (all.isEmpty()) {
                    return null;
                }
                type = "createIndexes";
                description = new BsonDocument("indexes", new BsonArray(java.util.List.of(spec(all.get(all.size() - 1)))));
            }
            case "dropIndexes" -> {
                BsonDocument before = catalog.before(r.lsn(), db, coll);
                Set<BsonValue> kept = new HashSet<>();
                for (BsonValue v : post.getArray("indexes", new BsonArray())) {
                    kept.add(spec(v).get("name"));
                }
                BsonArray dropped = new BsonArray();
                if (before != null) {
                    for (BsonValue v : before.getArray("indexes", new BsonArray())) {
                        if (!kept.contains(spec(v).get("name"))) {
                            dropped.add(spec(v));
                        }
                    }
                }
                type = "dropIndexes";
                description = new BsonDocument("indexes", dropped);
            }
            case "collMod" -> {
                type = "modify";
                BsonDocument before = catalog.before(r.lsn(), db, coll);
                BsonDocument oldOptions = before != null && before.isDocument("options") ? before.getDocument("options") : new BsonDocument();
                BsonDocument newOptions = post.isDocument("options") ? post.getDocument("options") : new BsonDocument();
                description = new BsonDocument();
                for (String k : newOptions.keySet()) {
                    if (!newOptions.get(k).equals(oldOptions.get(k))) {
                        description.append(k, newOptions.get(k));
                    }
                }
                BsonArray newIndexes = post.getArray("indexes", new BsonArray());
                BsonArray oldIndexes = before == null ? new BsonArray() : before.getArray("indexes", new BsonArray());
                for (BsonValue v : newIndexes) {
                    if (!oldIndexes.contains(v)) {
                        description.append("index", spec(v));
                    }
                }
                stateBefore = new BsonDocument("collectionOptions", oldOptions);
            }
            default -> {
                return null;
            }
        }
        BsonDocument e = head(token, type, clusterTime, r.time()).append("ns", ns(db, coll));
        if (post.containsKey("uuid")) {
            e.append("collectionUUID", post.get("uuid"));
        }
        e.append("operationDescription", description);
        if (stateBefore != null) {
            e.append("stateBeforeChange", stateBefore);
        }
        return e;
    }

    private static BsonDocument spec(BsonValue catalogIndex) {
        BsonDocument d = catalogIndex.asDocument();
        return d.isDocument("spec") ? d.getDocument("spec") : d;
    }

    private static String action(LogRecord r) {
        return r.op().equals(LogEntry.CATALOG) && r.id() != null && r.id().isString() ? r.id().asString().getValue() : "";
    }

    private static BsonDocument head(ResumeToken token, String type, BsonTimestamp clusterTime, long time) {
        return new BsonDocument("_id", token.toDocument())
                .append("operationType", new BsonString(type))
                .append("clusterTime", clusterTime)
                .append("wallTime", new BsonDateTime(time));
    }

    private static void uuid(BsonDocument e, ChangeStreamOptions opts, Catalog catalog, long lsn, String db, String coll) {
        if (opts.showExpandedEvents()) {
            BsonValue u = catalog.uuid(lsn, db, coll);
            if (u != null) {
                e.append("collectionUUID", u);
            }
        }
    }

    private static BsonDocument withOrigin(BsonDocument e, Origin origin) {
        if (origin != null) {
            e.append("lsid", origin.lsid());
            if (origin.txnNumber() != null) {
                e.append("txnNumber", origin.txnNumber());
            }
        }
        return e;
    }

    static BsonDocument ns(String db, String coll) {
        return new BsonDocument("db", new BsonString(db)).append("coll", new BsonString(coll));
    }

    static String[] split(String ns) {
        int dot = ns.indexOf('.');
        return new String[] {ns.substring(0, dot), ns.substring(dot + 1)};
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
