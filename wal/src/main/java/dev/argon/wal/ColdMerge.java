package dev.argon.wal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Every entry of a set of {@code versions} segments in key order, each key once (a key stored by two passes'
 * segments is the same version), read sequentially: each segment is streamed with {@link #READAHEAD}-byte ranged
 * reads (one request per few hundred blocks instead of one per block) and bypasses the segment cache, so a backup
 * of a compacted directory neither pays a request per stub nor evicts what reads keep cached.
 *
 * <p>Segments of one compaction pass cover disjoint key ranges and each pass covers the whole key space, so a
 * segment is opened only when the merge reaches its first key and dropped at its end: the segments open at once
 * are about as many as the passes whose segments overlap the current key, each holding one fetched window.
 * Not thread-safe.
 */
final class ColdMerge {
    /** Stored bytes per ranged read of one segment. */
    static final int READAHEAD = 2 << 20;

    private record Cursor(Iterator<byte[][]> it, byte[][] head) {}

    private final ColdVersions cold;
    private final List<TierSegment> byMinKey;
    private int nextToOpen;
    private final PriorityQueue<Cursor> open = new PriorityQueue<>((a, b) -> Arrays.compareUnsigned(a.head[0], b.head[0]));
    private byte[][] ahead;

    /** @param segments the segments to merge, in any order */
    ColdMerge(ColdVersions cold, List<TierSegment> segments) {
        this.cold = cold;
        this.byMinKey = new ArrayList<>(segments);
        this.byMinKey.sort((a, b) -> Arrays.compareUnsigned(a.minKey(), b.minKey()));
    }

    /** The next entry {@code {key, value}} without consuming it, or null at the end. */
    byte[][] peek() {
        if (ahead != null) {
            return ahead;
        }
        // Every segment starting at or before the smallest key held may hold a smaller one: open those first.
        while (nextToOpen < byMinKey.size() && (open.isEmpty()
                || Arrays.compareUnsigned(byMinKey.get(nextToOpen).minKey(), open.peek().head[0]) <= 0)) {
            Iterator<byte[][]> it = cold.scan(byMinKey.get(nextToOpen++), null, READAHEAD);
            if (it.hasNext()) {
                open.add(new Cursor(it, it.next()));
            }
        }
        if (open.isEmpty()) {
            return null;
        }
        ahead = advance(open.poll());
        while (!open.isEmpty() && Arrays.equals(open.peek().head[0], ahead[0])) {
            advance(open.poll());
        }
        return ahead;
    }

    /** The cursor's head, putting the cursor back with its next entry unless it is done. */
    private byte[][] advance(Cursor c) {
        if (c.it.hasNext()) {
            open.add(new Cursor(c.it, c.it.next()));
        }
        return c.head;
    }

    /** Consumes and returns the next entry. */
    byte[][] next() {
        byte[][] e = peek();
        if (e == null) {
            throw new NoSuchElementException();
        }
        ahead = null;
        return e;
    }
}
