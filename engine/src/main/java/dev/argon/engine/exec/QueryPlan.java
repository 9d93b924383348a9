package dev.argon.engine.exec;

import dev.argon.engine.query.MatchDetails;
import dev.argon.engine.query.Matcher;
import dev.argon.engine.query.Projection;
import dev.argon.engine.query.SortSpec;
import dev.argon.engine.spill.ExternalSorter;
import dev.argon.engine.spill.Spill;
import dev.argon.engine.spill.TopK;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.DataView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Runs a find-shaped query over one collection: source (chosen by the {@link Planner}: a point read when the
 * filter pins {@code _id}, an index scan, or a scan in {@code _id} order), filter (every candidate is re-checked,
 * so bounds only need to be a superset), sort (top-k when there is a limit; none when the source's order serves
 * it), skip, limit, projection. Not thread-safe; one per query.
 */
public final class QueryPlan {
    private QueryPlan() {}

    /** A lazily evaluated result that holds a storage iterator until closed. */
    public interface Result extends Iterator<BsonDocument>, AutoCloseable {
        @Override
        void close();

        /** The plan and what it has done so far (for {@code explain}); null for a result without a collection. */
        PlanInfo plan();

        ExecStats stats();
    }

    /**
     * What a query asks for. {@code hint}: an index name, a key pattern, {@code {$natural: 1 | -1}}, or null.
     * {@code min}/{@code max} (find only; null when absent): the hinted index's key range, min inclusive, max
     * exclusive. Immutable.
     */
    public record Query(BsonDocument filter, BsonDocument sort, long skip, long limit, BsonDocument projection, BsonDocument let,
                        BsonValue hint, BsonDocument min, BsonDocument max) {
        public Query(BsonDocument filter, BsonDocument sort, long skip, long limit, BsonDocument projection, BsonDocument let,
                     BsonValue hint) {
            this(filter, sort, skip, limit, projection, let, hint, null, null);
        }

        public static Query of(BsonDocument filter) {
            return new Query(filter, null, 0, 0, null, null, null);
        }

        /** The same query bounded to a key range of its hinted index. */
        public Query withMinMax(BsonDocument min, BsonDocument max) {
            return new Query(filter, sort, skip, limit, projection, let, hint, min, max);
        }
    }

    /** Documents matching filter, unsorted, in _id order. */
    public static Result matching(DataView view, CollectionInfo c, BsonDocument filter) {
        return find(view, c, filter, null, 0, 0, null);
    }

    public static Result find(DataView view, CollectionInfo c, BsonDocument filter, BsonDocument sort, long skip, long limit,
                              BsonDocument projection) {
        return find(view, c, filter, sort, skip, limit, projection, null);
    }

    /** As {@link #find}, with the command's {@code let} variables available to {@code $expr}. */
    public static Result find(DataView view, CollectionInfo c, BsonDocument filter, BsonDocument sort, long skip, long limit,
                              BsonDocument projection, BsonDocument let) {
        return find(view, c, new Query(filter, sort, skip, limit, projection, let, null));
    }

    /** Plans and runs a query with no memory limit on its sort (internal reads; see {@link Spill#inMemory}). */
    public static Result find(DataView view, CollectionInfo c, Query q) {
        return find(view, c, q, Spill.inMemory());
    }

    /**
     * Plans and runs a query; the result describes its plan ({@link Result#plan}). A blocking sort without a limit
     * holds documents up to the spill's sort limit, then writes sorted runs through it (or fails with 292 when it
     * allows no disk use); the caller closes the spill after the result.
     */
    public static Result find(DataView view, CollectionInfo c, Query q, Spill spill) {
        if (c == null) {
            return new Limited(Collections.emptyIterator(), 0, 0, null, null, null, new ExecStats());
        }
        BsonDocument filter = q.filter();
        BsonDocument sort = q.sort();
        Matcher matcher = Matcher.compile(filter == null ? new BsonDocument() : filter, q.let());
        boolean minMax = (q.min() != null && !q.min().isEmpty()) || (q.max() != null && !q.max().isEmpty());
        Planner.Choice choice = minMax
                ? new Planner.Choice(Planner.minMax(view, c, filter, sort, q.hint(), q.min(), q.max()), List.of())
                : ranked(view, c, q, Planner.choose(view, c, filter, sort, q.hint()));
        Plan plan = choice.winner();
        countUse(view, c, plan);
        return open(view, c, q, matcher, plan, choice, spill, new ExecStats());
    }

