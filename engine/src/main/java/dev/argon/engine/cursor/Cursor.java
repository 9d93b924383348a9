package dev.argon.engine.cursor;

import java.util.Iterator;
import java.util.concurrent.locks.ReentrantLock;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * An open server-side cursor: the rest of a result, produced lazily. Holds a storage iterator until it is
 * exhausted, killed or timed out. Thread-safe: every use of the source and the close of the resource happen
 * under the cursor's lock, so a kill or a timeout never frees the storage iterator while a getMore reads it
 * (a kill during a getMore takes effect when the getMore is done), and a closed cursor is never read again.
 */
public final class Cursor {
    private final long id;
    private final String ns;
    private final Iterator<BsonDocument> source;
    private final AutoCloseable resource;
    /** The {@code lsid.id} of the session that created the cursor, or null when it had none. */
    private final BsonValue sessionId;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile long lastUsedMillis = System.currentTimeMillis();
    /** Guarded by lock. */
    private boolean closed;

    Cursor(long id, String ns, Iterator<BsonDocument> source, AutoCloseable resource, BsonValue sessionId) {
        this.id = id;
        this.ns = ns;
        this.source = source;
        this.resource = resource;
        this.sessionId = sessionId;
    }

    public long id() {
        return id;
    }

    public String ns() {
        return ns;
    }

    public BsonValue sessionId() {
        return sessionId;
    }

    ReentrantLock lock() {
        return lock;
    }

    /** The result's rest; only while holding {@link #lock()} and not {@link #closed()}. */
    Iterator<BsonDocument> source() {
        return source;
    }

    /** Only while holding {@link #lock()}. */
    boolean closed() {
        return closed;
    }

    long lastUsedMillis() {
        return lastUsedMillis;
    }

    void touch() {
        lastUsedMillis = System.currentTimeMillis();
    }

    /** Closes the storage resource; waits for a getMore in progress to finish first. */
    void close() {
        lock.lock();
        try {
            closeLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Only while holding {@link #lock()}. */
    void closeLocked() {
        if (!closed) {
            closed = true;
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception ignored) {
                    // closing a storage iterator cannot fail in a way a client could act on
                }
            }
        }
    }
}
