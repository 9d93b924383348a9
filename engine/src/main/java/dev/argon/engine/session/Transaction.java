package dev.argon.engine.session;

import dev.argon.engine.store.DataView;
import dev.argon.engine.store.Store;

/**
 * One multi-document transaction of a session ({@code txnNumber} with {@code autocommit: false}): the branch
 * it runs on, its write session (the snapshot taken at its first statement plus its own changes, all held in
 * memory) and its state. It never holds a branch lock while it runs; its commit takes the lock, checks that no
 * concurrent commit changed what it wrote, and writes everything as one WAL commit.
 *
 * <p>Thread-safety: used by the one command that has its session checked out; {@link #abort} may come from
 * another thread (a killed or expired session), so the state is volatile and the work is dropped, not closed.
 */
public final class Transaction {
    /** Where a transaction is in its life. */
    public enum State { IN_PROGRESS, COMMITTED, ABORTED }

    private final long txnNumber;
    private final long startMillis;
    private volatile State state = State.IN_PROGRESS;
    private volatile String abortReason;
    private int branchId = -1;
    private String branchName;
    private volatile Store.Write work;
    private String firstComment;

    Transaction(long txnNumber, long startMillis) {
        this.txnNumber = txnNumber;
        this.startMillis = startMillis;
    }

    public long txnNumber() {
        return txnNumber;
    }

    public long startMillis() {
        return startMillis;
    }

    public State state() {
        return state;
    }

    /** Why it was aborted, for the message of later statements (null: by the client or an error). */
    public String abortReason() {
        return abortReason;
    }

    /** The branch it runs on, or -1 before its first statement resolved one. */
    public int branchId() {
        return branchId;
    }

    public String branchName() {
        return branchName;
    }

    /** Binds the transaction to its branch and snapshot at its first statement. */
    public void begin(int branchId, String branchName, Store.Write work, String comment) {
        this.branchId = branchId;
        this.branchName = branchName;
        this.work = work;
        this.firstComment = comment;
    }

    /** The write session every statement uses. */
    public Store.Write work() {
        Store.Write w = work;
        if (w == null) {
            throw new IllegalStateException("transaction " + txnNumber + " has no work (state " + state + ")");
        }
        return w;
    }

    /** What a read statement sees: the snapshot plus the transaction's own writes so far. */
    public DataView readView() {
        return work().session().transactionView();
    }

    /** The comment of the first statement that carried one, for the commit record. */
    public String firstComment() {
        return firstComment;
    }

    /** Keeps the first statement's comment when the first statement had none. */
    public void comment(String c) {
        if (firstComment == null) {
            firstComment = c;
        }
    }

    public void committed() {
        state = State.COMMITTED;
        work = null;
    }

    /** Aborts: the changes are dropped (nothing was written); later statements answer 251 NoSuchTransaction. */
    public void abort(String reason) {
        if (state == State.IN_PROGRESS) {
            abortReason = reason;
            state = State.ABORTED;
            Store.Write w = work;
            work = null;
            if (w != null) {
                // Frees the documents it claimed, so that other transactions may write them.
                w.session().releaseClaims();
            }
        }
    }
}
