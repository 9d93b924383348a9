package dev.argon.engine.exec;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.DataView;
import dev.argon.engine.store.IndexInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;

/**
 * Chooses how a query reads its collection. Candidates: a point read when the filter pins {@code _id}; for
 * every readable index (not hidden, plain ascending/descending keys, built with multikey markers) the bounds the
 * filter gives it, or no bounds when it only serves the sort; otherwise a collection scan. A sparse index is a
 * candidate only with a bound on a field that cannot be missing ({@link IndexBounds#of}), a partial one only when
 * the filter contains every clause of its {@code partialFilterExpression}.
 *
 * <p>Cost model (documented in ARCHITECTURE.md, "Planner"): the plan with the highest score wins — 4 per leading
 * index field pinned to points, 2 for a range after them, 1 when the index order serves the sort; ties go to
 * fewer intervals, then fewer key fields, then the older index. A hint replaces the choice. Stateless.
 */
final class Planner {
    private Planner() {}

    /** The winning plan and the other candidates, for {@code explain}'s {@code rejectedPlans}. */
    record Choice(Plan winner, List<Plan> rejected) {}

    static Choice choose(DataView view, CollectionInfo c, BsonDocument filter, BsonDocument sort, BsonValue hint) {
        boolean hinted = hint != null && !isEmptyHint(hint);
        BsonValue id = hinted ? null : QueryPlan.pinnedId(filter);
        if (id != null) {
            return new Choice(new Plan.IdHack(id), List.of()); // before any other work: the common point read
        }
        Constraints cons = Constraints.of(filter);
        if (hinted) {
            return new Choice(hinted(view, c, cons, sort, hint), List.of());
        }
        List<Plan.IxScan> candidates = candidates(view, c, filter, cons, sort);
        Plan.OrScan or = orPlan(view, c, filter, sort);
        if (or != null && (candidates.isEmpty() || score(candidates.get(0)) < or.score())) {
            return new Choice(or, List.copyOf(candidates));
        }
        if (candidates.isEmpty()) {
            IdRange range = IdRange.of(filter);
            boolean backward = reverseNaturalSort(sort);
            return new Choice(new Plan.CollScan(range, backward, range != null || backward, backward || naturalSort(sort)), List.of());
        }
        return new Choice(candidates.get(0), List.copyOf(candidates.subList(1, candidates.size())));
    }

    /**
     * {@code min}/{@code max}: a scan of the hinted index from the key {@code min} (inclusive) to {@code max}
     * (exclusive), as mongod does; the filter is then applied to what it fetches. Errors as mongod's: no index
     * hinted 51173, bounds whose fields are not the index's key pattern in order 51174, min not below max 51175.
     */
    static Plan minMax(DataView view, CollectionInfo c, BsonDocument filter, BsonDocument sort, BsonValue hint,
                       BsonDocument min, BsonDocument max) {
        if (hint == null || isEmptyHint(hint) || (hint.isDocument() && hint.asDocument().containsKey("$natural"))) {
            throw new ArgonException(MongoErrorCode.LOCATION_51173,
                    "When using min()/max() a hint of which index to use must be provided");
        }
        IndexInfo index = hintedIndex(c, hint);
        if (index == null && hintsIdIndex(hint)) {
            // The _id index is the documents' own order: a collection scan between the two _id values.
            IdRange range = IdRange.minMax(min == null ? new BsonDocument() : min, max == null ? new BsonDocument() : max);
            return new Plan.CollScan(range, false, true, naturalSort(sort));
        }
        if (index == null) {
            throw ArgonException.badValue("hint provided does not correspond to an existing index");
        }
        IndexBounds b = IndexBounds.minMax(index, min == null ? new BsonDocument() : min, max == null ? new BsonDocument() : max);
        boolean multikey = IndexScan.multikey(view, c, index);
        return new Plan.IxScan(b, multikey, sortDirection(b, Constraints.of(filter), sort, multikey));
    }

    /** Whether a hint names the {@code _id} index, by name or key pattern. */
    private static boolean hintsIdIndex(BsonValue hint) {
        return hint.isString() ? hint.asString().getValue().equals("_id_")
                : hint.isDocument() && hint.asDocument().equals(new BsonDocument("_id", new BsonInt32(1)));
    }

    /** The index a hint names (by name or key pattern), or null; the {@code _id} index is not an IndexInfo. */
    private static IndexInfo hintedIndex(CollectionInfo c, BsonValue hint) {
        if (hint.isString()) {
            return c.index(hint.asString().getValue());
        }
        IndexInfo found = null;
        if (hint.isDocument()) {
            for (IndexInfo i : c.indexes()) {
                if (i.key().equals(hint.asDocument())) {
                    found = i;
                }
            }
        }
        return found;
    }

