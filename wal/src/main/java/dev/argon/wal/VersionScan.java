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
 *
 * <p>{@link #backward} walks the same keys in descending order: a second iterator steps back over
 * {@code latest} to find each user key (its entries sit in ascending branch id order seen from the back), and a
 * {@link VersionCursor} on its own iterator resolves that key forward exactly as a point read does, so both
 * directions share one visibility rule. One seek per key more than the forward walk.
 * Not thread-safe; close it (it holds RocksDB iterators).
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
    /** Backward only: the iterator that steps back over {@code latest}, while {@link #it} serves the cursor. */
    private final RocksIterator walker;
    private final Slice lower;
    private long walkerKeysRead;
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
        }, db::cold);
        this.walker = null;
        this.lower = null;
        it.seek(startUserKey != null ? startUserKey : prefix);
        advance();
    }

    private VersionScan(WalDb db, ReadView view, byte[] prefix, byte[] beforeUserKey, boolean backward) {
        this.view = view;
        this.options = new ReadOptions();
        byte[] end = Bytes.prefixEnd(prefix);
        this.upper = end == null ? null : new Slice(end);
        if (upper != null) {
            options.setIterateUpperBound(upper);
        }
        this.lower = prefix.length == 0 ? null : new Slice(prefix);
        if (lower != null) {
            options.setIterateLowerBound(lower);
        }
        this.walker = db.db().newIterator(db.latest(), options);
        this.it = db.db().newIterator(db.latest(), options);
        this.cursor = new VersionCursor(it, () -> {
            history = db.db().newIterator(db.versions());
            return history;
        }, db::cold);
        if (beforeUserKey == null) {
            walker.seekToLast();
        } else {
            walker.seekForPrev(beforeUserKey);
        }
        walkerKeysRead++;
        advanceBackward();
    }

    /**
     * Visible live keys under prefix in descending key order, from the last one below beforeUserKey (exclusive;
     * null for the prefix's last key): the forward scan's keys reversed. As with the forward scan's start, no
     * user key may be a proper prefix of the bound (the bound is a user key, or a prefix or range end of them).
     */
    static VersionScan backward(WalDb db, ReadView view, byte[] prefix, byte[] beforeUserKey) {
        return new VersionScan(db, view, prefix, beforeUserKey, true);
    }

    private void advanceBackward() {
        next = null;
        while (next == null && walker.isValid()) {
            byte[] userKey = LatestKeys.userKey(walker.key());
            // Step onto the previous user key: its entries are one per branch that wrote it, usually one or two.
            int steps = 0;
            do {
                walker.prev();
                walkerKeysRead++;
                if (++steps == VersionCursor.STEPS_BEFORE_SEEK && walker.isValid() && LatestKeys.isEntryOf(walker.key(), userKey)) {
                    walker.seekForPrev(userKey); // user keys are prefix-free: this lands on the key before
                    walkerKeysRead++;
                    break;
                }
            } while (walker.isValid() && LatestKeys.isEntryOf(walker.key(), userKey));
            byte[] value = cursor.read(view, userKey);
            if (value != null && !VersionKeys.isTombstone(value)) {
                next = new Entry(userKey, VersionKeys.payload(value));
            }
        }
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
        if (walker != null) {
            advanceBackward();
        } else {
            advance();
        }
        return e;
    }

    /** Number of RocksDB keys this scan has stepped onto (a seek counts one), for tests that prove work is bounded. */
    public long keysRead() {
        return cursor.keysRead() + walkerKeysRead;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            it.close();
            if (walker != null) {
                walker.close();
            }
            if (history != null) {
                history.close();
            }
            options.close();
            if (upper != null) {
                upper.close();
            }
            if (lower != null) {
                lower.close();
            }
        }
    }
}
