package dev.argon.wal;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * Iterates the live keys under a prefix as one {@link ReadView} sees them, in key order: walks the
 * {@code latest} family (one entry per key and branch that wrote it) and, for each user key, takes the version
 * the view sees ({@link VersionCursor}), skipping tombstones. Its cost grows with the keys it passes and the
 * branches that wrote them, not with their versions: the history in {@code versions} is read only for a key a
 * member of the ancestry wrote above the view's bound for it.
 * Not thread-safe; close it (it holds a RocksDB iterator).
 */
public final class VersionScan implements Iterator<VersionScan.Entry>, AutoCloseable {
    /** One visible key with its payload. */
    public record Entry(byte[] userKey, byte[] payload) {}

    private final ReadView view;
    private final ReadOptions options;
    private final Slice upper;
    private final RocksIterator it;
    /** Over {@code versions}, made on first need (see {@link VersionCursor}); null until then. */
    private RocksIterator history;
    private final VersionCursor cursor;
    private Entry next;
    private boolean closed;

    VersionScan(WalDb db, ReadView view, byte[] prefix, byte[] startUserKey) {
        this.view = view;
        this.options = new ReadOptions();
        byte[] end = Bytes.prefixEnd(prefix);
        this.upper = end == null ? null : new Slice(end);
        if (upper != null) {
            options.setIterateUpperBound(upper);
        }
        this.it = db.db().newIterator(db.latest(), options);
        this.cursor = new VersionCursor(it, () -> {
            history = db.db().newIterator(db.versions());
            return history;
        });
        it.seek(startUserKey != null ? startUserKey : prefix);
        advance();
    }

    private void advance() {
        next = null;
        while (it.isValid()) {
            byte[] userKey = LatestKeys.userKey(it.key());
            byte[] value = cursor.resolve(view, userKey);
            if (value != null && !VersionKeys.isTombstone(value)) {
                next = new Entry(userKey, VersionKeys.payload(value));
            }
            if (it.isValid() && LatestKeys.isEntryOf(it.key(), userKey)) {
                cursor.skipPast(userKey);
            }
            if (next != null) {
                return;
            }
        }
    }

    @Override
    public boolean hasNext() {
        return next != null;
    }

    @Override
    public Entry next() {
        if (next == null) {
            throw new NoSuchElementException();
        }
        Entry e = next;
        advance();
        return e;
    }

    /** Number of RocksDB keys this scan has stepped onto (a seek counts one), for tests that prove work is bounded. */
    public long keysRead() {
        return cursor.keysRead();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            it.close();
            if (history != null) {
                history.close();
            }
            options.close();
            if (upper != null) {
                upper.close();
            }
        }
    }
}