    /** The index plans the constraints allow, best first. */
    private static List<Plan.IxScan> candidates(DataView view, CollectionInfo c, BsonDocument filter, Constraints cons,
                                                BsonDocument sort) {
        List<Plan.IxScan> candidates = new ArrayList<>();
        for (IndexInfo index : c.indexes()) {
            if (!IndexBounds.readable(index)) {
                continue;
            }
            IndexBounds b = IndexBounds.of(index, cons);
            if (b == null) {
                if (sort == null || sort.isEmpty() || index.sparse() || index.partialFilter() != null) {
                    continue;
                }
                b = IndexBounds.full(index);
            } else if (index.partialFilter() != null && !implies(filter, index.partialFilter())) {
                continue;
            }
            boolean multikey = IndexScan.multikey(view, c, index);
            if (multikey && b.pointFields + (b.range ? 1 : 0) > 1) {
                b = IndexBounds.of(index, cons, true); // fields under one array may not intersect their bounds
            }
            int direction = sortDirection(b, cons, sort, multikey);
            if (b.pointFields == 0 && !b.range && direction == 0) {
                continue;
            }
            candidates.add(new Plan.IxScan(b, multikey, direction));
        }
        candidates.sort(Comparator.comparingInt(Planner::score).reversed()
                .thenComparingInt(p -> p.bounds().intervals.size())
                .thenComparingInt(p -> p.bounds().fields.size()));
        return candidates;
    }

    /**
     * A top-level {@code $or} whose every clause (with the rest of the filter) has a bounded index plan: the union
     * of those scans, deduplicated by {@code _id}. Null when a clause has none (one collection scan is cheaper
     * than a union that needs one anyway). With a sort that, for every clause, the best bounded plan's index order
     * serves, the union merges the clauses' scans in sort order (SORT_MERGE) and needs no blocking sort.
     */
    private static Plan.OrScan orPlan(DataView view, CollectionInfo c, BsonDocument filter, BsonDocument sort) {
        if (filter == null || !filter.isArray("$or") || filter.getArray("$or").isEmpty()) {
            return null;
        }
        BsonDocument rest = filter.clone();
        rest.remove("$or");
        boolean sorted = sort != null && !sort.isEmpty();
        List<Plan.IxScan> clauses = new ArrayList<>();
        List<Plan.IxScan> merged = sorted ? new ArrayList<>() : null;
        for (BsonValue clause : filter.getArray("$or")) {
            if (!clause.isDocument()) {
                return null;
            }
            BsonDocument both = new BsonDocument("$and", new org.bson.BsonArray(List.of(clause, rest)));
            Constraints cons = Constraints.of(both);
            List<Plan.IxScan> best = candidates(view, c, both, cons, null);
            if (best.isEmpty()) {
                return null;
            }
            clauses.add(best.get(0));
            if (merged != null) {
                Plan.IxScan inOrder = null;
                for (Plan.IxScan p : candidates(view, c, both, cons, sort)) {
                    // A full-index candidate (there only for the sort) does not bound the clause.
                    if (p.bounds().pointFields > 0 || p.bounds().range) {
                        inOrder = p;
                        break;
                    }
                }
                merged = inOrder != null && inOrder.servesSort() ? merged : null;
                if (merged != null) {
                    merged.add(inOrder);
                }
            }
        }
        return merged != null ? new Plan.OrScan(merged, sort) : new Plan.OrScan(clauses, null);
    }

    static int score(Plan.IxScan p) {
        return 4 * p.bounds().pointFields + (p.bounds().range ? 2 : 0) + (p.servesSort() ? 1 : 0);
    }

    private static boolean isEmptyHint(BsonValue hint) {
        return (hint.isString() && hint.asString().getValue().isEmpty()) || (hint.isDocument() && hint.asDocument().isEmpty());
    }

    private static Plan hinted(DataView view, CollectionInfo c, Constraints cons, BsonDocument sort, BsonValue hint) {
        if (hint.isDocument() && hint.asDocument().containsKey("$natural")) {
            BsonValue d = hint.asDocument().get("$natural");
            boolean backward = d.isNumber() && d.asNumber().doubleValue() < 0;
            return new Plan.CollScan(null, backward, false, backward ? sort == null || sort.isEmpty() || reverseNaturalSort(sort) : naturalSort(sort));
        }
        IndexInfo index = null;
        boolean idIndex = false;
        if (hint.isString()) {
            String name = hint.asString().getValue();
            idIndex = name.equals("_id_");
            index = c.index(name);
        } else if (hint.isDocument()) {
            idIndex = hint.asDocument().equals(new BsonDocument("_id", new BsonInt32(1)));
            for (IndexInfo i : c.indexes()) {
                if (i.key().equals(hint.asDocument())) {
                    index = i;
                }
            }
        }
        if (index == null && idIndex) {
            boolean backward = reverseNaturalSort(sort);
            return new Plan.CollScan(null, backward, true, backward || naturalSort(sort));
        }
        if (index == null) {
            throw ArgonException.badValue("hint provided does not correspond to an existing index");
        }
        if (!IndexBounds.readable(index)) {
            // Built before multikey markers (or hidden, or not a plain key): answered by a collection scan.
            return new Plan.CollScan(null, false, false, naturalSort(sort));
        }
        boolean multikey = IndexScan.multikey(view, c, index);
        IndexBounds b = IndexBounds.of(index, cons, multikey);
        if (b == null) {
            b = IndexBounds.full(index);
        }
        return new Plan.IxScan(b, multikey, sortDirection(b, cons, sort, multikey));
    }

