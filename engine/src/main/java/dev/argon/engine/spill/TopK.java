package dev.argon.engine.spill;

import dev.argon.engine.bson.BsonSize;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import org.bson.BsonDocument;

/**
 * The first {@code k} documents of a stable sort in bounded memory: a max-heap of the best {@code k} seen so far
 * while their BSON size stays within the command's sort limit. Past it the sort goes on as an
 * {@link ExternalSorter} (spilling sorted runs, or 292 when the command allows no disk use), still dropping every
 * document that cannot be among the first {@code k} (one after the k-th best at the moment the heap overflowed).
 * With {@code k == 1} only the best candidate is kept and nothing is counted: one document of at most 16 MiB is
 * what any single-document read holds, and a one-document sort (findAndModify, a single update) never spills.
 * Ties keep input order in every path. Not thread-safe; one per sort.
 */
public final class TopK {
    private final Comparator<BsonDocument> order;
    private final Comparator<Seq> seqOrder;
    private final long k;
    private final Spill spill;
    private final boolean counted;
    private final PriorityQueue<Seq> heap;
    private long heapBytes;
    private long seq;
    private Seq best;
    private ExternalSorter sorter;
    /**
     * After the switch to disk: the k-th best document then (anything after it cannot be in the answer), or null
     * when the heap overflowed before k documents arrived (nothing can be dropped).
     */
    private Seq cutoff;

    /**
     * @param k how many documents the caller reads at most (skip + limit), at least 1
     * @param spill the command's budget ({@link Spill#inMemory()} counts nothing)
     */
    public TopK(Comparator<BsonDocument> order, long k, Spill spill) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1");
        }
        this.order = order;
        this.seqOrder = (a, b) -> {
            int c = order.compare(a.doc, b.doc);
            return c != 0 ? c : Long.compare(a.seq, b.seq);
        };
        this.k = k;
        this.spill = spill;
        this.counted = k > 1 && spill.sortLimitBytes() != Long.MAX_VALUE;
        this.heap = k > 1 ? new PriorityQueue<>(seqOrder.reversed()) : null;
    }

    public void add(BsonDocument doc) {
        Seq s = new Seq(doc, seq++);
        if (k == 1) {
            if (best == null || seqOrder.compare(s, best) < 0) {
                best = s;
            }
        } else if (sorter != null) {
            if (cutoff == null || seqOrder.compare(s, cutoff) < 0) {
                sorter.add(doc);
            }
        } else if (heap.size() < k) {
            push(s);
        } else if (seqOrder.compare(s, heap.peek()) < 0) {
            Seq out = heap.poll();
            heapBytes -= out.bytes;
            push(s);
        }
    }

    private void push(Seq s) {
        if (counted) {
            s.bytes = BsonSize.of(s.doc);
            heapBytes += s.bytes;
        }
        heap.add(s);
        if (counted && heapBytes > spill.sortLimitBytes()) {
            toDisk();
        }
    }

    /** Moves the heap into an external sort in input order (so ties stay stable); 292 when no disk is allowed. */
    private void toDisk() {
        if (!spill.allowsDisk()) {
            throw spill.sortRefused();
        }
        cutoff = heap.size() < k ? null : heap.peek();
        List<Seq> held = new ArrayList<>(heap);
        heap.clear();
        heapBytes = 0;
        held.sort(Comparator.comparingLong(x -> x.seq));
        sorter = new ExternalSorter(order, spill, spill.sortLimitBytes(), spill::sortRefused);
        for (Seq x : held) {
            sorter.add(x.doc, x.bytes);
        }
    }

    /** Whether the sort wrote runs to disk. */
    public boolean spilled() {
        return sorter != null && sorter.spilled();
    }

    /** The first k documents in order; call once, after the last add. */
    public Iterator<BsonDocument> sorted() {
        if (k == 1) {
            return best == null ? Collections.emptyIterator() : List.of(best.doc).iterator();
        }
        if (sorter == null) {
            List<Seq> kept = new ArrayList<>(heap);
            kept.sort(seqOrder);
            List<BsonDocument> out = new ArrayList<>(kept.size());
            for (Seq s : kept) {
                out.add(s.doc);
            }
            return out.iterator();
        }
        Iterator<BsonDocument> all = sorter.sorted();
        return new Iterator<>() {
            private long left = k;

            @Override
            public boolean hasNext() {
                return left > 0 && all.hasNext();
            }

            @Override
            public BsonDocument next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                left--;
                return all.next();
            }
        };
    }

    private static final class Seq {
        final BsonDocument doc;
        final long seq;
        long bytes;

        Seq(BsonDocument doc, long seq) {
            this.doc = doc;
            this.seq = seq;
        }
    }
}
