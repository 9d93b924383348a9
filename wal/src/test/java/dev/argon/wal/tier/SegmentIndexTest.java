package dev.argon.wal.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.wal.TierSegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SegmentIndex} answers every range query with exactly the segments a linear scan of the list finds:
 * thousands of segments whose key ranges overlap heavily (several passes each covering much of the key space, plus
 * narrow ones), queried with narrow and wide ranges, ranges outside every segment and single keys at the edges.
 */
class SegmentIndexTest {
    private static final Comparator<byte[]> KEYS = Arrays::compareUnsigned;

    private static byte[] key(Random r, int len) {
        byte[] k = new byte[1 + r.nextInt(len)];
        r.nextBytes(k);
        return k;
    }

    private static TierSegment segment(int n, byte[] a, byte[] b) {
        byte[] min = KEYS.compare(a, b) <= 0 ? a : b;
        byte[] max = min == a ? b : a;
        return new TierSegment("s" + n, 1, 1, 1, 1, min, max);
    }

    private static List<String> linear(List<TierSegment> all, byte[] from, byte[] to) {
        List<String> out = new ArrayList<>();
        for (TierSegment s : all) {
            if (KEYS.compare(s.maxKey(), from) >= 0 && KEYS.compare(s.minKey(), to) <= 0) {
                out.add(s.name());
            }
        }
        out.sort(null);
        return out;
    }

    private static List<String> indexed(SegmentIndex index, byte[] from, byte[] to) {
        List<String> out = new ArrayList<>();
        for (TierSegment s : index.overlapping(from, to)) {
            out.add(s.name());
        }
        out.sort(null);
        return out;
    }

    @Test
    void manyOverlappingSegmentsGiveTheLinearAnswer() {
        Random r = new Random(12);
        List<TierSegment> all = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            // A third wide (a pass's segment spanning much of the keys), the rest narrow; short keys make equal
            // bounds and shared prefixes common.
            byte[] a = key(r, 3);
            byte[] b = i % 3 == 0 ? key(r, 3) : Arrays.copyOf(a, a.length + 1 + r.nextInt(2));
            all.add(segment(i, a, b));
        }
        SegmentIndex index = new SegmentIndex(all);
        assertEquals(all.size(), index.size());
        int nonEmpty = 0;
        for (int q = 0; q < 4000; q++) {
            byte[] from;
            byte[] to;
            if (q % 4 == 0) {
                // Exactly a segment's edge, as one key.
                TierSegment s = all.get(r.nextInt(all.size()));
                from = q % 8 == 0 ? s.minKey() : s.maxKey();
                to = from;
            } else {
                byte[] a = key(r, 4);
                byte[] b = q % 4 == 1 ? Arrays.copyOf(a, a.length + 2) : key(r, 4);
                from = KEYS.compare(a, b) <= 0 ? a : b;
                to = from == a ? b : a;
            }
            List<String> expected = linear(all, from, to);
            assertEquals(expected, indexed(index, from, to), "query " + q);
            if (!expected.isEmpty()) {
                nonEmpty++;
            }
        }
        assertTrue(nonEmpty > 1000, "the queries found segments: " + nonEmpty);
        assertEquals(List.of(), indexed(index, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1},
                new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 2}), "after every segment");
    }

    @Test
    void emptyAndSingleSegmentIndexes() {
        assertEquals(List.of(), SegmentIndex.EMPTY.overlapping(new byte[] {1}, new byte[] {2}));
        SegmentIndex one = new SegmentIndex(List.of(segment(0, new byte[] {5}, new byte[] {9})));
        assertEquals(1, one.overlapping(new byte[] {9}, new byte[] {9}).size());
        assertEquals(1, one.overlapping(new byte[] {1}, new byte[] {5}).size());
        assertEquals(0, one.overlapping(new byte[] {1}, new byte[] {4}).size());
        assertEquals(0, one.overlapping(new byte[] {9, 0}, new byte[] {10}).size());
    }
}