    /** Most results a candidate returns in the trial period (mongod's {@code internalQueryPlanEvaluationMaxResults}). */
    static final int TRIAL_RESULTS = 101;
    /** Most works per candidate in the trial period (mongod's {@code internalQueryPlanEvaluationWorks}). */
    static final long TRIAL_WORKS = 10_000;

    /**
     * {@code explain}'s {@code allPlansExecution}: every candidate of the explained query's choice (winner first,
     * then the rejected plans) run for the trial period of mongod's multi-planner: all run the same number of
     * works (one per key read, or per document a collection scan reads), until one of them has returned
     * {@value #TRIAL_RESULTS} results or reached its end, or {@value #TRIAL_WORKS} works have passed. A candidate's
     * entry shows what it examined and returned in those works; a blocking sort cut off in the trial returns
     * nothing. Empty when there was no choice (one candidate, a hint, a point read), as on mongod. The same trial
     * breaks the cost model's ties ({@link #ranked}). Nothing is counted as index use.
     */
    public static BsonArray allPlansExecution(DataView view, CollectionInfo c, PlanInfo info) {
        BsonArray out = new BsonArray();
        if (c == null || info == null || info.choice().rejected().isEmpty()) {
            return out;
        }
        List<Plan> plans = new ArrayList<>();
        Plan winner = info.choice().winner();
        // A COUNT_SCAN or DISTINCT_SCAN winner competed as the index scan it reads.
        plans.add(winner instanceof Plan.CountScan cs ? cs.scan() : winner instanceof Plan.DistinctScan ds ? ds.scan() : winner);
        plans.addAll(info.choice().rejected());
        List<Long> millis = new ArrayList<>();
        List<ExecStats> trials = trials(view, c, info.query(), plans, millis);
        for (int i = 0; i < plans.size(); i++) {
            out.add(info.trialEntry(plans.get(i), trials.get(i), millis.get(i)));
        }
        return out;
    }

    /**
     * The trial period for these plans: each runs the works the first to return {@value #TRIAL_RESULTS} results or
     * reach its end needed (at most {@value #TRIAL_WORKS}); their counters, in order, and (when {@code millis} is
     * not null) the milliseconds each took.
     */
    private static List<ExecStats> trials(DataView view, CollectionInfo c, Query q, List<Plan> plans, List<Long> millis) {
        long rounds = TRIAL_WORKS;
        for (Plan p : plans) {
            rounds = Math.min(rounds, trial(view, c, q, p, rounds).works());
        }
        List<ExecStats> out = new ArrayList<>();
        for (Plan p : plans) {
            long start = System.nanoTime();
            out.add(trial(view, c, q, p, rounds));
            if (millis != null) {
                millis.add((System.nanoTime() - start) / 1_000_000);
            }
        }
        return out;
    }

    /**
     * The planner's choice with a tie broken as mongod's multi-planner would: when index plans share the best
     * score, they run the trial period ({@link #trials}) and the one that reached its end wins, else the one that
     * returned the most documents per work; equals keep the cost model's order. Other choices are as they are.
     */
    static Planner.Choice ranked(DataView view, CollectionInfo c, Query q, Planner.Choice choice) {
        if (!(choice.winner() instanceof Plan.IxScan w)) {
            return choice;
        }
        List<Plan> tied = new ArrayList<>();
        tied.add(w);
        for (Plan p : choice.rejected()) {
            if (p instanceof Plan.IxScan ix && Planner.score(ix) == Planner.score(w)) {
                tied.add(p);
            }
        }
        if (tied.size() < 2) {
            return choice;
        }
        List<ExecStats> trials = trials(view, c, q, tied, null);
        int best = 0;
        for (int i = 1; i < tied.size(); i++) {
            if (better(trials.get(i), trials.get(best))) {
                best = i;
            }
        }
        if (best == 0) {
            return choice;
        }
        Plan winner = tied.get(best);
        List<Plan> rejected = new ArrayList<>();
        rejected.add(w);
        for (Plan p : choice.rejected()) {
            if (p != winner) {
                rejected.add(p);
            }
        }
        return new Planner.Choice(winner, rejected);
    }

    /** Whether trial a beats trial b: it reached its end and b did not, or it returned more per work. */
    private static boolean better(ExecStats a, ExecStats b) {
        if (!a.cut != !b.cut) {
            return !a.cut;
        }
        // a.returned / a.works > b.returned / b.works, without division
        return (double) a.returned * Math.max(1, b.works()) > (double) b.returned * Math.max(1, a.works());
    }

