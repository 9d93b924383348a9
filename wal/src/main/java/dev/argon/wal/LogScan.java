package dev.argon.wal;

/**
 * The log entries with LSN in {@code [from, to]} (inclusive), oldest first or newest first, optionally of one
 * branch id only, decoded one at a time so that a large commit never sits in memory whole. A streamed commit's
 * range holds other branches' entries too, so readers of one commit filter by its branch id. Entries of one commit
 * share one read of its record (time, actor, comment). Not thread-safe; close it (it holds a RocksDB iterator).
 */
public final class LogScan extends RecordScan<LogRecord> {
    private final int branchId;
    private final long from;
    private final long to;
    private final boolean backward;
    private final LogImages images;
    private LogImages.Commit commit;

    /** @param branchId only this branch id's entries, or 0 for all */
    LogScan(WalDb db, LogImages images, int branchId, long from, long to, boolean backward) {
        super(db.db().newIterator(db.log()));
        this.images = images;
        this.branchId = branchId;
        this.from = from;
        this.to = to;
        this.backward = backward;
        if (backward) {
            it.seekForPrev(Bytes.longKey(to));
        } else {
            it.seek(Bytes.longKey(from));
        }
        start();
    }

    @Override
    protected LogRecord read() {
        while (it.isValid()) {
            long lsn = Bytes.getLong(it.key(), 0);
            if (backward ? lsn < from : lsn > to) {
                return null;
            }
            LogRecord r = LogRecord.decode(lsn, Bson.document(it.value()), images, commit);
            if (backward) {
                it.prev();
            } else {
                it.next();
            }
            if (branchId == 0 || r.branchId() == branchId) {
                commit = r.commitIfRead(commit);
                return r;
            }
        }
        return null;
    }
}
