package dev.argon.engine.aggregate;

import static dev.argon.engine.aggregate.Args.error;

import dev.argon.engine.MongoErrorCode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonValue;

/**
 * $lookup, equality form (localField/foreignField), pipeline form (let/pipeline) or both: parsing, and what a run
 * does ({@link LookupRun}). With the equality form, when the foreign collection has an index on foreignField, each
 * input document's matches are read through it ({@link Pipeline.CollectionResolver#lookup}) and re-checked; otherwise
 * (or from the first local value an index cannot look up, such as null or a regex) the foreign collection is read
 * once per run into an in-memory table by foreignField value, O(local + foreign), while it fits the table's memory
 * limit, and past it again per block of input documents or per document (a nested loop, O(local x foreign) reads in
 * bounded memory). The
 * pipeline form whose first stage is {@code {$match: {$expr: {$eq: ["$field", "$$var"]}}}} reads its candidates the
 * same way, through an index on that field with the variable's value, and lets its pipeline re-check them. An
 * {@code $unwind} of the {@code as} field right after the stage is absorbed into it ({@link #absorbing}). In an
 * explained run it counts what it read ({@link Pipeline.StageStats}). Immutable once built.
 */
final class LookupStage implements Stage {
    final String from;
    final String[] as;
    final String[] localField;
    final String[] foreignField;
    final String foreignPath;
    final Map<String, Expression> let;
    final Pipeline pipeline;
    /** Pipeline form: the foreign field its leading $match equates to the let variable exprVar, or null. */
    final String exprField;
    final String[] exprFieldParts;
    final String exprVar;
    /** Whether the $unwind of {@code as} that followed is part of this stage, with its options. */
    final boolean absorbed;
    final String[] unwindIndex;
    final boolean unwindPreserve;

    /** A copy of the stage with an absorbed $unwind. */
    private LookupStage(LookupStage s, String[] unwindIndex, boolean unwindPreserve) {
        this.from = s.from;
        this.as = s.as;
        this.localField = s.localField;
        this.foreignField = s.foreignField;
        this.foreignPath = s.foreignPath;
        this.let = s.let;
        this.pipeline = s.pipeline;
        this.exprField = s.exprField;
        this.exprFieldParts = s.exprFieldParts;
        this.exprVar = s.exprVar;
        this.absorbed = true;
        this.unwindIndex = unwindIndex;
        this.unwindPreserve = unwindPreserve;
    }

    LookupStage(BsonValue spec, Scope scope, Pipeline.CollectionResolver resolver) {
        if (!spec.isDocument()) {
            throw error(MongoErrorCode.FAILED_TO_PARSE, "the $lookup specification must be an Object, but found "
                    + Values.typeName(spec));
        }
        String fromName = null;
        String asName = null;
        String local = null;
        String foreign = null;
        BsonDocument letSpec = null;
        BsonValue pipelineSpec = null;
        for (Map.Entry<String, BsonValue> e : spec.asDocument().entrySet()) {
            BsonValue v = e.getValue();
            switch (e.getKey()) {
                case "from":
                    if (v.isDocument()) {
                        throw error(MongoErrorCode.NOT_IMPLEMENTED, "$lookup from another database is not supported");
                    }
                    fromName = string("from", v);
                    break;
                case "as": asName = string("as", v); break;
                case "localField": local = string("localField", v); break;
                case "foreignField": foreign = string("foreignField", v); break;
                case "let":
                    if (!v.isDocument()) {
                        throw error(MongoErrorCode.FAILED_TO_PARSE, "$lookup argument 'let' must be an object, is type "
                                + Values.typeName(v));
                    }
                    letSpec = v.asDocument();
                    break;
                case "pipeline":
                    if (!v.isArray()) {
                        throw error(MongoErrorCode.FAILED_TO_PARSE, "$lookup argument 'pipeline' must be an array, is type "
                                + Values.typeName(v));
                    }
                    pipelineSpec = v;
                    break;
                default:
                    throw error(MongoErrorCode.FAILED_TO_PARSE, "unknown argument to $lookup: " + e.getKey());
            }
        }
        if (asName == null) {
            throw error(MongoErrorCode.FAILED_TO_PARSE, "must specify 'as' field for a $lookup");
        }
        if (fromName == null) {
            throw error(MongoErrorCode.FAILED_TO_PARSE, "must specify 'from' field for a $lookup");
        }
        if ((local == null) != (foreign == null)) {
            throw error(MongoErrorCode.FAILED_TO_PARSE, "$lookup requires both or neither of 'localField' and 'foreignField'"
                    + " to be specified");
        }
        if (pipelineSpec == null && local == null) {
            throw error(MongoErrorCode.FAILED_TO_PARSE,
                    "$lookup requires either 'pipeline' or both 'localField' and 'foreignField' to be specified");
        }
        if (letSpec != null && pipelineSpec == null) {
            throw error(MongoErrorCode.FAILED_TO_PARSE, "$lookup with 'let' must also specify 'pipeline'");
        }
        this.from = fromName;
        this.as = FieldPaths.parse(asName);
        this.localField = local == null ? null : FieldPaths.parse(local);
        this.foreignField = foreign == null ? null : FieldPaths.parse(foreign);
        this.foreignPath = foreign;
        this.let = new LinkedHashMap<>();
        this.absorbed = false;
        this.unwindIndex = null;
        this.unwindPreserve = false;
        Scope inner = scope;
        if (letSpec != null) {
            for (Map.Entry<String, BsonValue> e : letSpec.entrySet()) {
                let.put(e.getKey(), ExpressionParser.parse(e.getValue(), scope));
                inner = inner.define(e.getKey());
            }
        }
        this.pipeline = pipelineSpec == null ? null
                : Pipeline.compileNested(StageParser.documents(pipelineSpec.asArray(), "$lookup"), resolver, inner, "$lookup");
        String[] eq = local == null ? exprEquality(pipelineSpec, let.keySet()) : null;
        this.exprField = eq == null ? null : eq[0];
        this.exprFieldParts = eq == null ? null : FieldPaths.parse(eq[0]);
        this.exprVar = eq == null ? null : eq[1];
    }

