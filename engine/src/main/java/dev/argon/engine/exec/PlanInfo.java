package dev.argon.engine.exec;

import dev.argon.engine.query.Projection;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * A query's chosen plan as {@code explain} shows it, in MongoDB's shape: a stage tree (IDHACK, COLLSCAN, IXSCAN
 * under FETCH, SORT, SKIP, LIMIT, PROJECTION_*), with per-stage counts once run. Immutable; the counts come
 * from the {@link ExecStats} passed in.
 */
public final class PlanInfo {
    private final String ns;
    private final QueryPlan.Query query;
    private final Planner.Choice choice;
    private final BsonDocument blockingSort;
    private final Projection projection;

    PlanInfo(String ns, QueryPlan.Query query, Planner.Choice choice, BsonDocument blockingSort, Projection projection) {
        this.ns = ns;
        this.query = query;
        this.choice = choice;
        this.blockingSort = blockingSort;
        this.projection = projection;
    }

    /** The name of the index the winning plan reads, or null for a collection scan or point read. */
    public String indexName() {
        Plan w = choice.winner();
        Plan.IxScan ix = w instanceof Plan.IxScan i ? i : w instanceof Plan.CountScan cs ? cs.scan() : w instanceof Plan.DistinctScan ds ? ds.scan() : null;
        return ix == null ? null : ix.bounds().index.name();
    }

    /** {@code queryPlanner}: namespace, parsedQuery, winningPlan, rejectedPlans. */
    public BsonDocument queryPlanner() {
        BsonArray rejected = new BsonArray();
        for (Plan p : choice.rejected()) {
            rejected.add(tree(p, null));
        }
        return new BsonDocument("plannerVersion", new BsonInt32(1))
                .append("namespace", new BsonString(ns))
                .append("indexFilterSet", BsonBoolean.FALSE)
                .append("parsedQuery", query.filter() == null ? new BsonDocument() : query.filter())
                .append("maxIndexedOrSolutionsReached", BsonBoolean.FALSE)
                .append("maxIndexedAndSolutionsReached", BsonBoolean.FALSE)
                .append("maxScansToExplodeReached", BsonBoolean.FALSE)
                .append("winningPlan", tree(choice.winner(), null))
                .append("rejectedPlans", rejected);
    }

    /**
     * {@code executionStats} after the plan ran to its end; {@code allPlans} (null unless the verbosity is
     * {@code allPlansExecution}) is {@link QueryPlan#allPlansExecution}'s trial of every candidate.
     */
    public BsonDocument executionStats(ExecStats stats, long millis, BsonArray allPlans) {
        BsonDocument out = new BsonDocument("executionSuccess", BsonBoolean.TRUE)
                .append("nReturned", num(stats.returned))
                .append("executionTimeMillis", num(millis))
                .append("totalKeysExamined", num(stats.keysExamined))
                .append("totalDocsExamined", num(stats.docsExamined))
                .append("executionStages", tree(choice.winner(), stats));
        if (allPlans != null) {
            out.append("allPlansExecution", allPlans);
        }
        return out;
    }

    Planner.Choice choice() {
        return choice;
    }

    QueryPlan.Query query() {
        return query;
    }

    /** One candidate's {@code allPlansExecution} entry: what it did in the trial period, as mongod writes it. */
    BsonDocument trialEntry(Plan plan, ExecStats stats, long millis) {
        return new BsonDocument("nReturned", num(stats.returned))
                .append("executionTimeMillisEstimate", num(millis))
                .append("totalKeysExamined", num(stats.keysExamined))
                .append("totalDocsExamined", num(stats.docsExamined))
                .append("executionStages", tree(plan, stats));
    }

