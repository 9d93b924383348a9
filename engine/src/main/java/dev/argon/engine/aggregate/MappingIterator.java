package dev.argon.engine.aggregate;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.bson.BsonDocument;

/**
 * A lazy iterator that maps each input document to zero or one output documents (null drops it); the
 * base of the streaming stages. Not thread-safe.
 */
abstract class MappingIterator implements Iterator<BsonDocument> {
    private final Iterator<BsonDocument> input;
    private BsonDocument next;

    MappingIterator(Iterator<BsonDocument> input) {
        this.input = input;
    }

    /** The output for one input document, or null to drop it. */
    abstract BsonDocument map(BsonDocument doc);

    @Override
    public boolean hasNext() {
        while (next == null && input.hasNext()) {
            next = map(input.next());
        }
        return next != null;
    }

    @Override
    public BsonDocument next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        BsonDocument out = next;
        next = null;
        return out;
    }
}
