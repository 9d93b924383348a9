package dev.argon.wal;

/**
 * A storage failure, with the context needed to find it again (branch and LSN when known, else -1) and a
 * {@link Kind} that tells a caller whether retrying can help.
 */
public final class WalException extends RuntimeException {
    /** What the failure means for the caller. */
    public enum Kind {
        /** One operation failed (a read, or a write refused for a reason of its own). */
        STORAGE,
        /**
         * The data directory's disk is (nearly) full: writes are refused, reads work, and writes are accepted
         * again once space is freed.
         */
        DISK_FULL,
        /**
         * An fsync or a write failed earlier: the store refuses every write until the server is restarted,
         * because nothing written after that failure could be acknowledged as durable. Reads work.
         */
        UNHEALTHY
    }

    private final Kind kind;
    private final int branchId;
    private final long lsn;

    public WalException(String message, int branchId, long lsn, Throwable cause) {
        this(Kind.STORAGE, message, branchId, lsn, cause);
    }

    public WalException(Kind kind, String message, int branchId, long lsn, Throwable cause) {
        super(message + (branchId >= 0 ? " (branch id " + branchId + ")" : "") + (lsn >= 0 ? " (lsn " + lsn + ")" : ""), cause);
        this.kind = kind;
        this.branchId = branchId;
        this.lsn = lsn;
    }

    public Kind kind() {
        return kind;
    }

    public int branchId() {
        return branchId;
    }

    public long lsn() {
        return lsn;
    }
}
