package dev.argon.engine.session;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.ShutdownAwareLock;
import dev.argon.engine.command.ClientContext;
import dev.argon.engine.failpoint.FailPoints;
import dev.argon.wal.Bson;
import dev.argon.wal.Bytes;
import dev.argon.wal.KeyWrite;
import dev.argon.wal.VersionStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logical sessions that have made retryable writes, with each one's newest {@link TxnRecord}. A session is
 * checked out by one command at a time ({@link #checkOut}); a second command of the same session (a driver's
 * retry on a fresh connection while the first attempt still runs) waits for it, then sees its record.
 *
 * <p>Records are persisted under {@code txn/<lsid BSON>} in the metadata family, in the same WAL commit as the
 * write they describe, and all of them are loaded when the data directory is opened, so a brand-new session
 * costs no read. A session idle for longer than the logical session timeout is forgotten: at open, records
 * older than it are deleted; while running, a sweep at most once a minute (on the next check-out) drops idle
 * sessions from memory and deletes their records.
 *
 * <p>Thread-safe: the session map is guarded by this object's monitor, each session's record by its own lock,
 * held from check-out to close.
 */
public final class SessionCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(SessionCatalog.class);
    /** The logical session timeout {@code hello} announces ({@code logicalSessionTimeoutMinutes}). */
    public static final int TIMEOUT_MINUTES = 30;
    static final byte[] PREFIX = "txn/".getBytes(StandardCharsets.UTF_8);
    /** Sweeping costs a pass over every session; once a minute keeps that negligible against the 30-minute timeout. */
    private static final long SWEEP_INTERVAL_MILLIS = 60_000;

    private final VersionStore wal;
    private final LongSupplier clock;
    private final long timeoutMillis;
    private final BooleanSupplier shuttingDown;
    /** Keyed by {@link #mapKey}: the lsid's UUID for the plain {@code {id: UUID}} drivers send, else its encoding. */
    private final Map<Object, Session> sessions = new HashMap<>();
    private long lastSweep;
    private final AtomicInteger waiting = new AtomicInteger();
    final AtomicLong retriedCommands = new AtomicLong();
    final AtomicLong retriedStatements = new AtomicLong();
    final AtomicLong transactionsStarted = new AtomicLong();
    final AtomicLong transactionsCommitted = new AtomicLong();
    final AtomicLong transactionsAborted = new AtomicLong();
    /** mongod's {@code transactionLifetimeLimitSeconds}: a transaction running longer is aborted. */
    private volatile int transactionLifetimeSeconds = 60;

    public SessionCatalog(VersionStore wal, BooleanSupplier shuttingDown) {
        this(wal, System::currentTimeMillis, TimeUnit.MINUTES.toMillis(TIMEOUT_MINUTES), shuttingDown);
    }

    /** @param clock epoch millis; tests move it to expire sessions */
    public SessionCatalog(VersionStore wal, LongSupplier clock, long timeoutMillis, BooleanSupplier shuttingDown) {
        this.wal = wal;
        this.clock = clock;
        this.timeoutMillis = timeoutMillis;
        this.shuttingDown = shuttingDown;
        this.lastSweep = clock.getAsLong();
        load();
    }

    private void load() {
        long now = clock.getAsLong();
        List<KeyWrite> expired = new ArrayList<>();
        for (KeyWrite kv : wal.metaScan(PREFIX)) {
            try {
                BsonDocument d = Bson.document(kv.payload());
                TxnRecord r = TxnRecord.fromBson(d);
                if (now - r.lastUseMillis() > timeoutMillis) {
                    expired.add(KeyWrite.tombstone(kv.userKey()));
                } else {
                    Session s = new Session(kv.userKey(), d.getDocument("lsid"), r, r.lastUseMillis());
                    sessions.put(mapKey(s.lsid), s);
                }
            } catch (RuntimeException e) {
                LOG.warn("discarding an unreadable retryable-write record: {}", e.toString());
                expired.add(KeyWrite.tombstone(kv.userKey()));
            }
        }
        try {
            wal.writeMeta(expired, false);
        } catch (RuntimeException e) {
            // Housekeeping only: a full disk or a failed store must not keep the server from opening. The
            // records stay on disk, are not loaded, and are deleted at a later open.
            LOG.warn("retryable writes: could not delete {} expired session records, will retry at the next open: {}",
                    expired.size(), e.toString());
        }
        if (!sessions.isEmpty() || !expired.isEmpty()) {
            LOG.info("retryable writes: {} session records loaded, {} expired ones deleted", sessions.size(), expired.size());
        }
    }

    /**
     * Checks the session of txn out for one command, waiting while another command holds it. Refuses a
     * {@code txnNumber} older than the session's newest (225 TransactionTooOld); a newer one starts a fresh,
     * empty record. Close the returned write to check the session back in.
     */
    public RetryableWrite checkOut(TxnId txn, BsonDocument command, ClientContext client, FailPoints failPoints) {
        return checkOut(txn, command, client, failPoints, true);
    }

    /**
     * As {@link #checkOut(TxnId, BsonDocument, ClientContext, FailPoints)}; with {@code mayWait} false (a thread that
     * must not wait: the event loop), a session another command holds is not waited for:
     * {@link dev.argon.engine.store.WouldBlock} is thrown, nothing changed, and the caller runs the command where
     * waiting is allowed.
     */
    public RetryableWrite checkOut(TxnId txn, BsonDocument command, ClientContext client, FailPoints failPoints, boolean mayWait) {
        Session s = acquire(txn);
        boolean locked = false;
        try {
            if (!mayWait && !s.lock.tryAcquire()) {
                throw new dev.argon.engine.store.WouldBlock("another command of this session holds it");
            }
            if (mayWait) {
                lock(s);
            }
            locked = true;
            TxnRecord r = s.record;
            Transaction open = s.txn;
            if (open != null && txn.txnNumber() < open.txnNumber()) {
                throw new ArgonException(MongoErrorCode.TRANSACTION_TOO_OLD, "Retryable write with txnNumber " + txn.txnNumber()
                        + " is prohibited on session " + txn.sessionText() + " because a newer transaction with txnNumber "
                        + open.txnNumber() + " has already started on this session.");
            }
            if (open != null && txn.txnNumber() > open.txnNumber()) {
                // A newer txnNumber supersedes the session's transaction, as on mongod.
                abort(open, "a newer txnNumber started on its session");
                s.txn = null;
            }
            if (r != null && txn.txnNumber() < r.txnNumber()) {
                throw new ArgonException(MongoErrorCode.TRANSACTION_TOO_OLD, "Retryable write with txnNumber " + txn.txnNumber()
                        + " is prohibited on session " + txn.sessionText() + " because a newer retryable write with txnNumber "
                        + r.txnNumber() + " has already started on this session.");
            }
            if (r == null || txn.txnNumber() > r.txnNumber()) {
                s.record = TxnRecord.empty(txn.txnNumber(), clock.getAsLong());
            }
            return new RetryableWrite(this, s, command, client, failPoints);
        } catch (RuntimeException e) {
            if (locked) {
                s.lock.release();
            }
            release(s);
            throw e;
        }
    }

    /**
     * Checks the session of a transaction's command out, waiting while another command holds it. Close the
     * returned handle to check it back in. The transaction rules (which txnNumber may start, continue, commit)
     * are the caller's; this only hands out the session's state under its lock.
     */
    public TxnSession checkOutTransaction(TxnId txn) {
        Session s = acquire(txn);
        try {
            lock(s);
        } catch (RuntimeException e) {
            release(s);
            throw e;
        }
        return new TxnSession(this, s, txn);
    }

    /**
     * The session of txn, created when new, with one more user; the caller then takes its lock. The stored key
     * (the lsid's BSON) is encoded only when the session is created, not on every command.
     */
    private Session acquire(TxnId txn) {
        Object k = mapKey(txn.lsid());
        synchronized (this) {
            long now = clock.getAsLong();
            if (now - lastSweep >= SWEEP_INTERVAL_MILLIS) {
                sweep(now);
            }
            Session s = sessions.get(k);
            if (s == null) {
                s = new Session(Bytes.concat(PREFIX, Bson.bytes(txn.lsid())), txn.lsid(), null, now);
                sessions.put(k, s);
            }
            s.users++;
            return s;
        }
    }

    /**
     * The map key of a session: for the {@code {id: <16-byte binary>}} every driver sends, the id's bytes and
     * subtype (no encoding); for any other lsid (one with {@code uid}, say) its stored key, so that two lsids are
     * one session exactly when their BSON is the same, as before. The two kinds are different classes and never
     * equal each other.
     */
    static Object mapKey(BsonDocument lsid) {
        if (lsid.size() == 1) {
            org.bson.BsonValue id = lsid.get("id");
            if (id != null && id.isBinary() && id.asBinary().getData().length == 16) {
                ByteBuffer b = ByteBuffer.wrap(id.asBinary().getData());
                return new IdKey(b.getLong(), b.getLong(), id.asBinary().getType());
            }
        }
        return ByteBuffer.wrap(Bytes.concat(PREFIX, Bson.bytes(lsid)));
    }

    /** The key of a session whose lsid is {@code {id: <16-byte binary>}}. */
    private record IdKey(long high, long low, byte subtype) {}

    /** Aborts the open transactions of the given sessions ({@code lsid.id} values): ended, killed or expired. */
    public void abortTransactions(java.util.Collection<? extends org.bson.BsonValue> ids) {
        java.util.Set<org.bson.BsonValue> set = new java.util.HashSet<>(ids);
        List<Transaction> toAbort = new ArrayList<>();
        synchronized (this) {
            for (Session s : sessions.values()) {
                Transaction t = s.txn;
                if (t != null && set.contains(s.lsid.get("id"))) {
                    toAbort.add(t);
                }
            }
        }
        for (Transaction t : toAbort) {
            abort(t, "its session ended");
        }
    }

    void abort(Transaction t, String reason) {
        if (t.state() == Transaction.State.IN_PROGRESS) {
            t.abort(reason);
            transactionsAborted.incrementAndGet();
        }
    }

    public int transactionLifetimeSeconds() {
        return transactionLifetimeSeconds;
    }

    public void transactionLifetimeSeconds(int seconds) {
        this.transactionLifetimeSeconds = seconds;
    }

    /** Transactions started, committed and aborted since the server started (serverStatus {@code transactions}). */
    public long transactionsStarted() {
        return transactionsStarted.get();
    }

    public long transactionsCommitted() {
        return transactionsCommitted.get();
    }

    public long transactionsAborted() {
        return transactionsAborted.get();
    }

    private void lock(Session s) {
        if (s.lock.tryAcquire()) {
            return;
        }
        waiting.incrementAndGet();
        try {
            ShutdownAwareLock.acquire(s.lock, shuttingDown, "another command of this session");
        } finally {
            waiting.decrementAndGet();
        }
    }

    /** Called by {@link RetryableWrite#close()}, after it released the session lock. */
    synchronized void release(Session s) {
        s.users--;
        s.lastUse = clock.getAsLong();
    }

    long now() {
        return clock.getAsLong();
    }

    /**
     * Writes a record that has no data change to ride with; with {@code journaled} ({@code j: true}) it is on
     * stable storage when this returns, as the commit would have been.
     */
    void persistAlone(List<KeyWrite> writes, boolean journaled) {
        wal.writeMeta(writes, journaled);
    }

    /**
     * Drops sessions idle for longer than the timeout and deletes their records. Runs under the monitor, disk
     * delete included, so that no check-out can recreate a session (and commit its record) between the removal
     * and the delete.
     */
    private void sweep(long now) {
        lastSweep = now;
        List<KeyWrite> deletes = new ArrayList<>();
        for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
            Session s = it.next();
            Transaction t = s.txn;
            if (t != null && s.users == 0 && now - t.startMillis() > transactionLifetimeSeconds * 1000L) {
                // Frees an abandoned transaction's changes; its next command would abort it anyway.
                abort(t, "it exceeded transactionLifetimeLimitSeconds");
            }
            if (s.users == 0 && now - s.lastUse > timeoutMillis) {
                it.remove();
                deletes.add(KeyWrite.tombstone(s.key));
            }
        }
        wal.writeMeta(deletes, false);
        if (!deletes.isEmpty()) {
            LOG.debug("retryable writes: forgot {} idle sessions", deletes.size());
        }
    }

    /** Sessions that have a record in memory. */
    public synchronized int size() {
        return sessions.size();
    }

    /** Commands currently waiting for another command of their session to finish. */
    public int waiting() {
        return waiting.get();
    }

    /** Commands answered at least partly from a record (serverStatus {@code transactions.retriedCommandsCount}). */
    public long retriedCommands() {
        return retriedCommands.get();
    }

    /** Statements answered from a record instead of being applied again. */
    public long retriedStatements() {
        return retriedStatements.get();
    }

    /** One logical session. {@code users} and {@code lastUse} are guarded by the catalog, {@code record} by {@code lock}. */
    static final class Session {
        final byte[] key;
        final BsonDocument lsid;
        /**
         * Held by the one command using the session. A semaphore, not a thread-owned lock: a retryable write whose
         * commit completes on the WAL's writer thread checks the session in from there ({@link RetryableWrite#handOver}).
         */
        final java.util.concurrent.Semaphore lock = new java.util.concurrent.Semaphore(1);
        int users;
        volatile long lastUse;
        TxnRecord record;
        /** The session's newest multi-document transaction (open, committed or aborted), or null; guarded by lock. */
        volatile Transaction txn;

        Session(byte[] key, BsonDocument lsid, TxnRecord record, long lastUse) {
            this.key = key;
            this.lsid = lsid;
            this.record = record;
            this.lastUse = lastUse;
        }

        /** A record of this session as stored under {@link #key} (whose tail is the lsid's BSON). */
        byte[] encode(TxnRecord r) {
            return r.toBytes(key, PREFIX.length);
        }
    }
}
