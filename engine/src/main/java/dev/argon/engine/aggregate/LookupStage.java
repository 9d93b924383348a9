package dev.argon.engine.aggregate;

import static dev.argon.engine.aggregate.Args.error;

import dev.argon.engine.MongoErrorCode;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonValue;

/**
 * $lookup, equality form (localField/foreignField), pipeline form (let/pipeline) or both. With the equality form,
 * when the foreign collection has an index on foreignField, each input document's matches are read through it
 * ({@link Pipeline.CollectionResolver#lookup}) and re-checked here; otherwise (or from the first local value an
 * index cannot look up, such as null or a regex) the foreign collection is read once per run and indexed in
 * memory by foreignField value, so a run costs O(local + foreign) rather than O(local x foreign). The pipeline form
 * whose first stage is {@code {$match: {$expr: {$eq: ["$field", "$$var"]}}}} reads its candidates the same way, through
 * an index on that field with the variable's value, and lets its pipeline re-check them. In an explained run it
 * counts what it read ({@link Pipeline.StageStats}).
 */
final class LookupStage implements Stage {
    private final String from;
    private final String[] as;
    private final String[] localField;
    private final String[] foreignField;
    private final String foreignPath;
    private final Map<String, Expression> let = new LinkedHashMap<>();
    private final Pipeline pipeline;
    /** Pipeline form: the foreign field its leading $match equates to the let variable exprVar, or null. */
    private final String exprField;
    private final String[] exprFieldParts;
    private final String exprVar;

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

    @Override
    public Iterator<BsonDocument> apply(Iterator<BsonDocument> input, RunContext ctx) {
        Pipeline.StageStats stats = ctx.counters(this);
        if (stats != null) {
            stats.lookup = true;
        }
        return new MappingIterator(input) {
            private List<BsonDocument> foreignDocs;
            private Map<ValueKey, List<Integer>> index;

            @Override
            BsonDocument map(BsonDocument doc) {
                Variables bound = null;
                BsonValue exprValue = null;
                if (pipeline != null) {
                    Variables vars = ctx.vars(doc);
                    bound = ctx.base();
                    for (Map.Entry<String, Expression> e : let.entrySet()) {
                        BsonValue v = e.getValue().evaluate(vars);
                        bound = bound.bind(e.getKey(), v);
                        if (e.getKey().equals(exprVar)) {
                            exprValue = v;
                        }
                    }
                }
                List<BsonDocument> viaIndex = null;
                if (foreignDocs == null && ctx.resolver() != null) {
                    if (localField != null) {
                        viaIndex = viaIndex(localValues(doc), foreignField, foreignPath, false);
                    } else if (exprField != null && exprValue != null) {
                        // The pipeline's own $match re-checks each candidate with $expr's equality.
                        viaIndex = viaIndex(List.of(exprValue), exprFieldParts, exprField, true);
                    }
                }
                if (viaIndex == null && foreignDocs == null) {
                    foreignDocs = new ArrayList<>();
                    if (ctx.resolver() != null) {
                        ctx.resolver().scan(from).forEachRemaining(foreignDocs::add);
                    }
                    if (stats != null) {
                        stats.collectionScans++;
                        stats.docsExamined += foreignDocs.size();
                    }
                    if (foreignField != null) {
                        index = buildIndex(foreignDocs);
                    }
                }
                List<BsonDocument> candidates = viaIndex != null ? viaIndex : localField == null ? foreignDocs : probe(doc);
                BsonArray joined = new BsonArray();
                if (pipeline == null) {
                    joined.addAll(candidates);
                } else {
                    pipeline.run(candidates.iterator(), ctx.withBase(bound)).forEachRemaining(joined::add);
                }
                return FieldPaths.setNested(doc, as, 0, joined);
            }

            /**
             * The foreign documents whose field equals one of the values, read through an index on it, or null when
             * none serves them. superset: leave candidates that only find's equality matches to the pipeline.
             */
            private List<BsonDocument> viaIndex(List<BsonValue> locals, String[] parts, String path, boolean superset) {
                Pipeline.IndexedLookup hits = ctx.resolver().lookup(from, path, locals);
                if (hits == null) {
                    return null;
                }
                if (stats != null) {
                    stats.indexesUsed.add(hits.index());
                    stats.keysExamined += hits.keysExamined();
                    stats.docsExamined += hits.docsExamined();
                }
                java.util.Set<ValueKey> wanted = new java.util.HashSet<>();
                for (BsonValue v : locals) {
                    wanted.add(new ValueKey(v));
                }
                List<BsonDocument> out = new ArrayList<>();
                List<BsonValue> values = new ArrayList<>();
                for (BsonDocument f : hits.docs()) {
                    values.clear();
                    collect(f, parts, 0, values, true);
                    if (values.isEmpty()) {
                        values.add(BsonNull.VALUE);
                    }
                    if (superset || values.stream().anyMatch(v -> wanted.contains(new ValueKey(v)))) {
                        out.add(f);
                    }
                }
                // The order a scan of the foreign collection gives: _id order.
                out.sort((a, b) -> dev.argon.engine.bson.BsonOrder.compare(a.get("_id"), b.get("_id")));
                return out;
            }

            private List<BsonDocument> probe(BsonDocument doc) {
                List<BsonValue> locals = localValues(doc);
                BitSet hits = new BitSet(foreignDocs.size());
                for (BsonValue v : locals) {
                    List<Integer> ids = index.get(new ValueKey(v));
                    if (ids != null) {
                        for (int i : ids) {
                            hits.set(i);
                        }
                    }
                }
                List<BsonDocument> out = new ArrayList<>(hits.cardinality());
                for (int i = hits.nextSetBit(0); i >= 0; i = hits.nextSetBit(i + 1)) {
                    out.add(foreignDocs.get(i));
                }
                return out;
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

    private List<BsonValue> localValues(BsonDocument doc) {
        List<BsonValue> locals = new ArrayList<>();
        collect(doc, localField, 0, locals, false);
        if (locals.isEmpty() && FieldPaths.get(doc, localField, 0) == null) {
            locals.add(BsonNull.VALUE);
        }
        return locals;
    }

    private Map<ValueKey, List<Integer>> buildIndex(List<BsonDocument> docs) {
        Map<ValueKey, List<Integer>> idx = new HashMap<>();
        List<BsonValue> values = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            values.clear();
            collect(docs.get(i), foreignField, 0, values, true);
            if (values.isEmpty()) {
                values.add(BsonNull.VALUE);
            }
            for (BsonValue v : values) {
                List<Integer> ids = idx.computeIfAbsent(new ValueKey(v), k -> new ArrayList<>());
                if (ids.isEmpty() || ids.get(ids.size() - 1) != i) {
                    ids.add(i);
                }
            }
        }
        return idx;
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
