package dev.argon.wal;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.rocksdb.RocksIterator;

/**
 * A lazy scan over one RocksDB iterator that decodes one record at a time, so that a long history never sits in
 * memory whole. Subclasses position the iterator, then call {@link #start()}; {@link #read} decodes the record at
 * the iterator and steps it, or answers null at the end of the range. Not thread-safe; close it (it holds a
 * native iterator).
 */
abstract class RecordScan<T> implements Iterator<T>, AutoCloseable {
    protected final RocksIterator it;
    private T next;
    private boolean closed;

    RecordScan(RocksIterator it) {
        this.it = it;
    }

    /** The record at the iterator, having stepped past it, or null when the range ends there. */
    protected abstract T read();

    /** Reads the first record; called once the iterator is positioned. */
    protected final void start() {
        try {
            advance();
        } catch (RuntimeException e) {
            // A record that does not decode must not leak the native iterator: the caller never gets it to close.
            close();
            throw e;
        }
    }

    /** Whether {@link #read} may find more; a scan with records beside the iterator says so too. */
    protected boolean more() {
        return it.isValid();
    }

    private void advance() {
        next = closed || !more() ? null : read();
    }

    @Override
    public final boolean hasNext() {
        return next != null;
    }

    @Override
    public final T next() {
        if (next == null) {
            throw new NoSuchElementException();
        }
        T r = next;
        advance();
        return r;
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            next = null;
            it.close();
        }
    }
}