    /**
     * Runs one candidate for at most {@code works} works or {@value #TRIAL_RESULTS} results; its counters. A plan
     * that needs a blocking sort reads its input without sorting or holding it (a trial holds no documents): cut
     * off, it returned nothing, as mongod's SORT before its input ends; at its end, what the sort would return.
     */
    private static ExecStats trial(DataView view, CollectionInfo c, Query q, Plan plan, long works) {
        ExecStats stats = new ExecStats();
        stats.budget = works;
        Planner.Choice alone = new Planner.Choice(plan, List.of());
        boolean blocking = q.sort() != null && !q.sort().isEmpty() && !plan.servesSort();
        Query run = blocking ? new Query(q.filter(), null, 0, 0, null, q.let(), q.hint()) : q;
        Matcher matcher = Matcher.compile(q.filter() == null ? new BsonDocument() : q.filter(), q.let());
        try (Spill spill = Spill.inMemory(); Limited r = open(view, c, run, matcher, plan, alone, spill, stats)) {
            if (blocking) {
                while (r.hasNext()) {
                    r.next();
                }
                long n = stats.cut ? 0 : Math.max(0, stats.matched - q.skip());
                stats.returned = Math.min(q.limit() > 0 ? Math.min(n, q.limit()) : n, TRIAL_RESULTS);
                return stats;
            }
            while (stats.returned < TRIAL_RESULTS && r.hasNext()) {
                r.next();
            }
        }
        return stats;
    }

    /** Runs a chosen plan: its source, the filter, a blocking sort when the plan's order does not serve it, skip, limit. */
    private static Limited open(DataView view, CollectionInfo c, Query q, Matcher matcher, Plan plan, Planner.Choice choice,
                                Spill spill, ExecStats stats) {
        BsonDocument sort = q.sort();
        long skip = q.skip();
        long limit = q.limit();
        Projection proj = q.projection() == null || q.projection().isEmpty() ? null : Projection.compile(q.projection());
        BsonDocument sortKeys = sort;
        boolean blocking = sortKeys != null && !sortKeys.isEmpty() && !plan.servesSort();
        SortSpec sortSpec = blocking ? SortSpec.compile(sortKeys) : null;
        if (!blocking && sort != null && !sort.isEmpty()) {
            SortSpec.compile(sort); // still validates the specification
        }
        Comparator<BsonDocument> order = sortSpec == null ? null : sortSpec.comparator();
        Iterator<BsonDocument> source;
        AutoCloseable resource = null;
        if (plan instanceof Plan.IdHack h) {
            BsonDocument d = view.document(c, h.id());
            stats.docsExamined += d == null ? 0 : 1;
            stats.keysExamined += d == null ? 0 : 1;
            source = d == null ? Collections.emptyIterator() : List.of(d).iterator();
        } else if (plan instanceof Plan.IxScan ix) {
            IndexScan scan = new IndexScan(view, c, ix, stats);
            source = scan;
            resource = scan;
        } else if (plan instanceof Plan.OrScan or && or.mergeSort() != null) {
            SortMergeScan scan = new SortMergeScan(view, c, or, SortSpec.compile(or.mergeSort()).comparator(), stats);
            source = scan;
            resource = scan;
        } else if (plan instanceof Plan.OrScan or) {
            OrScan scan = new OrScan(view, c, or, stats);
            source = scan;
            resource = scan;
        } else {
            Plan.CollScan cs = (Plan.CollScan) plan;
            IdRange range = cs.range();
            DataView.DocumentScan scan;
            Iterator<BsonDocument> bounded;
            if (cs.backward()) {
                // From past the upper bound down, stopping below the lower one (the matcher decides each document).
                scan = range == null || range.upper() == null ? view.documentsBackward(c)
                        : view.documentsBefore(c, IndexBounds.prefixEnd(range.upper()));
                bounded = range == null || range.lower() == null ? scan : range.boundedBelow(scan);
            } else {
                scan = range == null || range.lower() == null ? view.documents(c) : view.documentsFrom(c, range.lower());
                bounded = range == null || range.upper() == null ? scan : range.bounded(scan);
            }
            source = counting(bounded, stats, cs.idIndex());
            resource = scan;
        }
        Iterator<Matched> matched = new Filtered(source, matcher, proj != null, stats);
        if (order != null) {
            matched = sort(matched, order, limit > 0 ? skip + limit : 0, spill, matcher, proj != null, stats);
            close(resource);
            resource = null;
        }
        PlanInfo info = new PlanInfo(c.ns(), q, choice, blocking ? sortKeys : null, proj);
        return new Limited(matched, skip, limit, proj, resource, info, stats);
    }

