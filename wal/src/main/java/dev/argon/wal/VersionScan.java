package dev.argon.wal;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * Iterates the live keys under a prefix as one {@link ReadView} sees them, in key order: for each user key,
 * the newest visible version, skipping tombstones. Not thread-safe; close it (it holds a RocksDB iterator).
 */
public final class VersionScan implements Iterator<VersionScan.Entry>, AutoCloseable {
    /** One visible key with its payload. */
    public record Entry(byte[] userKey, byte[] payload) {}

    private final ReadView view;
    private final ReadOptions options;
    private final Slice upper;
    private final RocksIterator it;
    private final long maxBound;
    private Entry next;
    private boolean closed;
    private long keysRead;

    VersionScan(WalDb db, ReadView view, byte[] prefix, byte[] startUserKey) {
        this.view = view;
        this.maxBound = view.maxBound();
        this.options = new ReadOptions();
        byte[] end = Bytes.prefixEnd(prefix);
        this.upper = end == null ? null : new Slice(end);
        if (upper != null) {
            options.setIterateUpperBound(upper);
        }
        this.it = db.db().newIterator(db.versions(), options);
        it.seek(startUserKey != null ? startUserKey : prefix);
        advance();
    }

    private void advance() {
        next = null;
        byte[] group = null;
        boolean groupDone = false;
        while (it.isValid()) {
            byte[] key = it.key();
            keysRead++;
            if (group == null || !VersionKeys.sameUserKey(group, key)) {
                group = key;
                groupDone = false;
            }
            if (!groupDone) {
                long lsn = VersionKeys.lsn(key);
                if (lsn <= maxBound) {
                    byte[] value = it.value();
                    if (view.visible(VersionKeys.branchId(value), lsn)) {
                        groupDone = true;
                        if (!VersionKeys.isTombstone(value)) {
                            next = new Entry(VersionKeys.userKey(key), VersionKeys.payload(value));
                            it.next();
                            skipRestOfGroup(key);
                            return;
                        }
                    }
                }
            }
            it.next();
        }
    }

    private void skipRestOfGroup(byte[] key) {
        while (it.isValid() && VersionKeys.sameUserKey(key, it.key())) {
            keysRead++;
            it.next();
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

    /** Number of RocksDB keys this scan has stepped over, for tests that prove work is bounded. */
    public long keysRead() {
        return keysRead;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            it.close();
            options.close();
            if (upper != null) {
                upper.close();
            }
        }
    }
}
