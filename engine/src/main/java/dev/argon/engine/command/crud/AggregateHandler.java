package dev.argon.engine.command.crud;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.aggregate.Pipeline;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.exec.QueryPlan;
import dev.argon.engine.spill.Spill;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.DataView;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * {@code aggregate}: runs the pipeline over the collection's documents (or nothing, for {@code aggregate: 1}
 * with no collection) and returns a cursor. Other collections read by {@code $lookup} come from the same
 * branch view. {@code allowDiskUse} (or the server's {@code allowDiskUseByDefault}) decides whether $sort and
 * $group past their memory limits spill to the temporary folder or fail with 292.
 */
public final class AggregateHandler implements CommandHandler {
    /**
     * $lookup's per-document read: {@code {field: {$in: values}}} through an index on field, or null (no such index,
     * or the documents pass {@code maxBytes} of BSON: the caller then streams a scan rather than hold them).
     */
    static Pipeline.IndexedLookup lookupThroughIndex(DataView view, String db, String name, String field, List<BsonValue> values,
                                                     long maxBytes) {
        CollectionInfo c = view.collection(db, name);
        String index = QueryPlan.indexLeadingOn(c, field);
        if (index == null || values.isEmpty() || !values.stream().allMatch(QueryPlan::indexable)) {
            return null;
        }
        BsonDocument filter = new BsonDocument(field, new BsonDocument("$in", new BsonArray(values)));
        List<BsonDocument> docs = new ArrayList<>();
        try (QueryPlan.Result r = QueryPlan.find(view, c, new QueryPlan.Query(filter, null, 0, 0, null, null, new BsonString(index)))) {
            long bytes = 0;
            while (r.hasNext()) {
                BsonDocument d = r.next();
                if (maxBytes != Long.MAX_VALUE) {
                    bytes += dev.argon.engine.bson.BsonSize.of(d);
                    if (bytes > maxBytes) {
                        return null;
                    }
                }
                docs.add(d);
            }
            return new Pipeline.IndexedLookup(docs, index, r.stats().keysExamined(), r.stats().docsExamined());
        }
    }

    /**
     * The documents the pushed-down stages give the rest of the pipeline: the first (and, for {@code $last}, the
     * last) per value of a sorted {@code $group}'s field when it takes only those and an index gives them
     * (DISTINCT_SCAN), else the planned query.
     */
    static QueryPlan.Result input(DataView view, CollectionInfo c, PipelinePushdown pushdown, BsonDocument command, Spill spill) {
        QueryPlan.Result first = pushdown.groupTakesEndsOnly(command)
                ? QueryPlan.endsPerValue(view, c, pushdown.query(), pushdown.sortedGroupField(command), pushdown.groupTakesLast()) : null;
        return first != null ? first : QueryPlan.find(view, c, pushdown.query(), spill);
    }

    /**
     * Sibling collections of the view for $lookup and $unionWith. A scan streams: it holds its storage iterator
     * until read to the end, closed by its stage, or until the spill (the command's cursor) closes.
     */
    static Pipeline.CollectionResolver resolver(DataView view, String db, Spill spill) {
        return new Pipeline.CollectionResolver() {
            @Override
            public Iterator<BsonDocument> scan(String name) {
                QueryPlan.Result r = QueryPlan.matching(view, view.collection(db, name), null);
                spill.closeWith(r);
                return new ReleasingScan(r, spill);
            }

            @Override
            public Pipeline.IndexedLookup lookup(String name, String field, List<BsonValue> values, long maxBytes) {
                return lookupThroughIndex(view, db, name, field, values, maxBytes);
            }
        };
    }

    @Override
    public BsonDocument handle(CommandContext ctx) {
        BsonValue target = ctx.command().get("aggregate");
        BsonValue pipelineValue = ctx.command().get("pipeline");
        if (pipelineValue == null || !pipelineValue.isArray()) {
            throw ArgonException.typeMismatch("'pipeline' option must be specified as an array");
        }
        if (!ctx.command().isDocument("cursor") && !ctx.bool("explain", false)) {
            throw ArgonException.failedToParse("The 'cursor' option is required, except for aggregate with the explain argument");
        }
        if (ctx.bool("explain", false)) {
            return ExplainHandler.explain(ctx, "queryPlanner");
        }
        List<BsonDocument> stages = new ArrayList<>();
        for (BsonValue v : pipelineValue.asArray()) {
            if (!v.isDocument()) {
                throw ArgonException.typeMismatch("Each element of the 'pipeline' array must be an object");
            }
            stages.add(v.asDocument());
        }
        if (dev.argon.engine.changestream.ChangeStream.appearsIn(stages)) {
            // A change stream tails the branch's log instead of reading documents.
            return dev.argon.engine.changestream.ChangeStream.aggregate(ctx, stages);
        }
        // $listLocalSessions is a source stage: the sessions this server knows, fed to the rest of the pipeline.
        List<BsonDocument> localSessions = null;
        if (!stages.isEmpty() && stages.get(0).containsKey("$listLocalSessions")) {
            localSessions = ListLocalSessions.read(ctx, stages.get(0), target);
            stages = stages.subList(1, stages.size());
        }
        // $collStats and $indexStats are source stages too: figures of the collection instead of its documents.
        List<BsonDocument> stats = localSessions == null ? dev.argon.engine.command.catalog.StatsStages.source(ctx, stages, target) : null;
        if (stats != null) {
            localSessions = stats;
            stages = stages.subList(1, stages.size());
        }
        DataView view = ctx.readView();
        String db = ctx.db();
        PipelinePushdown pushdown = PipelinePushdown.of(stages, ctx.command().get("hint"));
        Spill spill = ctx.spill();
        // Only a collection's scan takes pushed-down stages; sessions go through the whole pipeline.
        Pipeline pipeline;
        try {
            pipeline = Pipeline.compile(localSessions != null ? stages : pushdown.rest(), resolver(view, db, spill));
            if (localSessions == null && pushdown.sortedGroupField(ctx.command()) != null) {
                pipeline = pipeline.withSortedInput(pushdown.query().sort()); // the $group streams
            }
        } catch (RuntimeException e) {
            spill.close();
            throw e;
        }
        String collName;
        QueryPlan.Result input;
        if (localSessions != null) {
            collName = stats != null ? target.asString().getValue() : "$cmd.aggregate";
            Iterator<BsonDocument> it = localSessions.iterator();
            input = new QueryPlan.Result() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public BsonDocument next() {
                    return it.next();
                }

                @Override
                public void close() {
                }

                @Override
                public dev.argon.engine.exec.PlanInfo plan() {
                    return null;
                }

                @Override
                public dev.argon.engine.exec.ExecStats stats() {
                    return stats;
                }

                private final dev.argon.engine.exec.ExecStats stats = new dev.argon.engine.exec.ExecStats();
            };
        } else if (target != null && target.isString()) {
            collName = target.asString().getValue();
            try {
                input = input(view, view.collection(db, collName), pushdown, ctx.command(), spill);
            } catch (RuntimeException e) {
                spill.close();
                throw e;
            }
        } else if (target != null && target.isNumber() && target.asNumber().intValue() == 1) {
            collName = "$cmd.aggregate";
            input = QueryPlan.empty();
        } else {
            spill.close();
            throw new ArgonException(MongoErrorCode.FAILED_TO_PARSE, "Invalid value for aggregate: must be a collection name or 1");
        }
        QueryPlan.Result source = input;
        // The cursor closes both: the storage iterator and the run files of $sort and $group.
        AutoCloseable resources = () -> {
            try {
                source.close();
            } finally {
                spill.close();
            }
        };
        Iterator<BsonDocument> out;
        try {
            out = pipeline.run(input, spill);
        } catch (RuntimeException e) {
            source.close();
            spill.close();
            throw e;
        }
        BsonDocument cursor = ctx.document("cursor");
        long batchSize = cursor == null ? -1 : (cursor.containsKey("batchSize") ? cursor.get("batchSize").asNumber().longValue() : -1);
        return ctx.engine().cursors().firstBatch(db + "." + collName, out, resources, batchSize, false, ctx.sessionId());
    }

    /**
     * A scan of another collection that closes its storage iterator, and lets the command's spill forget it, once read
     * to the end or closed by the stage that stopped early. Not thread-safe.
     */
    private static final class ReleasingScan implements Iterator<BsonDocument>, AutoCloseable {
        private final QueryPlan.Result scan;
        private final Spill spill;
        private boolean closed;

        ReleasingScan(QueryPlan.Result scan, Spill spill) {
            this.scan = scan;
            this.spill = spill;
        }

        @Override
        public boolean hasNext() {
            if (closed) {
                return false;
            }
            if (scan.hasNext()) {
                return true;
            }
            close();
            return false;
        }

        @Override
        public BsonDocument next() {
            if (closed) {
                throw new java.util.NoSuchElementException();
            }
            return scan.next();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                spill.release(scan);
                scan.close();
            }
        }
    }
}