    /** The stage tree of a plan, with counts when stats is not null (the winner's run, or a trial's). */
    private BsonDocument tree(Plan plan, ExecStats stats) {
        if (plan instanceof Plan.CountScan cs) {
            // COUNT over COUNT_SCAN, as mongod: no document is fetched, skip and limit are the COUNT stage's.
            BsonDocument scan = keyScan("COUNT_SCAN", cs.scan(), stats, stats == null ? 0 : stats.matched);
            BsonDocument count = stage("COUNT", stats, 0);
            if (query.skip() > 0) {
                count.append("nSkipped", num(stats == null ? 0 : Math.min(query.skip(), stats.matched)));
            }
            return count.append("inputStage", scan);
        }
        if (plan instanceof Plan.DistinctScan ds) {
            // The documents behind the keys are fetched for their values (keys are not decoded back to values).
            BsonDocument scan = keyScan("DISTINCT_SCAN", ds.scan(), stats, stats == null ? 0 : stats.matched)
                    .append("direction", new BsonString("forward"));
            BsonDocument f = stage("FETCH", stats, stats == null ? 0 : stats.matched);
            if (stats != null) {
                f.append("docsExamined", num(stats.docsExamined));
            }
            return f.append("inputStage", scan);
        }
        BsonDocument stage;
        if (plan instanceof Plan.IdHack) {
            stage = stage("IDHACK", stats, stats == null ? 0 : stats.matched);
            if (stats != null) {
                stage.append("keysExamined", num(stats.keysExamined)).append("docsExamined", num(stats.docsExamined));
            }
        } else if (plan instanceof Plan.IxScan ix) {
            stage = fetch(ixscan(ix, stats), stats);
        } else if (plan instanceof Plan.OrScan or) {
            BsonArray inputs = new BsonArray();
            for (Plan.IxScan ix : or.clauses()) {
                inputs.add(ixscan(ix, null)); // the clauses share one set of counters, shown on OR and FETCH
            }
            BsonDocument union = stage(or.mergeSort() != null ? "SORT_MERGE" : "OR", stats, stats == null ? 0 : stats.keysAdvanced);
            if (or.mergeSort() != null) {
                union.append("sortPattern", or.mergeSort());
            }
            union.append("inputStages", inputs);
            if (stats != null) {
                union.append("keysExamined", num(stats.keysExamined));
            }
            stage = fetch(union, stats);
        } else {
            Plan.CollScan cs = (Plan.CollScan) plan;
            if (cs.idIndex()) {
                BsonDocument ixscan = stage("IXSCAN", stats, stats == null ? 0 : stats.docsExamined)
                        .append("keyPattern", new BsonDocument("_id", new BsonInt32(1)))
                        .append("indexName", new BsonString("_id_"))
                        .append("isMultiKey", BsonBoolean.FALSE).append("isUnique", BsonBoolean.TRUE)
                        .append("isSparse", BsonBoolean.FALSE).append("isPartial", BsonBoolean.FALSE)
                        .append("indexVersion", new BsonInt32(2))
                        .append("direction", new BsonString(cs.backward() ? "backward" : "forward"))
                        .append("indexBounds", new BsonDocument("_id", new BsonArray(List.of(
                                new BsonString(cs.backward() ? "[MaxKey, MinKey]" : "[MinKey, MaxKey]")))));
                if (stats != null) {
                    ixscan.append("keysExamined", num(stats.keysExamined));
                }
                stage = fetch(ixscan, stats);
            } else {
                stage = stage("COLLSCAN", stats, stats == null ? 0 : stats.matched);
                if (query.filter() != null && !query.filter().isEmpty()) {
                    stage.append("filter", query.filter());
                }
                stage.append("direction", new BsonString(cs.backward() ? "backward" : "forward"));
                if (stats != null) {
                    stage.append("docsExamined", num(stats.docsExamined));
                }
            }
        }
        if (plan == choice.winner() ? blockingSort != null : needsSort(plan)) {
            BsonDocument sort = plan == choice.winner() ? blockingSort : query.sort();
            BsonDocument s = stage("SORT", stats, stats == null ? 0 : stats.returned + Math.min(query.skip(), stats.matched))
                    .append("sortPattern", sort).append("memLimit", num(104_857_600)).append("type", new BsonString("simple"));
            if (query.limit() > 0) {
                s.append("limitAmount", num(query.skip() + query.limit()));
            }
            if (stats != null && plan == choice.winner()) {
                s.append("usedDisk", BsonBoolean.valueOf(stats.usedDisk)).append("spills", num(stats.spills));
            }
            stage = s.append("inputStage", stage);
        }
        if (query.skip() > 0) {
            stage = stage("SKIP", stats, stats == null ? 0 : stats.returned).append("skipAmount", num(query.skip()))
                    .append("inputStage", stage);
        }
        if (query.limit() > 0 && !(plan == choice.winner() ? blockingSort != null : needsSort(plan))) {
            stage = stage("LIMIT", stats, stats == null ? 0 : stats.returned).append("limitAmount", num(query.limit()))
                    .append("inputStage", stage);
        }
        if (projection != null) {
            stage = stage(simpleProjection() ? "PROJECTION_SIMPLE" : "PROJECTION_DEFAULT", stats, stats == null ? 0 : stats.returned)
                    .append("transformBy", query.projection()).append("inputStage", stage);
        }
        return stage;
    }

    private boolean needsSort(Plan p) {
        return query.sort() != null && !query.sort().isEmpty() && !p.servesSort();
    }

    /** Inclusion of top-level fields only, as MongoDB's PROJECTION_SIMPLE. */
    private boolean simpleProjection() {
        for (java.util.Map.Entry<String, BsonValue> e : query.projection().entrySet()) {
            BsonValue v = e.getValue();
            boolean include = (v.isBoolean() && v.asBoolean().getValue()) || (v.isNumber() && v.asNumber().doubleValue() != 0);
            if (e.getKey().contains(".") || e.getKey().startsWith("$") || !include) {
                return false;
            }
        }
        return true;
    }

