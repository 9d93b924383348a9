package dev.argon.wal;

import java.util.Arrays;

/**
 * What one read can see: a branch's ancestry, each member with the highest LSN visible from it. The first
 * member is the branch itself with the read point (its head, or an older LSN for time travel); each parent
 * follows with its bound lowered to the child's fork point. Branch ids descend along the ancestry (a branch,
 * and a reset's new id, are always created after their parent), which the {@code versions} layout relies on.
 * Immutable and thread-safe.
 */
public final class ReadView {
    private final int[] branchIds;
    private final long[] bounds;

    public ReadView(int[] branchIds, long[] bounds) {
        if (branchIds.length == 0 || branchIds.length != bounds.length) {
            throw new IllegalArgumentException("ancestry must be non-empty and aligned");
        }
        for (int i = 1; i < branchIds.length; i++) {
            // A branch is created after its parent, so an ancestry nearest-first descends; reads rely on it.
            if (branchIds[i] >= branchIds[i - 1]) {
                throw new IllegalArgumentException("an ancestry's branch ids must descend: " + Arrays.toString(branchIds));
            }
        }
        this.branchIds = branchIds.clone();
        this.bounds = bounds.clone();
    }

    /** The LSN this view reads at (inclusive). */
    public long readLsn() {
        return bounds[0];
    }

    public int branchId() {
        return branchIds[0];
    }

    public int depth() {
        return branchIds.length;
    }

    public int branchIdAt(int i) {
        return branchIds[i];
    }

    public long boundAt(int i) {
        return bounds[i];
    }

    /** The highest LSN of branchId visible here, or -1 if the branch is not in this ancestry. */
    public long boundFor(int branchId) {
        for (int i = 0; i < branchIds.length; i++) {
            if (branchIds[i] == branchId) {
                return bounds[i];
            }
        }
        return -1;
    }

    /**
     * The state both views descend from: the shared tail of the two ancestries, each bound the lower of the
     * two. With no shared branch (impossible while everything descends from main) it is the empty state.
     */
    public static ReadView common(ReadView a, ReadView b) {
        for (int i = 0; i < a.branchIds.length; i++) {
            long other = b.boundFor(a.branchIds[i]);
            if (other >= 0) {
                int n = a.branchIds.length - i;
                int[] ids = new int[n];
                long[] bs = new long[n];
                for (int k = 0; k < n; k++) {
                    ids[k] = a.branchIds[i + k];
                    long ob = b.boundFor(ids[k]);
                    bs[k] = Math.min(a.bounds[i + k], ob < 0 ? a.bounds[i + k] : ob);
                }
                return new ReadView(ids, bs);
            }
        }
        return new ReadView(new int[] {a.branchIds[a.branchIds.length - 1]}, new long[] {0});
    }

    /** True if a version written by branchId at lsn is visible here. */
    public boolean visible(int branchId, long lsn) {
        for (int i = 0; i < branchIds.length; i++) {
            if (branchIds[i] == branchId) {
                return lsn <= bounds[i];
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "ReadView" + Arrays.toString(branchIds) + "@" + Arrays.toString(bounds);
    }
}