    /** Whether the sort is only {@code _id} descending: a collection scan read backward. */
    static boolean reverseNaturalSort(BsonDocument sort) {
        return sort != null && sort.size() == 1 && sort.containsKey("_id") && sort.get("_id").isNumber()
                && sort.get("_id").asNumber().doubleValue() < 0;
    }

    /**
     * How the index serves the sort: 1 read forward (also with no sort), -1 read backward (every sort direction
     * opposite to the index's), 0 not at all (a blocking sort follows a forward read).
     */
    static int sortDirection(IndexBounds b, Constraints cons, BsonDocument sort, boolean multikey) {
        if (servesSort(b, cons, sort, multikey)) {
            return 1;
        }
        BsonDocument reversed = new BsonDocument();
        for (Map.Entry<String, BsonValue> e : sort.entrySet()) {
            if (!e.getValue().isNumber()) {
                return 0;
            }
            reversed.append(e.getKey(), new BsonInt32(e.getValue().asNumber().doubleValue() < 0 ? 1 : -1));
        }
        return servesSort(b, cons, reversed, multikey) ? -1 : 0;
    }

    /** Whether the sort is only {@code _id} ascending, the order of a collection scan. */
    static boolean naturalSort(BsonDocument sort) {
        if (sort == null || sort.isEmpty()) {
            return true;
        }
        return sort.size() == 1 && sort.containsKey("_id") && sort.get("_id").isNumber() && sort.get("_id").asNumber().doubleValue() > 0;
    }

    /**
     * Whether reading the bounds in key order yields the sort's order: the sort's fields, minus those the filter
     * pins to one value, are the index's next fields in the same directions. Intervals are disjoint and read in
     * order, so several points keep the order too. Never over a multikey index (an array sorts by its smallest or
     * largest element, not by where the scan meets it).
     */
    static boolean servesSort(IndexBounds b, Constraints cons, BsonDocument sort, boolean multikey) {
        if (sort == null || sort.isEmpty()) {
            return true;
        }
        if (multikey) {
            return false;
        }
        boolean[] pinned = new boolean[b.fields.size()];
        for (int i = 0; i < b.pointFields; i++) {
            Constraints.Field f = cons.get(b.fields.get(i));
            pinned[i] = f != null && f.isPoints() && f.points.size() == 1;
        }
        int i = 0;
        for (Map.Entry<String, BsonValue> e : sort.entrySet()) {
            if (!e.getValue().isNumber()) {
                return false;
            }
            boolean desc = e.getValue().asNumber().doubleValue() < 0;
            int at = b.fields.indexOf(e.getKey());
            if (at >= 0 && pinned[at]) {
                continue;
            }
            while (i < b.fields.size() && pinned[i] && !b.fields.get(i).equals(e.getKey())) {
                i++;
            }
            if (i >= b.fields.size() || !b.fields.get(i).equals(e.getKey()) || b.descending[i] != desc) {
                return false;
            }
            i++;
        }
        return true;
    }

    /** Whether every clause of a partial index's filter appears as it is in the query's (top level or {@code $and}). */
    static boolean implies(BsonDocument filter, BsonDocument partial) {
        if (filter == null) {
            return false;
        }
        List<BsonDocument> clauses = new ArrayList<>();
        collect(filter, clauses);
        for (Map.Entry<String, BsonValue> e : partial.entrySet()) {
            List<BsonDocument> wanted = new ArrayList<>();
            if (e.getKey().equals("$and") && e.getValue().isArray()) {
                for (BsonValue v : e.getValue().asArray()) {
                    if (v.isDocument()) {
                        collect(v.asDocument(), wanted);
                    }
                }
            } else {
                wanted.add(new BsonDocument(e.getKey(), e.getValue()));
            }
            for (BsonDocument w : wanted) {
                if (!clauses.contains(w)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void collect(BsonDocument filter, List<BsonDocument> out) {
        for (Map.Entry<String, BsonValue> e : filter.entrySet()) {
            if (e.getKey().equals("$and") && e.getValue().isArray()) {
                for (BsonValue v : e.getValue().asArray()) {
                    if (v.isDocument()) {
                        collect(v.asDocument(), out);
                    }
                }
            } else {
                out.add(new BsonDocument(e.getKey(), e.getValue()));
            }
        }
    }
}