    private BsonDocument ixscan(Plan.IxScan ix, ExecStats stats) {
        IndexBounds b = ix.bounds();
        BsonDocument multiKeyPaths = new BsonDocument();
        for (String f : b.fields) {
            multiKeyPaths.append(f, new BsonArray());
        }
        BsonDocument s = stage("IXSCAN", stats, stats == null ? 0 : stats.keysAdvanced)
                .append("keyPattern", b.index.key())
                .append("indexName", new BsonString(b.index.name()))
                .append("isMultiKey", BsonBoolean.valueOf(ix.multikey()))
                .append("isUnique", BsonBoolean.valueOf(b.index.unique()))
                .append("isSparse", BsonBoolean.valueOf(b.index.sparse()))
                .append("isPartial", BsonBoolean.valueOf(b.index.partialFilter() != null))
                .append("indexVersion", new BsonInt32(2))
                .append("direction", new BsonString(ix.backward() ? "backward" : "forward"))
                .append("indexBounds", ix.backward() ? reversed(b.explain) : b.explain);
        if (ix.withMarkers()) {
            // Not MongoDB's: says that the multikey documents were read too (see IndexScan).
            s.append("multiKeyDocuments", BsonBoolean.TRUE);
        }
        if (stats != null) {
            s.append("keysExamined", num(stats.keysExamined)).append("dupsTested", num(ix.dedupe() ? stats.keysExamined : 0));
        }
        return s;
    }

    /** Bounds as a backward scan meets them, as mongod shows them: each field's intervals last first, ends swapped. */
    static BsonDocument reversed(BsonDocument bounds) {
        BsonDocument out = new BsonDocument();
        for (java.util.Map.Entry<String, BsonValue> e : bounds.entrySet()) {
            BsonArray intervals = new BsonArray();
            for (BsonValue v : e.getValue().asArray()) {
                intervals.add(0, new BsonString(reversedInterval(v.asString().getValue())));
            }
            out.append(e.getKey(), intervals);
        }
        return out;
    }

    /** {@code "[a, b)"} becomes {@code "(b, a]"}; the comma that separates the ends is the one outside quotes and brackets. */
    private static String reversedInterval(String text) {
        int depth = 0;
        boolean quoted = false;
        for (int i = 1; i < text.length() - 1; i++) {
            char ch = text.charAt(i);
            if (ch == '"' && text.charAt(i - 1) != '\\') {
                quoted = !quoted;
            } else if (!quoted && (ch == '{' || ch == '[' || ch == '(')) {
                depth++;
            } else if (!quoted && (ch == '}' || ch == ']' || ch == ')')) {
                depth--;
            } else if (!quoted && depth == 0 && ch == ',' && text.startsWith(", ", i)) {
                char open = text.charAt(0) == '[' ? ']' : ')';
                char close = text.charAt(text.length() - 1) == ']' ? '[' : '(';
                return close + text.substring(i + 2, text.length() - 1) + ", " + text.substring(1, i) + open;
            }
        }
        return text;
    }

    /** A stage that reads only keys: the index's description and bounds, with its keys examined once run. */
    private static BsonDocument keyScan(String name, Plan.IxScan ix, ExecStats stats, long nReturned) {
        IndexBounds b = ix.bounds();
        BsonDocument s = stage(name, stats, nReturned)
                .append("keyPattern", b.index.key())
                .append("indexName", new BsonString(b.index.name()))
                .append("isMultiKey", BsonBoolean.valueOf(ix.multikey()))
                .append("isUnique", BsonBoolean.valueOf(b.index.unique()))
                .append("isSparse", BsonBoolean.valueOf(b.index.sparse()))
                .append("isPartial", BsonBoolean.valueOf(b.index.partialFilter() != null))
                .append("indexVersion", new BsonInt32(2))
                .append("indexBounds", b.explain);
        if (stats != null) {
            s.append("keysExamined", num(stats.keysExamined));
        }
        return s;
    }

    private BsonDocument fetch(BsonDocument input, ExecStats stats) {
        BsonDocument f = stage("FETCH", stats, stats == null ? 0 : stats.matched);
        if (query.filter() != null && !query.filter().isEmpty()) {
            f.append("filter", query.filter());
        }
        if (stats != null) {
            f.append("docsExamined", num(stats.docsExamined));
        }
        return f.append("inputStage", input);
    }

    /** A count as mongod writes it: an int, a long only past the int range. */
    private static BsonValue num(long n) {
        return n == (int) n ? new BsonInt32((int) n) : new BsonInt64(n);
    }

    private static BsonDocument stage(String name, ExecStats stats, long nReturned) {
        BsonDocument d = new BsonDocument("stage", new BsonString(name));
        if (stats != null) {
            d.append("nReturned", num(nReturned)).append("executionTimeMillisEstimate", num(0))
                    .append("works", num(stats.keysExamined + stats.docsExamined + 1))
                    .append("advanced", num(nReturned)).append("isEOF", new BsonInt32(stats.cut ? 0 : 1));
        }
        return d;
    }
}
