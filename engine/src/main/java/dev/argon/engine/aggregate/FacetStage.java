package dev.argon.engine.aggregate;

import static dev.argon.engine.aggregate.Args.error;

import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.bson.BsonSize;
import dev.argon.engine.spill.Spill;
import dev.argon.engine.spill.Spool;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * $facet: keeps its input once and runs every sub-pipeline over it, producing one document. The input is held up
 * to the command's sort limit and spooled to one run file past it ({@link Spool}; 292 without disk use). The
 * document it builds cannot spill: its results' BSON past {@code internalQueryFacetMaxOutputDocSizeBytes} is
 * 4031700, as on mongod 7.0.
 */
final class FacetStage implements Stage {
    private final Map<String, Pipeline> facets = new LinkedHashMap<>();

    FacetStage(BsonValue spec, Scope scope, Pipeline.CollectionResolver resolver) {
        if (!spec.isDocument()) {
            throw error(MongoErrorCode.LOCATION_15947, "the $facet specification must be a non-empty object, but found: "
                    + BsonText.format(spec));
        }
        if (spec.asDocument().isEmpty()) {
            throw error(MongoErrorCode.LOCATION_40169, "the $facet specification must be a non-empty object");
        }
        for (Map.Entry<String, BsonValue> e : spec.asDocument().entrySet()) {
            FieldPaths.validateComponent(e.getKey());
            if (!e.getValue().isArray()) {
                throw error(MongoErrorCode.LOCATION_40170, "arguments to $facet must be arrays, " + e.getKey() + " is type "
                        + Values.typeName(e.getValue()));
            }
            facets.put(e.getKey(), Pipeline.compileNested(StageParser.documents(e.getValue().asArray(), "$facet"),
                    resolver, scope, "$facet"));
        }
    }

    @Override
    public Iterator<BsonDocument> apply(Iterator<BsonDocument> input, RunContext ctx) {
        return new Iterator<>() {
            private boolean done;

            @Override
            public boolean hasNext() {
                return !done;
            }

            @Override
            public BsonDocument next() {
                if (done) {
                    throw new java.util.NoSuchElementException();
                }
                done = true;
                Spill spill = ctx.spill();
                Spool docs = new Spool(spill, spill.sortLimitBytes(), () -> spill.stageRefused("$facet", spill.sortLimitBytes()));
                input.forEachRemaining(docs::add);
                BsonDocument out = new BsonDocument();
                long limit = spill.stageLimits().facetOutputBytes();
                long bytes = 0;
                for (Map.Entry<String, Pipeline> f : facets.entrySet()) {
                    BsonArray results = new BsonArray();
                    Iterator<BsonDocument> it = f.getValue().run(docs.replay(), ctx);
                    while (it.hasNext()) {
                        BsonDocument d = it.next();
                        if (limit != Long.MAX_VALUE) {
                            bytes += BsonSize.of(d);
                            if (bytes > limit) {
                                throw error(MongoErrorCode.LOCATION_4031700, "document constructed by $facet is " + bytes
                                        + " bytes, which exceeds the limit of " + limit + " bytes");
                            }
                        }
                        results.add(d);
                    }
                    out.put(f.getKey(), results);
                }
                return out;
            }
        };
    }
}
