package dev.argon.engine.changestream;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.aggregate.Pipeline;
import dev.argon.engine.cursor.TailSource;
import dev.argon.engine.session.ClusterTime;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.CommitSignal;
import dev.argon.engine.store.DataView;
import dev.argon.engine.store.Store;
import dev.argon.wal.Branch;
import dev.argon.wal.LogRecord;
import dev.argon.wal.LogScan;
import dev.argon.wal.VersionStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * The open change stream behind a cursor: reads the watched branch id's commits above its position, turns their
 * entries into events ({@link ChangeEvents}), runs the later stages over each, and buffers what comes out.
 * {@link #hasNext()} never blocks; {@link #await} sleeps on the store's {@link CommitSignal}.
 *
 * <p>The position {@code positionLsn} is an LSN of the branch id: every entry at or below it has been turned into
 * an event (or filtered out). It only moves to an entry's LSN or to a commit boundary at or below the branch's
 * head, so a streamed commit whose chunks lie below other commits is read whole once it is published.
 * Not thread-safe: used under its cursor's lock.
 */
final class ChangeStreamCursor implements TailSource {
    /** LSNs of commit records read per look-up: bounds the memory of one look at a long history. */
    private static final long WINDOW = 4096;
    /** Events buffered before a look stops inside a commit: a huge commit is read in parts. */
    private static final int MAX_BUFFERED = 10_000;
    /** Databases a whole-deployment stream leaves out, as mongod does. */
    private static final Set<String> INTERNAL_DBS = Set.of("admin", "config", "local");

    private final VersionStore wal;
    private final Store store;
    private final ClusterTime clusterTime;
    private final int branchId;
    /** Watched database, or null for the whole deployment. */
    private final String db;
    /** Watched collection, or null for a whole database. */
    private final String coll;
    private final ChangeStreamOptions opts;
    /** The stages after $changeStream, or null. */
    private final Pipeline rest;
    private final ArrayDeque<BsonDocument> ready = new ArrayDeque<>();
    private final Map<String, Boolean> imagesOffered = new HashMap<>();
    /** Collection UUIDs by namespace as of the entries read (kept across looks; catalog entries update them). */
    private final Map<String, java.util.Optional<BsonValue>> uuids = new HashMap<>();
    /** Collections as the head held them at this look (cleared per look, as imagesOffered). */
    private final Map<String, java.util.Optional<CollectionInfo>> collections = new HashMap<>();
    private long positionLsn;
    /** Commit records up to here have been looked at. */
    private long scannedLsn;
    private ResumeToken returned;
    private boolean ended;

    ChangeStreamCursor(Store store, ClusterTime clusterTime, int branchId, String db, String coll, ChangeStreamOptions opts,
                       Pipeline rest, long positionLsn) {
        this.wal = store.versions();
        this.store = store;
        this.clusterTime = clusterTime;
        this.branchId = branchId;
        this.db = db;
        this.coll = coll;
        this.opts = opts;
        this.rest = rest;
        this.positionLsn = positionLsn;
        this.scannedLsn = positionLsn;
        this.returned = mark(positionLsn);
    }

    @Override
    public boolean hasNext() {
        if (ready.isEmpty() && !ended) {
            look();
        }
        return !ready.isEmpty();
    }

    @Override
    public BsonDocument next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        BsonDocument e = ready.poll();
        returned = ResumeToken.parse(e.get("_id"), "_id");
        return e;
    }

    @Override
    public void await(long millis) {
        CommitSignal signal = store.commitSignal();
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!ended) {
            long seen = signal.count();
            if (hasNext()) {
                return;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0 || Thread.currentThread().isInterrupted()) {
                return;
            }
            signal.awaitChange(seen, left);
        }
    }

    @Override
    public boolean exhausted() {
        return ended;
    }

    @Override
    public BsonDocument postBatchResumeToken() {
        return (ready.isEmpty() ? mark(positionLsn) : returned).toDocument();
    }

    private ResumeToken mark(long lsn) {
        return new ResumeToken(branchId, lsn, lsn);
    }

    /** Reads what the branch committed above the position, until an event is ready or the head is reached. */
    private void look() {
        Branch b = wal.branch(branchId);
        if (b == null || b.name() == null) {
            // Reset (the name moved to a new id) or deleted: this range ends here.
            invalidate();
            return;
        }
        long head = b.headLsn();
        // GC may have deleted the images of entries above the position (a watcher that lagged behind the retention).
        ChangeStream.kept(wal, branchId, positionLsn);
        imagesOffered.clear();
        collections.clear();
        while (ready.isEmpty() && scannedLsn < head) {
            long hi = Math.min(head, scannedLsn + WINDOW);
            List<BsonDocument> commits = wal.commits(branchId, scannedLsn, hi);
            boolean cut = false;
            for (int i = commits.size() - 1; i >= 0 && !cut; i--) {
                cut = readCommit(commits.get(i));
            }
            if (!cut) {
                scannedLsn = hi;
                if (hi == head) {
                    // The head is a commit boundary of this branch id: nothing at or below it is still to come.
                    positionLsn = Math.max(positionLsn, head);
                }
            }
        }
    }

    /** Turns one commit's entries above the position into events; true if it stopped inside the commit. */
    private boolean readCommit(BsonDocument commit) {
        long end = commit.getInt64("lsn").getValue();
        long start = commit.containsKey("startLsn") ? commit.getInt64("startLsn").getValue() : end;
        long time = commit.containsKey("time") ? commit.get("time").asNumber().longValue() : 0;
        ChangeEvents.Origin origin = commit.isDocument("lsid")
                ? new ChangeEvents.Origin(commit.getDocument("lsid"), commit.get("txnNumber")) : null;
        // A drop may be the first half of a rename (the rename entry follows it in the same commit), and a rename
        // with dropTarget drops its target just before: consecutive drops are held until the next entry shows what
        // they were. The held drop of the rename's target is not an event of its own, as on mongod: the target's
        // stream sees the rename (with dropTarget), then its invalidate.
        List<LogRecord> heldDrops = new ArrayList<>();
        Map<String, BsonValue> dropped = new HashMap<>();
        String droppedDatabase = null;
        try (LogScan scan = wal.scanLog(branchId, Math.max(start, positionLsn + 1), end, false)) {
            while (scan.hasNext()) {
                LogRecord r = scan.next();
                if (r.lsn() <= positionLsn) {
                    continue;
                }
                if (ChangeEvents.isDrop(r)) {
                    uuids.put(r.ns(), java.util.Optional.empty());
                } else if (r.op().equals(dev.argon.wal.LogEntry.CATALOG) && r.post() != null && r.post().containsKey("uuid")) {
                    // A catalog entry's post-image is the collection's entry after it (index build chunks hold none).
                    uuids.put(r.ns(), java.util.Optional.of(r.post().get("uuid")));
                }
                if (ChangeEvents.isDrop(r)) {
                    if (r.pre() != null && r.pre().containsKey("uuid")) {
                        dropped.put(r.ns(), r.pre().get("uuid"));
                    }
                    if (ChangeEvents.isDatabaseDrop(r)) {
                        droppedDatabase = ChangeEvents.split(r.ns())[0];
                    }
                    heldDrops.add(r);
                    continue;
                }
                if (!heldDrops.isEmpty()) {
                    LogRecord source = heldDrops.get(heldDrops.size() - 1);
                    boolean renames = ChangeEvents.completesRename(source, r);
                    for (LogRecord drop : heldDrops.subList(0, heldDrops.size() - (renames ? 1 : 0))) {
                        if (renames && drop.ns().equals(r.ns())) {
                            continue; // the rename's dropTarget
                        }
                        if (event(drop, end, time, origin)) {
                            return true;
                        }
                        positionLsn = drop.lsn();
                    }
                    heldDrops.clear();
                    if (renames) {
                        if (rename(source, r, end, time, dropped.get(r.ns()), origin)) {
                            return true;
                        }
                        positionLsn = r.lsn();
                        continue;
                    }
                }
                if (event(r, end, time, origin)) {
                    return true;
                }
                positionLsn = r.lsn();
                if (ready.size() >= MAX_BUFFERED && scan.hasNext()) {
                    // Look at this commit again next time (its last LSN is above scannedLsn); the position skips what was read.
                    scannedLsn = end - 1;
                    return true;
                }
            }
        }
        for (LogRecord drop : heldDrops) {
            if (event(drop, end, time, origin)) {
                return true;
            }
            positionLsn = drop.lsn();
        }
        if (droppedDatabase != null && (db == null || db.equals(droppedDatabase))) {
            // As on mongod: the collections' drops, then dropDatabase; a stream on that database then ends.
            ResumeToken token = new ResumeToken(branchId, end, end);
            emit(ChangeEvents.dropDatabase(droppedDatabase, token, clusterTime.at(end, time), time), token);
            if (db != null && coll == null) {
                positionLsn = end;
                invalidate();
                return true;
            }
        }
        positionLsn = Math.max(positionLsn, end);
        scannedLsn = Math.max(scannedLsn, end);
        return false;
    }

    /** Emits the event of one entry if this stream watches it; true if the stream ended (a collection stream's drop). */
    private boolean event(LogRecord r, long end, long time, ChangeEvents.Origin origin) {
        if (!watches(r.ns())) {
            return false;
        }
        ResumeToken token = new ResumeToken(branchId, end, r.lsn());
        BsonDocument event = ChangeEvents.of(r, token, clusterTime.at(r.lsn(), time), opts, catalog, origin);
        if (event == null) {
            return false;
        }
        emit(event, token);
        if (coll != null && ChangeEvents.isDrop(r)) {
            // As on mongod: a collection stream ends with its collection.
            positionLsn = r.lsn();
            invalidate();
            return true;
        }
        return false;
    }

    /** Emits a rename if this stream watches its source or target; true if the stream ended (a collection stream). */
    private boolean rename(LogRecord drop, LogRecord renamed, long end, long time, BsonValue dropTarget,
                           ChangeEvents.Origin origin) {
        if (!watches(drop.ns()) && !watches(renamed.ns())) {
            return false;
        }
        ResumeToken token = new ResumeToken(branchId, end, renamed.lsn());
        emit(ChangeEvents.rename(drop, renamed, token, clusterTime.at(renamed.lsn(), time), opts, dropTarget, origin), token);
        if (coll != null) {
            positionLsn = renamed.lsn();
            invalidate();
            return true;
        }
        return false;
    }

    private boolean watches(String ns) {
        int dot = ns.indexOf('.');
        if (dot < 0) {
            return false;
        }
        String d = ns.substring(0, dot);
        String c = ns.substring(dot + 1);
        if (c.startsWith("system.")) {
            return false;
        }
        if (db == null) {
            return !INTERNAL_DBS.contains(d);
        }
        return d.equals(db) && (coll == null || c.equals(coll));
    }

    private void emit(BsonDocument event, ResumeToken token) {
        if (rest == null) {
            ready.add(event);
            return;
        }
        BsonValue id = event.get("_id");
        Iterator<BsonDocument> out = rest.run(List.of(event).iterator());
        while (out.hasNext()) {
            BsonDocument d = out.next();
            if (!id.equals(d.get("_id"))) {
                throw new ArgonException(MongoErrorCode.CHANGE_STREAM_FATAL_ERROR, "Encountered an event whose _id field, which"
                        + " contains the resume token, was modified by the pipeline. Modifying the _id field of an event makes it"
                        + " impossible to resume the stream from that point. Only transformations that retain the unmodified _id"
                        + " field are allowed.");
            }
            ready.add(d);
        }
    }

    private void invalidate() {
        ended = true;
        ResumeToken token = new ResumeToken(branchId, positionLsn, positionLsn);
        BsonDocument e = new BsonDocument("_id", token.toDocument())
                .append("operationType", new BsonString("invalidate"))
                .append("clusterTime", clusterTime.current())
                .append("wallTime", new BsonDateTime(System.currentTimeMillis()));
        ready.add(e);
    }

    /** The catalog as events need it: options and UUIDs as the branch holds them now, a collection's entry before an LSN. */
    private final ChangeEvents.Catalog catalog = new ChangeEvents.Catalog() {
        @Override
        public boolean offered(String d, String c) {
            return imagesOffered.computeIfAbsent(d + "." + c, k -> {
                CollectionInfo info = current(d, c);
                if (info == null || info.options() == null) {
                    return false;
                }
                BsonValue v = info.options().get("changeStreamPreAndPostImages");
                return v != null && v.isDocument() && v.asDocument().getBoolean("enabled", org.bson.BsonBoolean.FALSE).getValue();
            });
        }

        @Override
        public BsonValue uuid(long lsn, String d, String c) {
            // Catalog entries read so far tell; otherwise the catalog as of the event (the collection may have been
            // renamed or dropped since).
            return uuids.computeIfAbsent(d + "." + c, k -> java.util.Optional.ofNullable(store.at(branchId, lsn).collection(d, c))
                    .map(CollectionInfo::uuid)).orElse(null);
        }

        @Override
        public BsonDocument before(long lsn, String d, String c) {
            CollectionInfo info = store.at(branchId, lsn - 1).collection(d, c);
            return info == null ? null : info.toBson();
        }
    };

    private CollectionInfo current(String d, String c) {
        return collections.computeIfAbsent(d + "." + c, k -> java.util.Optional.ofNullable(store.head(branchId).collection(d, c)))
                .orElse(null);
    }
}
