package dev.argon.wal;

/**
 * The log entries with LSN in {@code [from, to]} (inclusive), oldest first, decoded one at a time so that a
 * large commit never sits in memory whole. Entries of one commit share one read of its record (time, actor,
 * comment). Not thread-safe; close it (it holds a RocksDB iterator).
 */
public final class LogScan extends RecordScan<LogRecord> {
    private final long to;
    private final LogImages images;
    private LogImages.Commit commit;

    LogScan(WalDb db, LogImages images, long from, long to) {
        super(db.db().newIterator(db.log()));
        this.to = to;
        this.images = images;
        it.seek(Bytes.longKey(from));
        start();
    }

    @Override
    protected LogRecord read() {
        long lsn = Bytes.getLong(it.key(), 0);
        if (lsn > to) {
            return null;
        }
        LogRecord r = LogRecord.decode(lsn, Bson.document(it.value()), images, commit);
        it.next();
        commit = r.commitIfRead(commit);
        return r;
    }
}
