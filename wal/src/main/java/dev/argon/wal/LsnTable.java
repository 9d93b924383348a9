package dev.argon.wal;

import java.util.Arrays;

/**
 * A dense int per LSN (LSNs are contiguous from 1), growing as needed: four bytes per LSN, so a check of a
 * directory with ten million log entries needs 40 MB per table. Not thread-safe.
 */
final class LsnTable {
    private int[] values = new int[1024];

    int get(long lsn) {
        return lsn < 0 || lsn >= values.length ? 0 : values[(int) lsn];
    }

    void set(long lsn, int v) {
        ensure(lsn);
        values[(int) lsn] = v;
    }

    void increment(long lsn) {
        ensure(lsn);
        values[(int) lsn]++;
    }

    /** True if lsn can be held (an LSN beyond int range means a corrupt key, never a real directory). */
    static boolean fits(long lsn) {
        return lsn >= 0 && lsn < Integer.MAX_VALUE - 8;
    }

    private void ensure(long lsn) {
        if (lsn >= values.length) {
            values = Arrays.copyOf(values, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(lsn + 1, (long) values.length * 2)));
        }
    }
}
