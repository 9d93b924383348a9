package dev.argon.engine.command.crud;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.aggregate.Pipeline;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.exec.QueryPlan;
import dev.argon.engine.store.DataView;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * {@code aggregate}: runs the pipeline over the collection's documents (or nothing, for {@code aggregate: 1}
 * with no collection) and returns a cursor. Other collections read by {@code $lookup} come from the same
 * branch view.
 */
public final class AggregateHandler implements CommandHandler {
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
        DataView view = ctx.readView();
        String db = ctx.db();
        BsonDocument pushed = leadingMatch(stages);
        if (pushed != null && !stages.get(0).getDocument("$match").containsKey("$expr")) {
            stages = stages.subList(1, stages.size()); // the plan applies the same filter
        }
        Pipeline pipeline = Pipeline.compile(stages, name -> {
            List<BsonDocument> docs = new ArrayList<>();
            try (QueryPlan.Result r = QueryPlan.matching(view, view.collection(db, name), null)) {
                r.forEachRemaining(docs::add);
            }
            return docs.iterator();
        });
        String collName;
        QueryPlan.Result input;
        if (target != null && target.isString()) {
            collName = target.asString().getValue();
            input = QueryPlan.find(view, view.collection(db, collName), query(ctx, pushed));
        } else if (target != null && target.isNumber() && target.asNumber().intValue() == 1) {
            collName = "$cmd.aggregate";
            input = QueryPlan.empty();
        } else {
            throw new ArgonException(MongoErrorCode.FAILED_TO_PARSE, "Invalid value for aggregate: must be a collection name or 1");
        }
        Iterator<BsonDocument> out;
        try {
            out = pipeline.run(input);
        } catch (RuntimeException e) {
            input.close();
            throw e;
        }
        BsonDocument cursor = ctx.document("cursor");
        long batchSize = cursor == null ? -1 : (cursor.containsKey("batchSize") ? cursor.get("batchSize").asNumber().longValue() : -1);
        return ctx.engine().cursors().firstBatch(db + "." + collName, out, input, batchSize, false, ctx.sessionId());
    }

    /**
     * The filter of a leading {@code $match}, which the query plan applies (so an index can serve it), or null.
     * {@code $expr} stays in the pipeline too: the plan ignores it for bounds, and the pipeline's own variables
     * ({@code let}, {@code $$NOW}) are evaluated there.
     */
    public static BsonDocument leadingMatch(List<BsonDocument> stages) {
        if (stages.isEmpty() || stages.get(0).size() != 1 || !stages.get(0).isDocument("$match")) {
            return null;
        }
        BsonDocument filter = stages.get(0).getDocument("$match");
        if (filter.containsKey("$expr")) {
            filter = filter.clone();
            filter.remove("$expr");
        }
        return filter;
    }

    /** The query an aggregate's leading stages hand to the planner (also what {@code explain} plans). */
    public static QueryPlan.Query query(CommandContext ctx, BsonDocument pushed) {
        return new QueryPlan.Query(pushed, null, 0, 0, null, null, ctx.command().get("hint"));
    }
}
