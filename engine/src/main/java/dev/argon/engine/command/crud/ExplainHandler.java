package dev.argon.engine.command.crud;

import dev.argon.engine.ArgonException;
import dev.argon.engine.Engine;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.aggregate.Pipeline;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.exec.PlanInfo;
import dev.argon.engine.exec.QueryPlan;
import dev.argon.engine.spill.Spill;
import dev.argon.engine.store.DataView;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * {@code explain}: the plan of a {@code find}, {@code aggregate}, {@code count}, {@code distinct}, {@code update},
 * {@code delete} or {@code findAndModify}, in MongoDB's shape ({@code queryPlanner}, and with verbosity
 * {@code executionStats} or {@code allPlansExecution}, the default, also {@code executionStats}). The query part
 * runs for the statistics, read-only: a write command is planned and its matching documents counted, never
 * applied (as on mongod). It reads the view the command's {@code $db} selects, so a branch or a time-travel view
 * explains its own indexes.
 */
public final class ExplainHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        BsonValue inner = ctx.command().get("explain");
        if (inner == null || !inner.isDocument() || inner.asDocument().isEmpty()) {
            throw ArgonException.typeMismatch("explain command requires a nested object");
        }
        String verbosity = "allPlansExecution";
        BsonValue v = ctx.command().get("verbosity");
        if (v != null) {
            if (!v.isString() || !List.of("queryPlanner", "executionStats", "allPlansExecution").contains(v.asString().getValue())) {
                throw ArgonException.badValue("verbosity string must be one of {'queryPlanner', 'executionStats', 'allPlansExecution'}");
            }
            verbosity = v.asString().getValue();
        }
        BsonDocument command = inner.asDocument().clone();
        command.put("$db", ctx.command().get("$db"));
        return explain(new CommandContext(ctx.engine(), ctx.client(), command, command.getFirstKey()), verbosity);
    }

    /** The explain document of one command; also answers {@code aggregate} with {@code explain: true}. */
    static BsonDocument explain(CommandContext inner, String verbosity) {
        String name = inner.name();
        BsonDocument cmd = inner.command();
        QueryPlan.Query q;
        String wrapper = null;
        List<BsonDocument> restOfPipeline = null;
        PipelinePushdown pushdown = null;
        switch (name) {
            case "find" -> q = FindHandler.query(inner);
            case "count" -> q = CountHandler.query(inner);
            case "distinct" -> q = DistinctHandler.query(inner);
            case "aggregate" -> {
                List<BsonDocument> stages = new ArrayList<>();
                if (cmd.isArray("pipeline")) {
                    for (BsonValue s : cmd.getArray("pipeline")) {
                        if (s.isDocument()) {
                            stages.add(s.asDocument());
                        }
                    }
                }
                pushdown = PipelinePushdown.of(stages, cmd.get("hint"));
                restOfPipeline = pushdown.rest();
                q = pushdown.query();
            }
            case "update" -> {
                BsonDocument st = firstStatement(cmd, "updates");
                boolean multi = st.getBoolean("multi", org.bson.BsonBoolean.FALSE).getValue();
                q = new QueryPlan.Query(st.isDocument("q") ? st.getDocument("q") : null, null, 0, multi ? 0 : 1, null,
                        inner.document("let"), st.get("hint"));
                wrapper = "UPDATE";
            }
            case "delete" -> {
                BsonDocument st = firstStatement(cmd, "deletes");
                long limit = st.isNumber("limit") ? st.getNumber("limit").longValue() : 0;
                q = new QueryPlan.Query(st.isDocument("q") ? st.getDocument("q") : null, null, 0, limit, null,
                        inner.document("let"), st.get("hint"));
                wrapper = "DELETE";
            }
            case "findAndModify", "findandmodify" -> {
                q = new QueryPlan.Query(inner.document("query"), inner.document("sort"), 0, 1, null, inner.document("let"),
                        cmd.get("hint"));
                wrapper = inner.bool("remove", false) ? "DELETE" : "UPDATE";
            }
            default -> throw new ArgonException(MongoErrorCode.COMMAND_NOT_FOUND, "Explain failed due to unknown command: " + name);
        }
        String coll = inner.collectionName();
        // Explaining is not using: mongod's $indexStats does not count it either.
        DataView view = inner.readView().uncounted();
        boolean run = !verbosity.equals("queryPlanner");
        BsonDocument queryPlanner;
        BsonDocument executionStats = null;
        dev.argon.engine.store.CollectionInfo info = view.collection(inner.db(), coll);
        BsonValue distinctKey = cmd.get("key");
        List<Pipeline.StageStats> stageStats = null;
        // A find's or pipeline's blocking sort runs within the command's memory budget, as the command itself would.
        boolean budgeted = name.equals("find") || name.equals("aggregate");
        try (Spill spill = budgeted ? inner.spill() : Spill.inMemory();
             QueryPlan.Result r = name.equals("count") ? QueryPlan.count(view, info, q)
                : name.equals("distinct") && distinctKey != null && distinctKey.isString()
                ? QueryPlan.distinct(view, info, q, distinctKey.asString().getValue())
                : pushdown != null ? AggregateHandler.input(view, info, pushdown, cmd, spill)
                : QueryPlan.find(view, info, q, spill)) {
            long start = System.nanoTime();
            Pipeline rest = null;
            if (run && restOfPipeline != null && !restOfPipeline.isEmpty() && info != null) {
                try {
                    rest = Pipeline.compile(restOfPipeline, AggregateHandler.resolver(view, inner.db(), spill));
                    if (pushdown.sortedGroupField(cmd) != null) {
                        rest = rest.withSortedInput(q.sort());
                    }
                } catch (ArgonException e) {
                    rest = null; // a stage Argon does not run ($out, $merge): shown, not run, as before
                }
            }
            if (rest != null) {
                // The rest of the pipeline runs too, so that its stages report what they did ($lookup's index reads).
                Pipeline.Explained ex = rest.runExplained(r, spill);
                ex.output().forEachRemaining(d -> { });
                stageStats = ex.stageStats();
            } else if (run) {
                while (r.hasNext()) {
                    r.next();
                }
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            PlanInfo plan = r.plan();
            if (plan == null) {
                // No such collection: mongod answers an EOF plan.
                queryPlanner = new BsonDocument("namespace", new BsonString(inner.db() + "." + coll))
                        .append("parsedQuery", q.filter() == null ? new BsonDocument() : q.filter())
                        .append("winningPlan", new BsonDocument("stage", new BsonString("EOF")))
                        .append("rejectedPlans", new BsonArray());
            } else {
                queryPlanner = plan.queryPlanner();
                if (run) {
                    executionStats = plan.executionStats(r.stats(), millis,
                            verbosity.equals("allPlansExecution") ? QueryPlan.allPlansExecution(view, info, plan) : null);
                }
            }
        }
        if (wrapper != null) {
            wrap(queryPlanner, "winningPlan", wrapper, coll);
            if (executionStats != null) {
                wrap(executionStats, "executionStages", wrapper, coll);
            }
        }
        BsonDocument out = new BsonDocument("explainVersion", new BsonString("1"));
        if (restOfPipeline != null && !restOfPipeline.isEmpty()) {
            BsonDocument cursorStage = new BsonDocument("queryPlanner", queryPlanner);
            if (executionStats != null) {
                cursorStage.append("executionStats", executionStats);
            }
            BsonArray stages = new BsonArray();
            stages.add(new BsonDocument("$cursor", cursorStage));
            for (int i = 0; i < restOfPipeline.size(); i++) {
                BsonDocument s = restOfPipeline.get(i);
                if (stageStats != null && i < stageStats.size()) {
                    s = s.clone();
                    s.putAll(stageStats.get(i).toBson());
                }
                stages.add(s);
            }
            out.append("stages", stages);
        } else {
            out.append("queryPlanner", queryPlanner);
            if (executionStats != null) {
                out.append("executionStats", executionStats);
            }
        }
        BsonDocument shown = cmd.clone();
        shown.remove("$db");
        shown.remove("lsid");
        shown.remove("$clusterTime");
        shown.remove("explain");
        out.append("command", shown)
                .append("serverInfo", new BsonDocument("host", new BsonString(inner.client().localHost()))
                        .append("port", new BsonInt32(inner.client().localPort()))
                        .append("version", new BsonString(Engine.MONGO_VERSION))
                        .append("gitVersion", new BsonString("argon-" + Engine.VERSION)))
                .append("serverParameters", new BsonDocument("internalQueryFacetBufferSizeBytes", new BsonInt32(104857600))
                        .append("internalQueryMaxBlockingSortMemoryUsageBytes",
                                new org.bson.BsonInt64(inner.engine().spill().sortLimitBytes()))
                        .append("internalDocumentSourceGroupMaxMemoryBytes",
                                new org.bson.BsonInt64(inner.engine().spill().groupLimitBytes()))
                        .append("internalQueryFacetMaxOutputDocSizeBytes",
                                new org.bson.BsonInt64(inner.engine().spill().facetOutputLimitBytes()))
                        .append("internalLookupStageIntermediateDocumentMaxSizeBytes",
                                new org.bson.BsonInt64(inner.engine().spill().lookupResultLimitBytes()))
                        .append("internalQueryMaxAddToSetBytes", new org.bson.BsonInt64(inner.engine().spill().addToSetLimitBytes())));
        return out;
    }

    private static void wrap(BsonDocument section, String field, String stage, String coll) {
        BsonDocument input = section.getDocument(field);
        section.put(field, new BsonDocument("stage", new BsonString(stage)).append("collection", new BsonString(coll))
                .append("inputStage", input));
    }

    private static BsonDocument firstStatement(BsonDocument cmd, String field) {
        if (!cmd.isArray(field) || cmd.getArray(field).isEmpty() || !cmd.getArray(field).get(0).isDocument()) {
            throw ArgonException.failedToParse("BSON field '" + field + "' is missing but a required field");
        }
        return cmd.getArray(field).get(0).asDocument();
    }
}
