package dev.argon.engine.session;

import dev.argon.wal.KeyWrite;
import java.util.List;

/**
 * A session checked out by one command of a multi-document transaction ({@link SessionCatalog#checkOutTransaction}):
 * the session's newest transaction and retryable-write record, read and replaced under the session's lock.
 * Close it to check the session back in. Not thread-safe: it belongs to the thread running the command.
 */
public final class TxnSession implements AutoCloseable {
    private final SessionCatalog catalog;
    private final SessionCatalog.Session session;
    private final TxnId id;
    private boolean closed;

    TxnSession(SessionCatalog catalog, SessionCatalog.Session session, TxnId id) {
        this.catalog = catalog;
        this.session = session;
        this.id = id;
    }

    public TxnId id() {
        return id;
    }

    /** The session's newest transaction, or null. */
    public Transaction transaction() {
        return session.txn;
    }

    /** The highest txnNumber the session has used, by a transaction or a retryable write (-1: none). */
    public long highestTxnNumber() {
        long n = session.record == null ? -1 : session.record.txnNumber();
        Transaction t = session.txn;
        return t == null ? n : Math.max(n, t.txnNumber());
    }

    /** True when the session's record says transaction txnNumber committed (a commit after a restart). */
    public boolean recordedCommit(long txnNumber) {
        TxnRecord r = session.record;
        return r != null && r.txnNumber() == txnNumber && r.isCommittedTransaction();
    }

    /** Starts transaction txnNumber, replacing (and aborting) the session's previous one. */
    public Transaction start(long txnNumber) {
        Transaction old = session.txn;
        if (old != null) {
            catalog.abort(old, "a newer transaction started on its session");
        }
        Transaction t = new Transaction(txnNumber, catalog.now());
        session.txn = t;
        catalog.transactionsStarted.incrementAndGet();
        return t;
    }

    /** Aborts the transaction (by the client, an error, or its lifetime). */
    public void abort(Transaction t, String reason) {
        catalog.abort(t, reason);
    }

    public long now() {
        return catalog.now();
    }

    /** The record a commit of txnNumber carries in its WAL batch. */
    public List<KeyWrite> commitRecord(long txnNumber) {
        TxnRecord r = TxnRecord.committedTransaction(txnNumber, catalog.now());
        return List.of(KeyWrite.put(session.key, session.encode(r)));
    }

    /** The transaction's commit (with {@link #commitRecord}) was written. */
    public void committed(Transaction t) {
        session.record = TxnRecord.committedTransaction(t.txnNumber(), catalog.now());
        t.committed();
        catalog.transactionsCommitted.incrementAndGet();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        session.lock.release();
        catalog.release(session);
    }
}
