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
        imagesOffered.clear();
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
        try (LogScan scan = wal.scanLog(branchId, Math.max(start, positionLsn + 1), end, false)) {
            while (scan.hasNext()) {
                LogRecord r = scan.next();
                if (r.lsn() <= positionLsn) {
                    continue;
                }
                if (watches(r.ns())) {
                    ResumeToken token = new ResumeToken(branchId, end, r.lsn());
                    BsonDocument event = ChangeEvents.of(r, token, clusterTime.at(r.lsn(), time), opts, this::offered);
                    if (event != null) {
                        emit(event, token);
                        if (coll != null && event.getString("operationType").getValue().equals("drop")) {
                            // As on mongod: a collection stream ends with its collection.
                            positionLsn = r.lsn();
                            invalidate();
                            return true;
                        }
                    }
                }
                positionLsn = r.lsn();
                if (ready.size() >= MAX_BUFFERED && scan.hasNext()) {
                    // Look at this commit again next time (its last LSN is above scannedLsn); the position skips what was read.
                    scannedLsn = end - 1;
                    return true;
                }
            }
        }
        positionLsn = Math.max(positionLsn, end);
        scannedLsn = Math.max(scannedLsn, end);
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

    private boolean offered(String d, String c) {
        return imagesOffered.computeIfAbsent(d + "." + c, k -> {
            DataView view = store.head(branchId);
            CollectionInfo info = view.collection(d, c);
            if (info == null || info.options() == null) {
                return false;
            }
            BsonValue v = info.options().get("changeStreamPreAndPostImages");
            return v != null && v.isDocument() && v.asDocument().getBoolean("enabled", org.bson.BsonBoolean.FALSE).getValue();
        });
    }
}
