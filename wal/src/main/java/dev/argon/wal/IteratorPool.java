package dev.argon.wal;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Reusable iterator pairs over the {@code latest} and {@code versions} families for point reads. Creating a RocksDB iterator costs about
 * as much as the read itself (measured: see docs/PERFORMANCE.md), so a read borrows one, re-positions it with a
 * seek and gives it back.
 *
 * <p>An iterator sees the database as of its creation or last {@code refresh()}. Every write bumps
 * {@link #written()}'s generation after RocksDB has applied it and before any head that names it is
 * published, so an iterator refreshed at the current generation sees everything a view handed out since can
 * ask for; a borrowed iterator of an older generation is refreshed first. An idle pooled iterator pins the
 * memtables and files of its generation, so {@link #trim()} (called by the WAL's ticker) closes the stale
 * ones. Thread-safe.
 */
final class IteratorPool implements AutoCloseable {
    /** More idle iterators than this are closed instead of pooled (more than the server's reader threads). */
    private static final int MAX_IDLE = 64;

    private final WalDb db;
    private final ReadOptions options;
    private final ConcurrentLinkedDeque<Pooled> idle = new ConcurrentLinkedDeque<>();
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean closed;

    private static final class Pooled {
        final RocksIterator latest;
        final RocksIterator versions;
        final VersionCursor cursor;
        long generation;

        Pooled(RocksIterator latest, RocksIterator versions, long generation, java.util.function.Supplier<ColdVersions> cold) {
            this.latest = latest;
            this.versions = versions;
            this.cursor = new VersionCursor(latest, versions, cold);
            this.generation = generation;
        }

        void refresh() throws RocksDBException {
            latest.refresh();
            versions.refresh();
        }

        void close() {
            latest.close();
            versions.close();
        }
    }

    IteratorPool(WalDb db) {
        this.db = db;
        // Point reads check the user key themselves, so they need no upper bound and share one ReadOptions.
        this.options = new ReadOptions();
    }

    /** Records that a write was applied: iterators created before it must refresh before their next use. */
    void written() {
        generation.incrementAndGet();
    }

    /** Runs a read with a cursor on an up-to-date iterator. */
    <T> T read(Function<VersionCursor, T> read) {
        Pooled p = borrow();
        try {
            return read.apply(p.cursor);
        } finally {
            giveBack(p);
        }
    }

    private Pooled borrow() {
        long now = generation.get();
        Pooled p = idle.pollFirst();
        if (p == null) {
            return new Pooled(db.db().newIterator(db.latest(), options), db.db().newIterator(db.versions(), options), now, db::cold);
        }
        if (p.generation != now) {
            try {
                p.refresh();
            } catch (RocksDBException e) {
                p.close();
                throw new WalException("cannot refresh a read iterator: " + e.getMessage(), -1, -1, e);
            }
            p.generation = now;
        }
        return p;
    }

    private void giveBack(Pooled p) {
        if (closed || idle.size() >= MAX_IDLE) {
            p.close();
            return;
        }
        idle.offerFirst(p);
        if (closed && idle.remove(p)) {
            p.close();
        }
    }

    /** Generation at the previous {@link #trim()}. */
    private long trimmedAt;

    /**
     * Closes idle iterators not refreshed since the previous trim, so that iterators no reader needs stop
     * pinning obsolete memtables and files; one in steady use is refreshed on every borrow and stays. Called by
     * one thread (the WAL's ticker).
     */
    void trim() {
        long now = trimmedAt;
        trimmedAt = generation.get();
        for (int n = idle.size(); n > 0; n--) {
            Pooled p = idle.pollLast();
            if (p == null) {
                return;
            }
            if (p.generation >= now && !closed) {
                idle.offerFirst(p);
            } else {
                p.close();
            }
        }
    }

    /** Closes the idle iterators; callers close the database afterwards, once no read is in flight. */
    @Override
    public void close() {
        closed = true;
        Pooled p;
        while ((p = idle.pollFirst()) != null) {
            p.close();
        }
        options.close();
    }
}
