package dev.argon.engine.exec;

import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/** A way to produce a query's candidate documents, chosen by the {@link Planner}. Immutable. */
sealed interface Plan {
    /** Whether documents come in the order the query's sort asks for, so no blocking sort is needed. */
    boolean servesSort();

    /** A point read: the filter is an equality on {@code _id}. */
    record IdHack(BsonValue id) implements Plan {
        @Override
        public boolean servesSort() {
            return true;
        }
    }

    /**
     * Every document in {@code _id} order (documents are stored by {@code _id}, so this is also the {@code _id}
     * index), from and to the range's ends when there is one; {@code backward} for {@code $natural: -1}.
     * {@code idIndex}: shown as an IXSCAN of {@code _id_} (hinted, or bounded by an {@code _id} range).
     */
    record CollScan(IdRange range, boolean backward, boolean idIndex, boolean servesSort) implements Plan {}

    /**
     * An index scan over bounds; {@code multikey} as the view sees the index; {@code backward}: intervals and
     * keys in descending order, for a sort opposite to the index's.
     */
    record IxScan(IndexBounds bounds, boolean multikey, boolean servesSort, boolean backward) implements Plan {
        /** From {@link Planner#sortDirection}: 1 forward and serving, -1 backward and serving, 0 forward not serving. */
        IxScan(IndexBounds bounds, boolean multikey, int direction) {
            this(bounds, multikey, direction != 0, direction < 0);
        }

        /** A multikey document may appear under several keys, and one with a two-sided range be missed. */
        boolean withMarkers() {
            return multikey && bounds.twoSided;
        }

        boolean dedupe() {
            return multikey || bounds.intervals.size() > 1;
        }
    }

    /**
     * A top-level {@code $or} as the union of one index scan per clause, deduplicated by {@code _id}: the clauses one
     * after another (OR), or, with {@code mergeSort}, all at once merged in that sort order, which every clause's
     * index order serves (SORT_MERGE).
     */
    record OrScan(List<IxScan> clauses, BsonDocument mergeSort) implements Plan {
        @Override
        public boolean servesSort() {
            return mergeSort != null;
        }

        /** Ranked by its weakest clause. */
        int score() {
            int min = Integer.MAX_VALUE;
            for (IxScan p : clauses) {
                min = Math.min(min, Planner.score(p));
            }
            return min;
        }
    }

    /** COUNT over COUNT_SCAN: the keys in the scan's bounds, which answer the filter exactly ({@link KeyOnlyScans}). */
    record CountScan(IxScan scan) implements Plan {
        @Override
        public boolean servesSort() {
            return true;
        }
    }

    /** DISTINCT_SCAN: one key (and document) per distinct value of the scan's first field. */
    record DistinctScan(IxScan scan) implements Plan {
        @Override
        public boolean servesSort() {
            return true;
        }
    }
}
