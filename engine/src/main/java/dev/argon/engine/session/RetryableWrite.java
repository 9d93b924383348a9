package dev.argon.engine.session;

import dev.argon.engine.command.ClientContext;
import dev.argon.engine.failpoint.FailPoints;
import dev.argon.wal.KeyWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;

/**
 * One write command's view of its checked-out session: which of its statements were already applied by an
 * earlier attempt (and what they answered), the statements it applies now, and the record update that goes
 * into its commit. A write command without {@code txnNumber} gets {@link #none()}, on which every method is a
 * no-op, so handlers need no special case.
 *
 * <p>Statements are addressed by their index in the command; the statement id is {@code stmtIds[index]} when
 * the command carries {@code stmtIds}, else {@code stmtId + index} ({@code stmtId} defaulting to 0), as on
 * mongod. Drivers send neither, so a retried batch matches its first attempt index by index.
 *
 * <p>Lifecycle: {@link SessionCatalog#checkOut} &rarr; {@link #previous}/{@link #applied} per statement &rarr;
 * {@link #metaWrites()} into the commit &rarr; {@link #committed(boolean, boolean)} &rarr; {@link #close()}. Not thread-safe; it
 * belongs to the one thread running the command, or, once {@link #handOver handed over}, to the thread that
 * finishes its commit (the hand-over and check-in are synchronized, so both threads may call {@link #close()}).
 */
public final class RetryableWrite implements AutoCloseable {
    private static final RetryableWrite NONE = new RetryableWrite(null, null, null, null, null);

    private final SessionCatalog catalog;
    private final SessionCatalog.Session session;
    private final TxnRecord base;
    private final ClientContext client;
    private final FailPoints failPoints;
    private final BsonArray stmtIds;
    private final int firstStmtId;
    private final Map<Integer, BsonDocument> applied = new TreeMap<>();
    private final List<Integer> retried = new ArrayList<>();
    private TxnRecord next;
    private boolean closed;
    /** Set by {@link #handOver}: {@link #close()} leaves the session checked out for {@link #finishHandOver}. */
    private boolean handedOver;

    RetryableWrite(SessionCatalog catalog, SessionCatalog.Session session, BsonDocument command, ClientContext client,
                   FailPoints failPoints) {
        this.catalog = catalog;
        this.session = session;
        this.base = session == null ? null : session.record;
        this.client = client;
        this.failPoints = failPoints;
        BsonValue ids = command == null ? null : command.get("stmtIds");
        this.stmtIds = ids != null && ids.isArray() ? ids.asArray() : null;
        BsonValue first = command == null ? null : command.get("stmtId");
        this.firstStmtId = first != null && first.isNumber() ? first.asNumber().intValue() : 0;
    }

    /** The write of a command that is not a retryable write: remembers nothing, answers nothing. */
    public static RetryableWrite none() {
        return NONE;
    }

    /** True for a command with {@code txnNumber}. */
    public boolean active() {
        return session != null;
    }

    public int stmtId(int index) {
        if (stmtIds != null && index < stmtIds.size() && stmtIds.get(index).isNumber()) {
            return stmtIds.get(index).asNumber().intValue();
        }
        return firstStmtId + index;
    }

    /**
     * What the statement at index answered when an earlier attempt applied it (an empty document for an
     * insert), or null when it has not been applied and must run now.
     */
    public BsonDocument previous(int index) {
        if (session == null) {
            return null;
        }
        BsonDocument r = base.result(stmtId(index));
        if (r != null) {
            retried.add(stmtId(index));
        }
        return r;
    }

    /**
     * Called before a statement not applied yet is applied (once per insert command, once per other statement):
     * evaluates the {@code onPrimaryTransactionalWrite} fail point, which may throw to fail the write.
     */
    public void beforeWrite() {
        if (session != null) {
            failPoints.onTransactionalWrite(client);
        }
    }

    /** Records that the statement at index was applied and what it answered (null or empty for an insert). */
    public void applied(int index, BsonDocument result) {
        if (session != null) {
            applied.put(stmtId(index), result == null ? TxnRecord.IMPLIED : result);
        }
    }

    /** True when this command applied statements whose record must be written. */
    public boolean hasNewStatements() {
        return !applied.isEmpty();
    }

    /** The record update for the command's commit: empty when nothing new was applied. */
    public List<KeyWrite> metaWrites() {
        if (session == null || applied.isEmpty()) {
            return List.of();
        }
        next = base.with(applied, catalog.now());
        return List.of(KeyWrite.put(session.key, session.encode(next)));
    }

    /**
     * The commit that carried {@link #metaWrites()} was written (or there was no data change and the record
     * must be written alone: pass false and it is written here, synced when {@code journaled}): the new record
     * becomes the session's. A record that could not be written is not installed.
     */
    public void committed(boolean writtenWithCommit, boolean journaled) {
        if (session == null || applied.isEmpty()) {
            return;
        }
        if (next == null) {
            metaWrites();
        }
        if (!writtenWithCommit) {
            catalog.persistAlone(List.of(KeyWrite.put(session.key, session.encode(next))), journaled);
        }
        session.record = next;
    }

    /** Adds {@code retriedStmtIds} (mongod's field naming statements answered from the record) to a reply. */
    public void appendRetried(BsonDocument reply) {
        if (!retried.isEmpty()) {
            BsonArray a = new BsonArray();
            for (int id : retried) {
                a.add(new BsonInt32(id));
            }
            reply.append("retriedStmtIds", a);
        }
    }

    /** Statement ids answered from the record so far. */
    public List<Integer> retried() {
        return List.copyOf(retried);
    }

    /**
     * For a command whose commit completes on another thread ({@code PendingCommit.detach}): the session stays
     * checked out past {@link #close()}, so that no other command of the session runs, or answers from the record,
     * before the commit is written; {@link #finishHandOver} then installs the record and checks the session in.
     * From then on this object belongs to the thread that completes the commit.
     */
    public void handOver() {
        if (session != null) {
            synchronized (this) {
                handedOver = true;
            }
        }
    }

    /** The commit was not handed over after all ({@link #handOver}); {@link #close()} checks the session in again. */
    public void cancelHandOver() {
        if (session != null) {
            synchronized (this) {
                handedOver = false;
            }
        }
    }

    /**
     * The handed-over commit is finished: written (the record it carried becomes the session's, as
     * {@link #committed} does) or failed (the session keeps its old record, so a retry runs the statements again).
     * Checks the session in either way.
     */
    public void finishHandOver(boolean written, boolean journaled) {
        if (session == null) {
            return;
        }
        try {
            if (written) {
                committed(true, journaled);
            }
        } finally {
            synchronized (this) {
                handedOver = false;
            }
            close();
        }
    }

    /** Checks the session back in (unless handed over: see {@link #handOver}). */
    @Override
    public void close() {
        if (session == null) {
            return;
        }
        synchronized (this) {
            // Synchronized: after a hand-over the command's thread and the commit's may both get here.
            if (closed || handedOver) {
                return;
            }
            closed = true;
        }
        if (!retried.isEmpty()) {
            catalog.retriedCommands.incrementAndGet();
            catalog.retriedStatements.addAndGet(retried.size());
        }
        session.lock.release();
        catalog.release(session);
    }
}
