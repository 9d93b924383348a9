package dev.argon.wal.archive;

import dev.argon.storage.manifest.SegmentRef;
import dev.argon.storage.object.ObjectStore;
import dev.argon.storage.segment.SegmentEntry;
import dev.argon.storage.segment.SegmentReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * The entries of several segments of one family in key order (unsigned bytes): the segments one after the other
 * when their key ranges do not overlap (one full backup's segments of a kind), else a k-way merge (an incremental
 * chain: a document changed in two backups has versions in both). Equal keys from two segments come one after the
 * other, in no set order. A concatenation reads {@link #READAHEAD} bytes per request; a merge, which holds a window
 * of every segment at once, splits that among them (at least {@link #MIN_READAHEAD} each), so a long chain does
 * not hold gigabytes. Not thread-safe.
 */
final class OrderedEntries implements Iterator<SegmentEntry> {
    /** Stored bytes fetched per request: a few MiB make a restore from S3 cost one request per window, not per block. */
    static final int READAHEAD = 4 << 20;
    /** The least a merge reads per request from one segment: two blocks' worth of a backup's 32 KiB blocks. */
    static final int MIN_READAHEAD = 64 << 10;

    private record Head(SegmentEntry entry, Iterator<SegmentEntry> rest, SegmentRef segment) {
    }

    private final ObjectStore store;
    private final List<SegmentRef> segments;
    private final PriorityQueue<Head> queue;
    private final java.util.function.Consumer<SegmentRef> onSegmentDone;
    private Iterator<SegmentEntry> current;
    private int nextSegment;
    private int readahead = READAHEAD;

    /** @param onSegmentDone called as each segment is read to its end (for a progress bar) */
    OrderedEntries(ObjectStore store, List<SegmentRef> segments, java.util.function.Consumer<SegmentRef> onSegmentDone) {
        this.store = store;
        this.onSegmentDone = onSegmentDone;
        List<SegmentRef> sorted = new ArrayList<>(segments);
        sorted.sort(Comparator.comparing(SegmentRef::minKey, Arrays::compareUnsigned));
        this.segments = sorted;
        boolean overlap = false;
        for (int i = 1; i < sorted.size(); i++) {
            overlap |= Arrays.compareUnsigned(sorted.get(i - 1).maxKey(), sorted.get(i).minKey()) >= 0;
        }
        if (overlap) {
            readahead = Math.max(MIN_READAHEAD, READAHEAD / sorted.size());
            queue = new PriorityQueue<>((a, b) -> Arrays.compareUnsigned(a.entry().key(), b.entry().key()));
            for (SegmentRef s : sorted) {
                Iterator<SegmentEntry> it = open(s);
                if (it.hasNext()) {
                    queue.add(new Head(it.next(), it, s));
                } else {
                    onSegmentDone.accept(s);
                }
            }
        } else {
            queue = null;
        }
    }

    /** True if the segments' key ranges overlap, so that they are merged rather than read one after the other. */
    boolean merging() {
        return queue != null;
    }

    private Iterator<SegmentEntry> open(SegmentRef s) {
        return SegmentReader.open(store, s.objectKey(), s.size()).scan(null, null, readahead);
    }

    @Override
    public boolean hasNext() {
        if (queue != null) {
            return !queue.isEmpty();
        }
        while (current == null || !current.hasNext()) {
            if (current != null) {
                onSegmentDone.accept(segments.get(nextSegment - 1));
                current = null;
            }
            if (nextSegment >= segments.size()) {
                return false;
            }
            current = open(segments.get(nextSegment++));
        }
        return true;
    }

    @Override
    public SegmentEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        if (queue == null) {
            return current.next();
        }
        Head h = queue.poll();
        if (h.rest().hasNext()) {
            queue.add(new Head(h.rest().next(), h.rest(), h.segment()));
        } else {
            onSegmentDone.accept(h.segment());
        }
        return h.entry();
    }
}
