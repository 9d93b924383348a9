package dev.argon.wal;

/**
 * The log entries with LSN in {@code [from, to]} (inclusive), oldest first, decoded one at a time so that a
 * large commit never sits in memory whole. Not thread-safe; close it (it holds a RocksDB iterator).
 */
public final class LogScan extends RecordScan<LogRecord> {
    private final long to;

    LogScan(WalDb db, long from, long to) {
        super(db.db().newIterator(db.log()));
        this.to = to;
        it.seek(Bytes.longKey(from));
        start();
    }

    @Override
    protected LogRecord read() {
        long lsn = Bytes.getLong(it.key(), 0);
        if (lsn > to) {
            return null;
        }
        LogRecord r = LogRecord.decode(lsn, Bson.document(it.value()));
        it.next();
        return r;
    }
}
