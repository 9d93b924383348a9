package dev.argon.engine.aggregate;

import static dev.argon.engine.aggregate.Args.error;

import dev.argon.engine.MongoErrorCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/** $facet: materialises its input once and runs every sub-pipeline over it, producing one document. */
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
                List<BsonDocument> docs = new ArrayList<>();
                input.forEachRemaining(docs::add);
                List<BsonDocument> shared = Collections.unmodifiableList(docs);
                BsonDocument out = new BsonDocument();
                for (Map.Entry<String, Pipeline> f : facets.entrySet()) {
                    BsonArray results = new BsonArray();
                    f.getValue().run(shared.iterator(), ctx).forEachRemaining(results::add);
                    out.put(f.getKey(), results);
                }
                return out;
            }
        };
    }
}