    /**
     * {@code count}: as {@link #find}, but when the chosen index plan's bounds answer the filter exactly
     * ({@link KeyOnlyScans#exact}), a COUNT_SCAN that counts keys and fetches no document. The result yields one
     * empty document per counted match, after skip and limit.
     */
    public static Result count(DataView view, CollectionInfo c, Query q) {
        boolean minMax = (q.min() != null && !q.min().isEmpty()) || (q.max() != null && !q.max().isEmpty());
        if (c == null || minMax || q.filter() == null || q.filter().isEmpty()) {
            return find(view, c, q);
        }
        Planner.Choice choice = ranked(view, c, q, Planner.choose(view, c, q.filter(), null, q.hint()));
        if (!(choice.winner() instanceof Plan.IxScan ix) || !KeyOnlyScans.exact(ix, q.filter())) {
            return find(view, c, q);
        }
        countUse(view, c, ix);
        ExecStats stats = new ExecStats();
        long n = KeyOnlyScans.count(view, c, ix, stats);
        stats.matched = n;
        Matched blank = new Matched(new BsonDocument(), null);
        Iterator<Matched> counted = new Iterator<>() {
            private long left = n;

            @Override
            public boolean hasNext() {
                return left > 0;
            }

            @Override
            public Matched next() {
                if (left-- <= 0) {
                    throw new NoSuchElementException();
                }
                return blank;
            }
        };
        PlanInfo info = new PlanInfo(c.ns(), q, new Planner.Choice(new Plan.CountScan(ix), choice.rejected()), null, null);
        return new Limited(counted, q.skip(), q.limit(), null, null, info, stats);
    }

    /**
     * {@code distinct} of a field: when a readable non-multikey, non-partial index leads on the field and the
     * filter is empty (no hint) or answered exactly by that index's bounds, a DISTINCT_SCAN that reads one key
     * per value and yields the document behind it; otherwise {@link #find}. Either way the caller takes the
     * field's values from the documents.
     */
    public static Result distinct(DataView view, CollectionInfo c, Query q, String field) {
        boolean minMax = (q.min() != null && !q.min().isEmpty()) || (q.max() != null && !q.max().isEmpty());
        if (c == null || minMax) {
            return find(view, c, q);
        }
        Plan.IxScan ix = null;
        List<Plan> rejected = List.of();
        if (q.filter() == null || q.filter().isEmpty()) {
            if (q.hint() == null) {
                for (dev.argon.engine.store.IndexInfo i : c.indexes()) {
                    if (ix == null && IndexBounds.readable(i) && i.partialFilter() == null && i.key().getFirstKey().equals(field)
                            && !IndexScan.multikey(view, c, i)) {
                        ix = new Plan.IxScan(IndexBounds.full(i), false, 1);
                    }
                }
            }
        } else {
            Planner.Choice choice = ranked(view, c, q, Planner.choose(view, c, q.filter(), null, q.hint()));
            if (choice.winner() instanceof Plan.IxScan w && w.bounds().fields.get(0).equals(field) && KeyOnlyScans.exact(w, q.filter())) {
                ix = w;
                rejected = choice.rejected();
            }
        }
        if (ix == null) {
            return find(view, c, q);
        }
        return distinctScan(view, c, q, ix, rejected, false);
    }