    private static String string(String name, BsonValue v) {
        if (!v.isString()) {
            throw error(MongoErrorCode.FAILED_TO_PARSE, "$lookup argument '" + name + "' must be a string, is type "
                    + Values.typeName(v));
        }
        return v.asString().getValue();
    }

    /**
     * This stage with the {@code $unwind} that follows it absorbed, as mongod does when the $unwind's path is this
     * stage's {@code as} field: each match becomes its own document, so no array of matches is held or capped.
     */
    LookupStage absorbing(UnwindStage unwind) {
        return new LookupStage(this, unwind.indexPath, unwind.preserve);
    }

    /** Whether an $unwind of this path can be absorbed (it unwinds exactly the {@code as} field, not yet absorbed). */
    boolean canAbsorb(UnwindStage unwind) {
        return !absorbed && java.util.Arrays.equals(unwind.path, as);
    }

    @Override
    public Iterator<BsonDocument> apply(Iterator<BsonDocument> input, RunContext ctx) {
        LookupRun run = new LookupRun(this, ctx);
        return new Iterator<>() {
            private Iterator<BsonDocument> current = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && input.hasNext()) {
                    if (absorbed) {
                        current = run.unwound(input.next());
                    } else if (run.joinsInBlocks()) {
                        current = run.joinedBlock(input);
                    } else {
                        current = java.util.Collections.singletonList(run.joined(input.next())).iterator();
                    }
                }
                return current.hasNext();
            }

            @Override
            public BsonDocument next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    /**
     * The foreign field and the {@code let} variable of a pipeline whose first stage is
     * {@code {$match: {$expr: {$eq: ["$field", "$$var"]}}}} (either order, or one conjunct of an {@code $and}),
     * or null: such a pipeline only keeps foreign documents whose field equals the variable, so an index on the
     * field may supply the candidates.
     */
    private static String[] exprEquality(BsonValue pipelineSpec, java.util.Set<String> letNames) {
        if (pipelineSpec == null || pipelineSpec.asArray().isEmpty() || !pipelineSpec.asArray().get(0).isDocument()) {
            return null;
        }
        BsonDocument first = pipelineSpec.asArray().get(0).asDocument();
        if (first.size() != 1 || !first.isDocument("$match")) {
            return null;
        }
        BsonValue expr = first.getDocument("$match").get("$expr");
        if (expr == null || !expr.isDocument() || expr.asDocument().size() != 1) {
            return null;
        }
        List<BsonValue> conjuncts = new ArrayList<>();
        if (expr.asDocument().isArray("$and")) {
            conjuncts.addAll(expr.asDocument().getArray("$and"));
        } else {
            conjuncts.add(expr);
        }
        for (BsonValue c : conjuncts) {
            if (!c.isDocument() || c.asDocument().size() != 1 || !c.asDocument().isArray("$eq")
                    || c.asDocument().getArray("$eq").size() != 2) {
                continue;
            }
            BsonValue a = c.asDocument().getArray("$eq").get(0);
            BsonValue b = c.asDocument().getArray("$eq").get(1);
            String field = fieldRef(a) != null ? fieldRef(a) : fieldRef(b);
            String var = varRef(a) != null ? varRef(a) : varRef(b);
            if (field != null && var != null && letNames.contains(var)) {
                return new String[] {field, var};
            }
        }
        return null;
    }

    private static String fieldRef(BsonValue v) {
        if (!v.isString()) {
            return null;
        }
        String s = v.asString().getValue();
        return s.length() > 1 && s.charAt(0) == '$' && s.charAt(1) != '$' ? s.substring(1) : null;
    }

    private static String varRef(BsonValue v) {
        if (!v.isString()) {
            return null;
        }
        String s = v.asString().getValue();
        return s.startsWith("$$") && s.indexOf('.') < 0 ? s.substring(2) : null;
    }

    /**
     * The values an equality match on the path would compare against (find semantics): arrays along the
     * path are traversed, and an array at the end contributes its elements (and itself when wholeArray:
     * the foreign side matches whole arrays, the local side is an $in over the elements).
     */
    static void collect(BsonValue v, String[] parts, int i, List<BsonValue> out, boolean wholeArray) {
        if (i == parts.length) {
            if (wholeArray || !v.isArray()) {
                out.add(v);
            }
            if (v.isArray()) {
                out.addAll(v.asArray());
            }
            return;
        }
        if (v.isDocument()) {
            BsonValue child = v.asDocument().get(parts[i]);
            if (child != null) {
                collect(child, parts, i + 1, out, wholeArray);
            }
        } else if (v.isArray()) {
            BsonArray arr = v.asArray();
            for (BsonValue e : arr) {
                if (e.isDocument()) {
                    collect(e, parts, i, out, wholeArray);
                }
            }
            if (isIndex(parts[i])) {
                int at = Integer.parseInt(parts[i]);
                if (at < arr.size()) {
                    collect(arr.get(at), parts, i + 1, out, wholeArray);
                }
            }
        }
    }

    private static boolean isIndex(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
