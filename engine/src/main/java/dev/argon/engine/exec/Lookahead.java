package dev.argon.engine.exec;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.bson.BsonDocument;

/**
 * The shape the plan's scans share: {@code hasNext} finds the next document and leaves it in {@link #next}, and
 * {@link #next()} hands it out. Subclasses implement {@code hasNext} and {@code close}. Not thread-safe.
 */
abstract class Lookahead implements Iterator<BsonDocument>, AutoCloseable {
    /** The document found by {@code hasNext} and not yet handed out, or null. */
    protected BsonDocument next;

    @Override
    public final BsonDocument next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        BsonDocument d = next;
        next = null;
        return d;
    }

    @Override
    public abstract void close();
}