    /**
     * The input of a {@code $group} on {@code field} that needs only the first (with {@code last}, also the last)
     * document of each value in the query's sort (PipelinePushdown#groupTakesEndsOnly): a DISTINCT_SCAN of a
     * non-multikey, non-sparse, non-partial index that leads on the field and whose forward order serves the sort,
     * with no filter or one the bounds answer exactly, yields each value's first document, then its last when that
     * is another one, in sort order (every document under the null key, which missing fields share with nulls).
     * Null when no index serves it, or with a hint, min/max or a projection: the caller then runs {@link #find}.
     */
    public static Result endsPerValue(DataView view, CollectionInfo c, Query q, String field, boolean last) {
        boolean minMax = (q.min() != null && !q.min().isEmpty()) || (q.max() != null && !q.max().isEmpty());
        if (c == null || minMax || q.hint() != null || q.projection() != null || q.sort() == null || q.skip() != 0 || q.limit() != 0) {
            return null;
        }
        Plan.IxScan ix = null;
        List<Plan> rejected = List.of();
        if (q.filter() == null || q.filter().isEmpty()) {
            for (dev.argon.engine.store.IndexInfo i : c.indexes()) {
                if (ix == null && IndexBounds.readable(i) && i.partialFilter() == null && !i.sparse() && i.key().getFirstKey().equals(field)
                        && Planner.servesSort(IndexBounds.full(i), Constraints.of(null), q.sort(), false) && !IndexScan.multikey(view, c, i)) {
                    ix = new Plan.IxScan(IndexBounds.full(i), false, 1);
                }
            }
        } else {
            Planner.Choice choice = ranked(view, c, q, Planner.choose(view, c, q.filter(), q.sort(), null));
            if (choice.winner() instanceof Plan.IxScan w && w.servesSort() && !w.backward() && w.bounds().fields.get(0).equals(field)
                    && KeyOnlyScans.exact(w, q.filter())) {
                ix = w;
                rejected = choice.rejected();
            }
        }
        return ix == null ? null : distinctScan(view, c, q, ix, rejected, last);
    }

    /** FETCH over DISTINCT_SCAN: one document per value of the scan's first field (and its last, with {@code last}). */
    private static Result distinctScan(DataView view, CollectionInfo c, Query q, Plan.IxScan ix, List<Plan> rejected, boolean last) {
        countUse(view, c, ix);
        ExecStats stats = new ExecStats();
        List<Matched> docs = new ArrayList<>();
        for (BsonDocument d : KeyOnlyScans.distinct(view, c, ix, stats, last)) {
            docs.add(new Matched(d, null));
        }
        stats.matched = docs.size();
        PlanInfo info = new PlanInfo(c.ns(), q, new Planner.Choice(new Plan.DistinctScan(ix), rejected), null, null);
        return new Limited(docs.iterator(), 0, 0, null, null, info, stats);
    }

    /** Counts the indexes a plan that is about to run reads ({@code $indexStats}' {@code accesses.ops}). */
    private static void countUse(DataView view, CollectionInfo c, Plan plan) {
        if (plan instanceof Plan.IdHack || (plan instanceof Plan.CollScan cs && cs.idIndex())) {
            view.indexUsed(c, dev.argon.engine.store.IndexAccesses.ID_INDEX);
        } else if (plan instanceof Plan.IxScan ix) {
            view.indexUsed(c, ix.bounds().index.indexId());
        } else if (plan instanceof Plan.OrScan or) {
            for (Plan.IxScan clause : or.clauses()) {
                view.indexUsed(c, clause.bounds().index.indexId());
            }
        }
    }

