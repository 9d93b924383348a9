package dev.argon.engine.store;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How often each index was used by a query plan that ran, per branch ({@code $indexStats}' {@code accesses}).
 * Kept in memory, as mongod keeps them: the counts start at zero when the server starts. Keyed by branch id, so
 * a branch and its parent count apart although they share the index's definition, and a reset (a new branch id)
 * starts the branch's counts afresh; a time-travel read counts on its branch. The {@code _id} index is index id
 * {@link #ID_INDEX}. Thread-safe.
 */
public final class IndexAccesses {
    /** The {@code _id} index, which has no {@link IndexInfo}: point reads and {@code _id} ranges use it. */
    public static final int ID_INDEX = 0;

    private record Key(int branchId, long collectionId, int indexId) {}

    /** One index's count on one branch, and since when it counts. Thread-safe. */
    public static final class Counter {
        private final LongAdder ops = new LongAdder();
        private final long sinceMillis;

        Counter(long sinceMillis) {
            this.sinceMillis = sinceMillis;
        }

        public long ops() {
            return ops.sum();
        }

        /** When this process started counting for this index and branch (its first use or first report). */
        public long sinceMillis() {
            return sinceMillis;
        }
    }

    private final ConcurrentHashMap<Key, Counter> counters = new ConcurrentHashMap<>();

    /** The counter of one index on one branch, created (at zero, since now) when first asked for. */
    public Counter counter(int branchId, long collectionId, int indexId) {
        return counters.computeIfAbsent(new Key(branchId, collectionId, indexId), k -> new Counter(System.currentTimeMillis()));
    }

    /** Counts one use: a plan reading the index ran. */
    void used(int branchId, long collectionId, int indexId) {
        counter(branchId, collectionId, indexId).ops.increment();
    }

    /** A view's binding to its branch: what {@link DataView#indexUsed} counts into. Immutable. */
    record Scope(IndexAccesses accesses, int branchId) {}
}
