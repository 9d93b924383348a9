package dev.argon.wal;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.rocksdb.RocksIterator;

/**
 * The log entries with LSN in {@code [from, to]} (inclusive), oldest first, decoded one at a time so that a
 * large commit never sits in memory whole. Not thread-safe; close it (it holds a RocksDB iterator).
 */
public final class LogScan implements Iterator<LogRecord>, AutoCloseable {
    private final RocksIterator it;
    private final long to;
    private LogRecord next;
    private boolean closed;

    LogScan(WalDb db, long from, long to) {
        this.to = to;
        this.it = db.db().newIterator(db.log());
        it.seek(Bytes.longKey(from));
        try {
            advance();
        } catch (RuntimeException e) {
            // A record that does not decode must not leak the native iterator: the caller never gets it to close.
            it.close();
            throw e;
        }
    }

    private void advance() {
        next = null;
        if (closed || !it.isValid()) {
            return;
        }
        long lsn = Bytes.getLong(it.key(), 0);
        if (lsn > to) {
            return;
        }
        next = LogRecord.decode(lsn, Bson.document(it.value()));
        it.next();
    }

    @Override
    public boolean hasNext() {
        return next != null;
    }

    @Override
    public LogRecord next() {
        if (next == null) {
            throw new NoSuchElementException();
        }
        LogRecord r = next;
        advance();
        return r;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            next = null;
            it.close();
        }
    }
}
