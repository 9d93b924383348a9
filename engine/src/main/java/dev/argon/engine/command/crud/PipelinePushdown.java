package dev.argon.engine.command.crud;

import dev.argon.engine.exec.QueryPlan;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The leading stages of a pipeline that the query plan runs instead of the pipeline: {@code $match} (its filter;
 * the stage stays in the pipeline too when it has {@code $expr}, which needs the pipeline's variables), then one
 * {@code $sort}, then any run of {@code $skip} and {@code $limit}, folded into one skip and limit. So an index can
 * serve the filter and the sort, and a sort followed by a limit keeps only the top documents. A {@code $project}
 * right after them is pushed too when it is plain top-level inclusion or exclusion ({@code {a: 1, b: 1}},
 * {@code {_id: 0, a: 1}}, {@code {a: 0}}), where the find projection and the stage give the same documents; any
 * other form (dotted paths, expressions, {@code $addFields}) stays in the pipeline: a find projection cannot keep
 * every field and add computed ones. Instead, leading {@code $match}/{@code $sort}/{@code $skip}/{@code $limit}
 * stages that read none of an {@code $addFields}' fields first move ahead of it ({@link #hoistPastAddFields}). A stage whose argument is not plainly valid
 * stays in the pipeline, which reports its error as before. Immutable.
 *
 * @param query what the plan runs
 * @param rest the stages the pipeline still runs
 */
record PipelinePushdown(QueryPlan.Query query, List<BsonDocument> rest) {

    static PipelinePushdown of(List<BsonDocument> original, BsonValue hint) {
        List<BsonDocument> stages = hoistPastAddFields(original);
        int i = 0;
        BsonDocument filter = null;
        if (i < stages.size() && single(stages.get(i), "$match") && stages.get(i).get("$match").isDocument()) {
            filter = stages.get(i).getDocument("$match");
            if (filter.containsKey("$expr")) {
                filter = filter.clone();
                filter.remove("$expr");
                // the stage itself stays: it evaluates $expr with the pipeline's variables
                return new PipelinePushdown(new QueryPlan.Query(filter, null, 0, 0, null, null, hint), stages);
            }
            i++;
        }
        BsonDocument sort = null;
        if (i < stages.size() && single(stages.get(i), "$sort") && plainSort(stages.get(i).get("$sort"))) {
            sort = stages.get(i).getDocument("$sort");
            i++;
        }
        long skip = 0;
        long limit = 0; // 0: none
        while (i < stages.size()) {
            BsonDocument s = stages.get(i);
            if (single(s, "$skip") && integral(s.get("$skip")) >= 0) {
                long k = integral(s.get("$skip"));
                if (limit > 0 && k >= limit) {
                    break; // the plan cannot say "nothing": leave it to the pipeline
                }
                skip += k;
                limit = limit > 0 ? limit - k : 0;
            } else if (single(s, "$limit") && integral(s.get("$limit")) > 0) {
                long k = integral(s.get("$limit"));
                limit = limit > 0 ? Math.min(limit, k) : k;
            } else {
                break;
            }
            i++;
        }
        BsonDocument projection = null;
        if (i < stages.size() && single(stages.get(i), "$project") && plainProjection(stages.get(i).get("$project"))) {
            projection = stages.get(i).getDocument("$project");
            i++;
        }
        return new PipelinePushdown(new QueryPlan.Query(filter, sort, skip, limit, projection, null, hint), stages.subList(i, stages.size()));
    }

    /**
     * The field a {@code $group} right after the pushed stages groups by, when its input comes sorted on it: the
     * rest starts with {@code {$group: {_id: "$f", ...}}} and the pushed sort's first field is {@code f}. Such a
     * group can stream ({@link dev.argon.engine.aggregate.Pipeline#withSortedInput}). Null otherwise, and with a
     * {@code collation} (the sort's ties would not be the group's).
     */
    String sortedGroupField(BsonDocument command) {
        BsonDocument sort = query.sort();
        if (sort == null || sort.isEmpty() || rest.isEmpty() || !single(rest.get(0), "$group") || !rest.get(0).isDocument("$group")
                || (command != null && command.containsKey("collation"))) {
            return null;
        }
        BsonValue id = rest.get(0).getDocument("$group").get("_id");
        if (id == null || !id.isString() || !id.asString().getValue().startsWith("$") || id.asString().getValue().startsWith("$$")) {
            return null;
        }
        String field = id.asString().getValue().substring(1);
        return field.equals(sort.getFirstKey()) ? field : null;
    }

    /**
     * Whether that sorted {@code $group} needs only the first and last documents of each value: no skip, limit or
     * projection before it, and every accumulator is {@code $first} or {@code $last} of a field of the sort (so ties
     * in the sort cannot change what it takes). Then those documents (DISTINCT_SCAN) give the pipeline's answer.
     */
    boolean groupTakesEndsOnly(BsonDocument command) {
        String field = sortedGroupField(command);
        if (field == null || query.skip() != 0 || query.limit() != 0 || query.projection() != null) {
            return false;
        }
        for (java.util.Map.Entry<String, BsonValue> e : rest.get(0).getDocument("$group").entrySet()) {
            if (e.getKey().equals("_id")) {
                continue;
            }
            BsonValue acc = e.getValue();
            if (!acc.isDocument() || acc.asDocument().size() != 1
                    || !(acc.asDocument().containsKey("$first") || acc.asDocument().containsKey("$last"))) {
                return false;
            }
            BsonValue arg = acc.asDocument().get(acc.asDocument().getFirstKey());
            if (!arg.isString() || !arg.asString().getValue().startsWith("$") || arg.asString().getValue().startsWith("$$")
                    || !query.sort().containsKey(arg.asString().getValue().substring(1))) {
                return false;
            }
        }
        return true;
    }

    /** Whether that group takes {@code $last} of some field (and so needs each value's last document too). */
    boolean groupTakesLast() {
        for (BsonValue acc : rest.get(0).getDocument("$group").values()) {
            if (acc.isDocument() && acc.asDocument().containsKey("$last")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Top-level fields only, each 1/0 or true/false (whole numbers, so {@code {a: 5}} is no inclusion in doubt),
     * all inclusions or all exclusions apart from {@code _id}, and at least one field: the find projection
     * applies it exactly as the stage would.
     */
    private static boolean plainProjection(BsonValue v) {
        if (!v.isDocument() || v.asDocument().isEmpty()) {
            return false;
        }
        int include = 0;
        int exclude = 0;
        for (java.util.Map.Entry<String, BsonValue> e : v.asDocument().entrySet()) {
            String k = e.getKey();
            BsonValue x = e.getValue();
            if (k.isEmpty() || k.contains(".") || k.startsWith("$")) {
                return false;
            }
            boolean on;
            if (x.isBoolean()) {
                on = x.asBoolean().getValue();
            } else if ((x.isInt32() || x.isInt64()) && (x.asNumber().longValue() == 0 || x.asNumber().longValue() == 1)) {
                on = x.asNumber().longValue() == 1;
            } else {
                return false;
            }
            if (!k.equals("_id")) {
                if (on) {
                    include++;
                } else {
                    exclude++;
                }
            }
        }
        return include == 0 || exclude == 0;
    }

    /**
     * The pipeline with each leading {@code $match}, {@code $sort}, {@code $skip} and {@code $limit} moved ahead of
     * the {@code $addFields}/{@code $set} stages before it when it reads none of the fields they set (as mongod's
     * optimizer does): the stage maps each document to one document and changes no other field, so filtering,
     * ordering and paging before it gives the same documents. Only the leading run of these stages is reordered;
     * a {@code $match} with {@code $expr}, {@code $where}, {@code $text} or {@code $jsonSchema} (which may read
     * anything) or a sort on {@code $meta} stays where it is.
     */
    static List<BsonDocument> hoistPastAddFields(List<BsonDocument> stages) {
        List<BsonDocument> out = new java.util.ArrayList<>(stages);
        for (int i = 0; i < out.size(); i++) {
            BsonDocument s = out.get(i);
            if (addFields(s) != null) {
                continue;
            }
            java.util.Set<String> reads = reads(s);
            if (reads == null) {
                break; // another kind of stage: the reordered prefix ends here
            }
            for (int j = i; j > 0 && addFields(out.get(j - 1)) != null && independent(reads, addFields(out.get(j - 1))); j--) {
                out.set(j, out.get(j - 1));
                out.set(j - 1, s);
            }
        }
        return out;
    }

    /** The fields an $addFields/$set stage sets, or null for another stage. */
    private static java.util.Set<String> addFields(BsonDocument stage) {
        if (stage.size() != 1 || !(stage.isDocument("$addFields") || stage.isDocument("$set"))) {
            return null;
        }
        return stage.getDocument(stage.getFirstKey()).keySet();
    }

    /**
     * The field paths a $match, $sort, $skip or $limit reads (empty for $skip and $limit), or null when it is
     * another stage or may read more than its paths say.
     */
    private static java.util.Set<String> reads(BsonDocument stage) {
        java.util.Set<String> paths = new java.util.HashSet<>();
        if (single(stage, "$skip") || single(stage, "$limit")) {
            return paths;
        }
        if (single(stage, "$sort") && plainSort(stage.get("$sort"))) {
            paths.addAll(stage.getDocument("$sort").keySet());
            return paths;
        }
        if (single(stage, "$match") && stage.isDocument("$match") && filterPaths(stage.getDocument("$match"), paths)) {
            return paths;
        }
        return null;
    }

    private static boolean filterPaths(BsonDocument filter, java.util.Set<String> paths) {
        for (java.util.Map.Entry<String, BsonValue> e : filter.entrySet()) {
            String k = e.getKey();
            if (k.equals("$and") || k.equals("$or") || k.equals("$nor")) {
                if (!e.getValue().isArray()) {
                    return false;
                }
                for (BsonValue clause : e.getValue().asArray()) {
                    if (!clause.isDocument() || !filterPaths(clause.asDocument(), paths)) {
                        return false;
                    }
                }
            } else if (k.equals("$comment")) {
                continue;
            } else if (k.startsWith("$")) {
                return false; // $expr, $where, $text, $jsonSchema, ...
            } else {
                paths.add(k);
            }
        }
        return true;
    }

    /** Whether no read path equals, contains or lies inside a set path ("a" and "a.b" overlap). */
    private static boolean independent(java.util.Set<String> reads, java.util.Set<String> sets) {
        for (String r : reads) {
            for (String w : sets) {
                if (r.equals(w) || r.startsWith(w + ".") || w.startsWith(r + ".")) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean single(BsonDocument stage, String name) {
        return stage.size() == 1 && stage.containsKey(name);
    }

    private static boolean plainSort(BsonValue v) {
        if (!v.isDocument() || v.asDocument().isEmpty()) {
            return false;
        }
        for (BsonValue d : v.asDocument().values()) {
            if (!d.isNumber() || (d.asNumber().doubleValue() != 1 && d.asNumber().doubleValue() != -1)) {
                return false;
            }
        }
        return true;
    }

    /** A whole number, or -1 for anything else. */
    private static long integral(BsonValue v) {
        if (v.isInt32() || v.isInt64()) {
            return v.asNumber().longValue();
        }
        if (v.isDouble() && v.asDouble().getValue() == Math.rint(v.asDouble().getValue()) && Math.abs(v.asDouble().getValue()) < 1e15) {
            return (long) v.asDouble().getValue();
        }
        return -1;
    }
}
