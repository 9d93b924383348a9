package dev.argon.engine.cursor;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.session.TxnId;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * Open cursors by id, batching, session ownership, the per-server cap and the idle timeout (mongod's
 * {@code cursorTimeoutMillis}, 10 minutes).
 *
 * <p>Lookup and use are atomic against kill and timeout: a getMore takes the cursor's lock and re-checks
 * that it is still open, so a cursor killed or reaped between the map lookup and the lock answers 43
 * CursorNotFound instead of reading a freed storage iterator. A cursor created by a command carrying an
 * {@code lsid} belongs to that session, as on mongod: a getMore from another session or without the lsid is
 * refused (50738, 50737), and so is a getMore in a session on a cursor created outside any (50736).
 * Session-level kills ({@link #killSessions}, {@link #endSessions}, {@link #killAllSessions}) take session
 * ids, so a session registry can call them when it expires or kills sessions.
 *
 * <p>Thread-safe.
 */
public final class CursorManager implements AutoCloseable {
    /** MongoDB's default first batch size. */
    public static final int DEFAULT_FIRST_BATCH = 101;
    /** mongod's default {@code cursorTimeoutMillis}. */
    public static final long DEFAULT_TIMEOUT_MILLIS = 10 * 60 * 1000L;
    /**
     * Default cap on open cursors per server: each may hold a storage iterator (native memory and a pinned
     * RocksDB version), so a client that opens cursors without closing them must hit a clear error before
     * the process runs out of memory.
     */
    public static final int DEFAULT_MAX_OPEN = 100_000;
    /** Replies stay under the 16 MiB document limit with room for the envelope. */
    static final int MAX_BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024;
    /** mongod's largest document in a reply (BSONObjMaxInternalSize, 16 MiB + 16 KiB). */
    static final int MAX_DOCUMENT_BYTES = 16 * 1024 * 1024 + 16 * 1024;
    /** The reaper runs at least this often, so a tiny timeout (tests) or an ended session is acted on soon. */
    private static final long MAX_REAP_INTERVAL_MILLIS = 1000;

    private final Map<Long, Cursor> cursors = new ConcurrentHashMap<>();
    /** Cursors registered and not yet retired; reserved before a cursor is registered, so the cap is exact. */
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicLong totalOpened = new AtomicLong();
    /** Sessions ended by endSessions whose cursors the next reaper pass kills. */
    private final Set<BsonValue> endedSessions = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService reaper;
    private volatile long timeoutMillis = DEFAULT_TIMEOUT_MILLIS;
    private volatile int maxOpen = DEFAULT_MAX_OPEN;

    public CursorManager() {
        reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "argon-cursor-reaper");
            t.setDaemon(true);
            return t;
        });
        scheduleReap();
    }

    public long timeoutMillis() {
        return timeoutMillis;
    }

    public void timeoutMillis(long millis) {
        if (millis <= 0) {
            throw ArgonException.badValue("cursorTimeoutMillis must be positive, not " + millis);
        }
        this.timeoutMillis = millis;
    }

    public int maxOpen() {
        return maxOpen;
    }

    public void maxOpen(int max) {
        if (max <= 0) {
            throw ArgonException.badValue("maxOpenCursors must be positive, not " + max);
        }
        this.maxOpen = max;
    }

    public long openCount() {
        return open.get();
    }

    public long timedOutCount() {
        return timedOut.get();
    }

    public long totalOpened() {
        return totalOpened.get();
    }

    /** Cursors a getMore is using right now (mongod's {@code metrics.cursor.open.pinned}). */
    public long pinnedCount() {
        long n = 0;
        for (Cursor c : cursors.values()) {
            if (c.lock().isLocked()) {
                n++;
            }
        }
        return n;
    }

    /** An open cursor by id, or null (tests). */
    Cursor cursor(long id) {
        return cursors.get(id);
    }

    /** Whether id names an open tailable cursor (a change stream); its errors are labelled as a change stream's. */
    public boolean tailable(long id) {
        Cursor c = cursors.get(id);
        return c != null && c.source() instanceof TailSource;
    }

    /** The session a command runs in: the {@code id} of its {@code lsid}, or null. */
    public static BsonValue sessionId(BsonDocument command) {
        BsonValue lsid = command.get("lsid");
        if (lsid == null || !lsid.isDocument()) {
            return null;
        }
        return lsid.asDocument().get("id");
    }

    /**
     * Builds the first-batch reply; registers a cursor owned by {@code sessionId} only if documents remain
     * (otherwise closes the resource at once and answers cursor id 0). Refused when the cap is reached.
     */
    public BsonDocument firstBatch(String ns, Iterator<BsonDocument> source, AutoCloseable resource, long batchSize,
                                   boolean singleBatch, BsonValue sessionId) {
        BsonArray batch;
        boolean more;
        try {
            batch = fill(source, batchSize <= 0 ? DEFAULT_FIRST_BATCH : batchSize, batchSize == 0);
            // Lazy sources (diff, merge walks, history) read in hasNext, so it may throw too.
            // A tailable source stays open when it has nothing yet: more may be committed.
            more = source.hasNext() || (source instanceof TailSource t && !t.exhausted());
        } catch (RuntimeException e) {
            closeQuietly(resource);
            throw e;
        }
        long id = 0;
        if (more && !singleBatch) {
            if (open.incrementAndGet() > maxOpen) {
                open.decrementAndGet();
                closeQuietly(resource);
                // 96 OperationFailed: no driver retries it, and the message says what to do.
                throw new ArgonException(MongoErrorCode.OPERATION_FAILED, "too many open cursors: the server allows "
                        + maxOpen + " (setParameter maxOpenCursors); exhaust or kill cursors (killCursors), or use a"
                        + " larger batchSize or singleBatch");
            }
            id = newId();
            // A tailable cursor may live for days: it keeps no read-gate ticket (GC would wait for it), each getMore
            // reads under its own command's ticket.
            cursors.put(id, new Cursor(id, ns, source, source instanceof TailSource ? resource : holdReadGate(resource), sessionId));
            totalOpened.incrementAndGet();
        } else {
            closeQuietly(resource);
        }
        return withResumeToken(reply(id, ns, "firstBatch", batch), source);
    }

    /** The next batch of a cursor, for a getMore running in session {@code sessionId} (null: none). */
    public BsonDocument getMore(long id, String ns, long batchSize, BsonValue sessionId) {
        return getMore(id, ns, batchSize, sessionId, 0);
    }

    /**
     * As {@link #getMore(long, String, long, BsonValue)}; a tailable cursor ({@link TailSource}) with nothing to
     * return waits up to {@code awaitMillis} for more before answering an empty batch.
     */
    public BsonDocument getMore(long id, String ns, long batchSize, BsonValue sessionId, long awaitMillis) {
        Cursor c = cursors.get(id);
        if (c == null) {
            throw notFound(id);
        }
        c.lock().lock();
        try {
            if (c.closed()) {
                // Killed or timed out between the lookup and the lock.
                throw notFound(id);
            }
            if (ns != null && !ns.equals(c.ns())) {
                throw new ArgonException(MongoErrorCode.UNAUTHORIZED, "Requested getMore on namespace '" + ns
                        + "', but cursor belongs to a different namespace " + c.ns());
            }
            checkSession(c, sessionId);
            c.touch();
            BsonArray batch;
            try {
                if (c.source() instanceof TailSource tail && !tail.hasNext()) {
                    tail.await(awaitMillis);
                }
                batch = fill(c.source(), batchSize <= 0 ? Long.MAX_VALUE : batchSize, false);
            } catch (RuntimeException e) {
                // As on mongod, a cursor whose getMore failed is gone.
                retireLocked(c);
                throw e;
            }
            long replyId = id;
            if (!(c.source() instanceof TailSource t && !t.exhausted()) && !c.source().hasNext()) {
                retireLocked(c);
                replyId = 0;
            }
            c.touch();
            return withResumeToken(reply(replyId, c.ns(), "nextBatch", batch), c.source());
        } finally {
            c.lock().unlock();
        }
    }

    /** Kills a cursor; false if it did not exist. A getMore in progress on it finishes first. */
    public boolean kill(long id) {
        Cursor c = cursors.remove(id);
        if (c == null) {
            return false;
        }
        open.decrementAndGet();
        c.close();
        return true;
    }

    /** Kills at once every cursor of the given sessions ({@code lsid.id} values); returns how many. */
    public int killSessions(Collection<? extends BsonValue> sessionIds) {
        Set<BsonValue> ids = new HashSet<>(sessionIds);
        int n = 0;
        for (Cursor c : cursors.values()) {
            if (c.sessionId() != null && ids.contains(c.sessionId()) && kill(c.id())) {
                n++;
            }
        }
        return n;
    }

    /** Kills every cursor that belongs to a session (cursors created outside sessions stay, as on mongod). */
    public int killAllSessions() {
        int n = 0;
        for (Cursor c : cursors.values()) {
            if (c.sessionId() != null && kill(c.id())) {
                n++;
            }
        }
        return n;
    }

    /**
     * Marks sessions as ended: their cursors are killed by the reaper's next pass (at most a second away), as
     * mongod's session cache kills an expired session's cursors when it next refreshes.
     */
    public void endSessions(Collection<? extends BsonValue> sessionIds) {
        endedSessions.addAll(sessionIds);
    }

    private void checkSession(Cursor c, BsonValue sessionId) {
        BsonValue owner = c.sessionId();
        if (owner == null && sessionId != null) {
            throw new ArgonException(MongoErrorCode.LOCATION_50736, "Cannot run getMore on cursor " + c.id()
                    + ", which was not created in a session, in session " + TxnId.sessionText(sessionId));
        }
        if (owner != null && sessionId == null) {
            throw new ArgonException(MongoErrorCode.LOCATION_50737, "Cannot run getMore on cursor " + c.id()
                    + ", which was created in session " + TxnId.sessionText(owner) + ", without an lsid");
        }
        if (owner != null && !owner.equals(sessionId)) {
            throw new ArgonException(MongoErrorCode.LOCATION_50738, "Cannot run getMore on cursor " + c.id()
                    + ", which was created in session " + TxnId.sessionText(owner) + ", in session " + TxnId.sessionText(sessionId));
        }
    }

    /** Removes and closes a cursor whose lock the caller holds. */
    private void retireLocked(Cursor c) {
        if (cursors.remove(c.id(), c)) {
            open.decrementAndGet();
        }
        c.closeLocked();
    }

    private static ArgonException notFound(long id) {
        return new ArgonException(MongoErrorCode.CURSOR_NOT_FOUND, "cursor id " + id + " not found");
    }

    private static BsonArray fill(Iterator<BsonDocument> source, long max, boolean none) {
        BsonArray batch = new BsonArray();
        if (none) {
            return batch;
        }
        long bytes = 0;
        while (batch.size() < max && source.hasNext()) {
            BsonDocument d = source.next();
            int size = DocSize.estimate(d);
            if (size > MAX_DOCUMENT_BYTES) {
                // A pipeline can build a bigger one ($push, $lookup, $facet): mongod refuses it as it serialises it.
                throw new ArgonException(MongoErrorCode.BSON_OBJECT_TOO_LARGE, "BSONObj size: " + size + " (0x"
                        + Integer.toHexString(size).toUpperCase(java.util.Locale.ROOT) + ") is invalid. Size must be between 0 and "
                        + MAX_DOCUMENT_BYTES + "(16MB)");
            }
            batch.add(d);
            // An estimate is enough: documents are at most 16 MiB and we leave a margin.
            bytes += size;
            if (bytes >= MAX_BATCH_BYTES / 2) {
                break;
            }
        }
        return batch;
    }

    private static BsonDocument reply(long id, String ns, String field, BsonArray batch) {
        return new BsonDocument("cursor", new BsonDocument(field, batch).append("id", new BsonInt64(id))
                .append("ns", new BsonString(ns)));
    }

    /** A tailable cursor's reply carries the point after its batch, where a driver resumes. */
    private static BsonDocument withResumeToken(BsonDocument reply, Iterator<BsonDocument> source) {
        if (source instanceof TailSource tail) {
            reply.getDocument("cursor").append("postBatchResumeToken", tail.postBatchResumeToken());
        }
        return reply;
    }

    private long newId() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
        } while (id == 0 || cursors.containsKey(id));
        return id;
    }

    private void scheduleReap() {
        long delay = Math.max(5, Math.min(MAX_REAP_INTERVAL_MILLIS, timeoutMillis / 4));
        try {
            reaper.schedule(() -> {
                try {
                    reap();
                } finally {
                    scheduleReap();
                }
            }, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    void reap() {
        long now = System.currentTimeMillis();
        Set<BsonValue> ended = endedSessions.isEmpty() ? Set.of() : new HashSet<>(endedSessions);
        for (Cursor c : cursors.values()) {
            boolean sessionEnded = c.sessionId() != null && ended.contains(c.sessionId());
            if (!sessionEnded && now - c.lastUsedMillis() <= timeoutMillis) {
                continue;
            }
            // A cursor whose lock is held is in use by a getMore, so it is not idle: leave it.
            if (!c.lock().tryLock()) {
                continue;
            }
            try {
                boolean idle = System.currentTimeMillis() - c.lastUsedMillis() > timeoutMillis;
                if (!c.closed() && (sessionEnded || idle) && cursors.remove(c.id(), c)) {
                    open.decrementAndGet();
                    c.closeLocked();
                    if (!sessionEnded) {
                        timedOut.incrementAndGet();
                    }
                }
            } finally {
                c.lock().unlock();
            }
        }
        endedSessions.removeAll(ended);
    }

    /**
     * A cursor outlives its command, and its reads need what GC must not delete meanwhile: it keeps the command's
     * read-gate ticket until it is closed (see {@link dev.argon.wal.ReadGate}).
     */
    private static AutoCloseable holdReadGate(AutoCloseable resource) {
        dev.argon.wal.ReadGate.Ticket ticket = dev.argon.wal.ReadGate.current();
        if (ticket == null) {
            return resource;
        }
        ticket.retain();
        return () -> {
            try {
                closeQuietly(resource);
            } finally {
                ticket.close();
            }
        };
    }

    private static void closeQuietly(AutoCloseable r) {
        if (r != null) {
            try {
                r.close();
            } catch (Exception ignored) {
                // see Cursor.close
            }
        }
    }

    @Override
    public void close() {
        reaper.shutdownNow();
        for (Long id : cursors.keySet()) {
            kill(id);
        }
    }
}
