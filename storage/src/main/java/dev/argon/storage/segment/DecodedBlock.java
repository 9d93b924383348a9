package dev.argon.storage.segment;

import java.util.Arrays;

/**
 * One block of a segment after its checksum was checked and it was decompressed and decoded: its keys and values
 * in key order. What a {@link BlockCache} keeps, so that a warm read pays no decompression. Immutable by contract:
 * nothing writes into its arrays once built, so one instance is shared by every reader of the block (thread-safe).
 */
public final class DecodedBlock {
    /** Approximate heap cost of one entry beyond its bytes: two array headers and two references. */
    private static final int ENTRY_OVERHEAD = 40;

    final int number;
    final byte[][] keys;
    final byte[][] values;
    private final long weight;

    DecodedBlock(int number, byte[][] keys, byte[][] values) {
        this.number = number;
        this.keys = keys;
        this.values = values;
        long w = 64;
        for (int i = 0; i < keys.length; i++) {
            w += keys[i].length + values[i].length + ENTRY_OVERHEAD;
        }
        this.weight = w;
    }

    /** Approximate bytes it takes on the heap, what a cache charges for it. */
    public long weight() {
        return weight;
    }

    /** The first index whose key is at least {@code k}. */
    int lowerBound(byte[] k) {
        int lo = 0;
        int hi = keys.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Arrays.compareUnsigned(keys[mid], k) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
