package dev.argon.engine.spill;

import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import org.bson.BsonDocument;

/**
 * A k-way merge of sorted inputs: holds one document per input. Equal documents come from the earlier input
 * first, so merging runs cut from one stream in order keeps that stream's order among ties (a stable sort).
 * Not thread-safe.
 */
public final class MergeIterator implements Iterator<BsonDocument> {
    private final PriorityQueue<Head> heads;

    public MergeIterator(List<Iterator<BsonDocument>> inputs, Comparator<BsonDocument> order) {
        Comparator<Head> byDoc = (a, b) -> order.compare(a.doc, b.doc);
        this.heads = new PriorityQueue<>(Math.max(1, inputs.size()), byDoc.thenComparingInt(h -> h.input));
        for (int i = 0; i < inputs.size(); i++) {
            Iterator<BsonDocument> it = inputs.get(i);
            if (it.hasNext()) {
                heads.add(new Head(it.next(), i, it));
            }
        }
    }

    @Override
    public boolean hasNext() {
        return !heads.isEmpty();
    }

    @Override
    public BsonDocument next() {
        Head h = heads.poll();
        if (h == null) {
            throw new NoSuchElementException();
        }
        BsonDocument out = h.doc;
        if (h.rest.hasNext()) {
            h.doc = h.rest.next();
            heads.add(h);
        }
        return out;
    }

    private static final class Head {
        BsonDocument doc;
        final int input;
        final Iterator<BsonDocument> rest;

        Head(BsonDocument doc, int input, Iterator<BsonDocument> rest) {
            this.doc = doc;
            this.input = input;
            this.rest = rest;
        }
    }
}
