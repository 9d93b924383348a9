package dev.argon.engine.cursor;

import java.util.Iterator;
import org.bson.BsonDocument;

/**
 * An open server-side cursor: the rest of a result, produced lazily. Holds a storage iterator until it is
 * exhausted, killed or timed out. Access is serialized by the {@link CursorManager} (one getMore at a time).
 */
public final class Cursor {
    private final long id;
    private final String ns;
    private final Iterator<BsonDocument> source;
    private final AutoCloseable resource;
    private volatile long lastUsedMillis = System.currentTimeMillis();
    private boolean closed;

    Cursor(long id, String ns, Iterator<BsonDocument> source, AutoCloseable resource) {
        this.id = id;
        this.ns = ns;
        this.source = source;
        this.resource = resource;
    }

    public long id() {
        return id;
    }

    public String ns() {
        return ns;
    }

    Iterator<BsonDocument> source() {
        return source;
    }

    long lastUsedMillis() {
        return lastUsedMillis;
    }

    void touch() {
        lastUsedMillis = System.currentTimeMillis();
    }

    synchronized void close() {
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
