package dev.argon.wal.tier;

import dev.argon.wal.TierSegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The tier's segments indexed by key range, so that a cold read finds the segments whose {@code [minKey, maxKey]}
 * overlaps the wanted range in O(log n + k) for n segments and k matches, instead of testing every segment.
 * Segments of different passes overlap freely (each pass covers the whole key space), so this is an interval
 * search: the segments sorted by first key, with a balanced tree over that order holding each subtree's largest last
 * key. A query cuts the order at the last segment starting at or before the range's end (binary search) and
 * descends only into subtrees whose largest last key reaches the range's start. Built once per change of the
 * segment list (a compaction pass adds a few), immutable, so thread-safe.
 */
public final class SegmentIndex {
    private static final Comparator<byte[]> KEYS = Arrays::compareUnsigned;
    public static final SegmentIndex EMPTY = new SegmentIndex(List.of());

    private final TierSegment[] byMin;
    /** Per tree node (heap numbering from 1), the largest maxKey of its range of {@code byMin}. */
    private final byte[][] maxEnd;

    public SegmentIndex(List<TierSegment> segments) {
        byMin = segments.toArray(new TierSegment[0]);
        Arrays.sort(byMin, (a, b) -> KEYS.compare(a.minKey(), b.minKey()));
        maxEnd = new byte[Math.max(1, 4 * byMin.length)][];
        if (byMin.length > 0) {
            build(1, 0, byMin.length);
        }
    }

    private byte[] build(int node, int lo, int hi) {
        if (hi - lo == 1) {
            maxEnd[node] = byMin[lo].maxKey();
        } else {
            int mid = (lo + hi) >>> 1;
            byte[] l = build(2 * node, lo, mid);
            byte[] r = build(2 * node + 1, mid, hi);
            maxEnd[node] = KEYS.compare(l, r) >= 0 ? l : r;
        }
        return maxEnd[node];
    }

    public int size() {
        return byMin.length;
    }

    /** The segments with {@code minKey <= toInclusive} and {@code maxKey >= from}, in first-key order. */
    public List<TierSegment> overlapping(byte[] from, byte[] toInclusive) {
        List<TierSegment> out = new ArrayList<>(2);
        int limit = firstAfter(toInclusive);
        if (limit > 0) {
            collect(1, 0, byMin.length, limit, from, out);
        }
        return out;
    }

    /** The first position whose segment starts after key (all before it start at or before key). */
    private int firstAfter(byte[] key) {
        int lo = 0;
        int hi = byMin.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (KEYS.compare(byMin[mid].minKey(), key) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void collect(int node, int lo, int hi, int limit, byte[] from, List<TierSegment> out) {
        if (lo >= limit || KEYS.compare(maxEnd[node], from) < 0) {
            return;
        }
        if (hi - lo == 1) {
            out.add(byMin[lo]);
            return;
        }
        int mid = (lo + hi) >>> 1;
        collect(2 * node, lo, mid, limit, from, out);
        collect(2 * node + 1, mid, hi, limit, from, out);
    }
}
