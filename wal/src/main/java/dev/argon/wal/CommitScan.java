package dev.argon.wal;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.rocksdb.RocksIterator;

/**
 * The commit records of one branch id with {@code lo < lsn <= hi}, newest first, read one at a time so that a
 * long history never sits in memory. Each is the BSON commit record ({@code startLsn, lsn, time, actor,
 * comment, counts}) plus {@code branchId}. Not thread-safe; close it (it holds a RocksDB iterator).
 */
public final class CommitScan implements Iterator<BsonDocument>, AutoCloseable {
    private final RocksIterator it;
    private final int branchId;
    private final long lo;
    private BsonDocument next;
    private boolean closed;

    CommitScan(WalDb db, int branchId, long lo, long hi) {
        this.branchId = branchId;
        this.lo = lo;
        this.it = db.db().newIterator(db.commits());
        byte[] top = new byte[12];
        Bytes.putInt(top, 0, branchId);
        Bytes.putLong(top, 4, hi);
        it.seekForPrev(top);
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
        byte[] k = it.key();
        if (Bytes.getInt(k, 0) != branchId || Bytes.getLong(k, 4) <= lo) {
            return;
        }
        next = Bson.document(it.value());
        next.append("branchId", new BsonInt32(branchId));
        it.prev();
    }

    @Override
    public boolean hasNext() {
        return next != null;
    }

    @Override
    public BsonDocument next() {
        if (next == null) {
            throw new NoSuchElementException();
        }
        BsonDocument d = next;
        advance();
        return d;
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