    private static Iterator<BsonDocument> counting(Iterator<BsonDocument> in, ExecStats stats, boolean keysToo) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                if (!in.hasNext()) {
                    return false;
                }
                if (stats.spent()) {
                    stats.cut = true; // the trial's works are used up (see allPlansExecution)
                    return false;
                }
                return true;
            }

            @Override
            public BsonDocument next() {
                BsonDocument d = in.next();
                stats.docsExamined++;
                if (keysToo) {
                    stats.keysExamined++;
                }
                return d;
            }
        };
    }

    /**
     * The name of an index the planner can read whose first field is {@code field} and that holds every document
     * (not sparse, not partial), or null: what {@code $lookup} needs to read matches per input document.
     */
    public static String indexLeadingOn(CollectionInfo c, String field) {
        if (c == null || field == null) {
            return null;
        }
        for (dev.argon.engine.store.IndexInfo i : c.indexes()) {
            if (IndexBounds.readable(i) && !i.sparse() && i.partialFilter() == null && i.key().getFirstKey().equals(field)) {
                return i.name();
            }
        }
        return null;
    }

    /** Whether an equality on this value can be looked up in an index (see {@link Constraints}). */
    public static boolean indexable(BsonValue v) {
        return Constraints.indexable(v);
    }

    /** The _id value when the filter is exactly an equality on _id (a scalar, not an operator document). */
    static BsonValue pinnedId(BsonDocument filter) {
        if (filter == null) {
            return null;
        }
        BsonValue v = filter.get("_id");
        if (v == null || v.isArray() || v.isRegularExpression()) {
            return null;
        }
        if (v.isDocument()) {
            BsonDocument d = v.asDocument();
            if (!d.isEmpty() && d.getFirstKey().startsWith("$")) {
                if (d.size() == 1 && d.containsKey("$eq") && !d.get("$eq").isArray() && !d.get("$eq").isDocument()
                        && !d.get("$eq").isRegularExpression()) {
                    return d.get("$eq");
                }
                return null;
            }
        }
        return v;
    }

    private static Iterator<Matched> sort(Iterator<Matched> in, Comparator<BsonDocument> order, long keep, Spill spill,
                                          Matcher matcher, boolean keepDetails, ExecStats stats) {
        Iterator<BsonDocument> sorted;
        if (keep > 0 && keep < 100_000) {
            // Top-k: memory proportional to skip+limit, not to the collection, and within the sort limit (past it
            // the top-k spills too, or fails with 292); a one-document sort keeps only its best candidate.
            TopK top = new TopK(order, keep, spill);
            while (in.hasNext()) {
                top.add(in.next().doc);
            }
            stats.spills = spill.spills();
            stats.usedDisk = top.spilled();
            sorted = top.sorted();
        } else {
            // Bounded memory: documents past the sort limit go to sorted runs on disk (or the query fails with 292).
            ExternalSorter sorter = new ExternalSorter(order, spill, spill.sortLimitBytes(), spill::sortRefused);
            while (in.hasNext()) {
                sorter.add(in.next().doc);
            }
            stats.spills = spill.spills();
            stats.usedDisk = sorter.spilled();
            sorted = sorter.sorted();
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return sorted.hasNext();
            }

            @Override
            public Matched next() {
                BsonDocument d = sorted.next();
                // Match details (for a positional projection) are not kept through the sort: matched again.
                MatchDetails details = keepDetails ? new MatchDetails() : null;
                if (details != null) {
                    matcher.matches(d, details);
                }
                return new Matched(d, details);
            }
        };
    }

    private static void close(AutoCloseable r) {
        if (r != null) {
            try {
                r.close();
            } catch (Exception ignored) {
                // storage iterators close without meaningful failure
            }
        }
    }

    public static Result empty() {
        return new Limited(Collections.emptyIterator(), 0, 0, null, null, null, new ExecStats());
    }

    /** A matched document with what the positional projection needs. */
    static final class Matched {
        final BsonDocument doc;
        final MatchDetails details;

        Matched(BsonDocument doc, MatchDetails details) {
            this.doc = doc;
            this.details = details;
        }
    }

    private static final class Filtered implements Iterator<Matched> {
        private final Iterator<BsonDocument> source;
        private final Matcher matcher;
        private final boolean keepDetails;
        private final ExecStats stats;
        private Matched next;

        Filtered(Iterator<BsonDocument> source, Matcher matcher, boolean keepDetails, ExecStats stats) {
            this.source = source;
            this.matcher = matcher;
            this.keepDetails = keepDetails;
            this.stats = stats;
        }

        @Override
        public boolean hasNext() {
            while (next == null && source.hasNext()) {
                BsonDocument d = source.next();
                MatchDetails details = keepDetails ? new MatchDetails() : null;
                if (matcher.matches(d, details)) {
                    stats.matched++;
                    next = new Matched(d, details);
                }
            }
            return next != null;
        }

        @Override
        public Matched next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Matched m = next;
            next = null;
            return m;
        }
    }

    private static final class Limited implements Result {
        private final Iterator<Matched> in;
        private final long limit;
        private final Projection projection;
        private final AutoCloseable resource;
        private final PlanInfo plan;
        private final ExecStats stats;
        private long returned;
        private boolean closed;

        Limited(Iterator<Matched> in, long skip, long limit, Projection projection, AutoCloseable resource, PlanInfo plan,
                ExecStats stats) {
            this.in = in;
            this.limit = limit;
            this.projection = projection;
            this.resource = resource;
            this.plan = plan;
            this.stats = stats;
            for (long i = 0; i < skip && in.hasNext(); i++) {
                in.next();
            }
        }

        @Override
        public boolean hasNext() {
            boolean more = (limit <= 0 || returned < limit) && in.hasNext();
            if (!more) {
                close();
            }
            return more;
        }

        @Override
        public BsonDocument next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Matched m = in.next();
            returned++;
            stats.returned++;
            return projection == null ? m.doc : projection.apply(m.doc, m.details);
        }

        @Override
        public PlanInfo plan() {
            return plan;
        }

        @Override
        public ExecStats stats() {
            return stats;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                QueryPlan.close(resource);
            }
        }
    }
}
