package dev.argon.wal;

/** A storage failure, with the context needed to find it again (branch and LSN when known, else -1). */
public final class WalException extends RuntimeException {
    private final int branchId;
    private final long lsn;

    public WalException(String message, int branchId, long lsn, Throwable cause) {
        super(message + (branchId >= 0 ? " (branch id " + branchId + ")" : "") + (lsn >= 0 ? " (lsn " + lsn + ")" : ""), cause);
        this.branchId = branchId;
        this.lsn = lsn;
    }

    public int branchId() {
        return branchId;
    }

    public long lsn() {
        return lsn;
    }
}
