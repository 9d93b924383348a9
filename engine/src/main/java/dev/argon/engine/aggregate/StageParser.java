package dev.argon.engine.aggregate;

import static dev.argon.engine.aggregate.Args.error;

import dev.argon.engine.MongoErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;

/** Turns stage documents into {@link Stage}s, validating names and shapes, and fuses $sort + $limit. */
final class StageParser {
    /** MongoDB stages that exist but that Argon does not run; they fail with NotImplemented (238). */
    private static final Set<String> UNSUPPORTED = Set.of("$out", "$merge", "$changeStream", "$bucket", "$bucketAuto",
            "$graphLookup", "$geoNear", "$redact", "$setWindowFields", "$densify", "$fill", "$collStats",
            "$indexStats", "$currentOp", "$listSessions", "$listLocalSessions", "$planCacheStats", "$search",
            "$searchMeta", "$vectorSearch", "$documents", "$changeStreamSplitLargeEvent", "$listSearchIndexes",
            "$shardedDataDistribution", "$querySettings", "$listSampledQueries", "$queryStats", "$listCatalog");

    /** Stages that may not appear inside $facet. */
    private static final Set<String> NOT_IN_FACET = Set.of("$facet", "$out", "$merge", "$changeStream", "$collStats",
            "$indexStats", "$geoNear", "$unionWith");

    private StageParser() {}

    /** The elements of a sub-pipeline array, each required to be a document. */
    static List<BsonDocument> documents(BsonArray stages, String owner) {
        List<BsonDocument> out = new ArrayList<>(stages.size());
        for (BsonValue v : stages) {
            if (!v.isDocument()) {
                throw error(MongoErrorCode.TYPE_MISMATCH, "Each element of the 'pipeline' array in " + owner
                        + " must be an object");
            }
            out.add(v.asDocument());
        }
        return out;
    }

    /** context: null at top level, otherwise the enclosing stage ($facet, $lookup, $unionWith). */
    static List<Stage> parse(List<BsonDocument> specs, Pipeline.CollectionResolver resolver, Scope scope, String context) {
        List<Object> parsed = new ArrayList<>(specs.size());
        for (BsonDocument spec : specs) {
            if (spec.size() != 1) {
                throw error(MongoErrorCode.LOCATION_40323,
                        "A pipeline stage specification object must contain exactly one field.");
            }
            String name = spec.getFirstKey();
            if ("$facet".equals(context) && NOT_IN_FACET.contains(name)) {
                throw error(MongoErrorCode.LOCATION_40600, name + " is not allowed to be used within a $facet stage");
            }
            parsed.add(stage(name, spec.get(name), resolver, scope));
        }
        return fuse(parsed);
    }

    private static Object stage(String name, BsonValue arg, Pipeline.CollectionResolver resolver, Scope scope) {
        switch (name) {
            case "$match": return BasicStages.match(arg, scope);
            case "$project":
                if (!arg.isDocument()) {
                    throw error(MongoErrorCode.LOCATION_15969, "$project specification must be an object");
                }
                return BasicStages.projection(ProjectionSpec.project(arg.asDocument(), scope));
            case "$addFields":
            case "$set":
                if (!arg.isDocument()) {
                    throw error(MongoErrorCode.LOCATION_40272, name + " specification stage must be an object, got "
                            + Values.typeName(arg));
                }
                return BasicStages.projection(ProjectionSpec.addFields(arg.asDocument(), scope));
            case "$unset": return BasicStages.unset(arg);
            case "$sort": return new SortStage(arg);
            case "$limit": return new Limit(BasicStages.limitValue(arg));
            case "$skip": return new Skip(BasicStages.skipValue(arg));
            case "$group": return new GroupStage(arg, scope);
            case "$count": return BasicStages.count(arg);
            case "$unwind": return new UnwindStage(arg);
            case "$replaceRoot": return BasicStages.replaceRoot(BasicStages.replaceRootSpec(arg, scope));
            case "$replaceWith": return BasicStages.replaceRoot(ExpressionParser.parse(arg, scope));
            case "$sortByCount": return sortByCount(arg, scope);
            case "$lookup": return new LookupStage(arg, scope, resolver);
            case "$facet": return new FacetStage(arg, scope, resolver);
            case "$sample": return BasicStages.sample(arg);
            case "$unionWith": return new UnionWithStage(arg, scope, resolver);
            case "$listSearchIndexes":
            case "$search":
            case "$searchMeta":
            case "$vectorSearch":
                throw error(MongoErrorCode.SEARCH_NOT_ENABLED, Pipeline.SEARCH_MESSAGE);
            default:
                if (UNSUPPORTED.contains(name)) {
                    throw error(MongoErrorCode.NOT_IMPLEMENTED, "The " + name + " aggregation stage is not supported by Argon");
                }
                throw error(MongoErrorCode.LOCATION_40324, "Unrecognized pipeline stage name: '" + name + "'");
        }
    }

    private static Object sortByCount(BsonValue arg, Scope scope) {
        boolean valid = (arg.isString() && arg.asString().getValue().startsWith("$"))
                || ExpressionParser.isOperator(arg);
        if (!valid) {
            throw error(MongoErrorCode.LOCATION_40148,
                    "the sortByCount field must be defined as a $-prefixed path or an expression");
        }
        BsonDocument group = new BsonDocument("_id", arg);
        group.put("count", new BsonDocument("$sum", new BsonInt32(1)));
        Stage g = new GroupStage(group, scope);
        Stage s = new SortStage(new BsonDocument("count", new BsonInt32(-1)));
        return (Stage) (input, ctx) -> s.apply(g.apply(input, ctx), ctx);
    }

    /**
     * Replaces $sort [$skip] $limit by a bounded top-k sort, lets a $lookup absorb the $unwind of its {@code as}
     * field that follows it (the $unwind's place keeps a stage that passes documents through, so stages still match
     * the pipeline's specs one to one, as explain reports them), and turns limit/skip holders into stages.
     */
    private static List<Stage> fuse(List<Object> parsed) {
        List<Stage> out = new ArrayList<>(parsed.size());
        for (int i = 0; i < parsed.size(); i++) {
            Object o = parsed.get(i);
            if (o instanceof LookupStage lookup && i + 1 < parsed.size() && parsed.get(i + 1) instanceof UnwindStage unwind
                    && lookup.canAbsorb(unwind)) {
                out.add(lookup.absorbing(unwind));
                out.add((input, ctx) -> input);
                i++;
                continue;
            }
            if (o instanceof SortStage) {
                long skip = 0;
                int j = i + 1;
                while (j < parsed.size() && parsed.get(j) instanceof Skip) {
                    skip += ((Skip) parsed.get(j)).n;
                    j++;
                }
                if (j < parsed.size() && parsed.get(j) instanceof Limit) {
                    long keep = skip + ((Limit) parsed.get(j)).n;
                    o = ((SortStage) o).withLimit(keep < 0 ? Long.MAX_VALUE : keep);
                }
            }
            out.add(toStage(o));
        }
        return out;
    }

    private static Stage toStage(Object o) {
        if (o instanceof Limit) {
            return BasicStages.limit(((Limit) o).n);
        }
        if (o instanceof Skip) {
            return BasicStages.skip(((Skip) o).n);
        }
        return (Stage) o;
    }

    private static final class Limit {
        final long n;

        Limit(long n) {
            this.n = n;
        }
    }

    private static final class Skip {
        final long n;

        Skip(long n) {
            this.n = n;
        }
    }
}
