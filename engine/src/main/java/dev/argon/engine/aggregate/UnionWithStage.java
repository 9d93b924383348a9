package dev.argon.engine.aggregate;

import static dev.argon.engine.aggregate.Args.error;

import dev.argon.engine.MongoErrorCode;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * $unionWith: all input documents, then the other collection's documents through an optional pipeline. The other
 * collection is read lazily and streamed (the resolver's scan holds a storage iterator, not the documents), so a
 * later $limit stops the read; in an explained run {@code totalDocsExamined} says how many were read.
 */
final class UnionWithStage implements Stage {
    private final String coll;
    private final Pipeline pipeline;

    UnionWithStage(BsonValue spec, Scope scope, Pipeline.CollectionResolver resolver) {
        BsonArray stages = null;
        String name = null;
        if (spec.isString()) {
            name = spec.asString().getValue();
        } else if (spec.isDocument()) {
            for (Map.Entry<String, BsonValue> e : spec.asDocument().entrySet()) {
                if (e.getKey().equals("coll") && e.getValue().isString()) {
                    name = e.getValue().asString().getValue();
                } else if (e.getKey().equals("pipeline") && e.getValue().isArray()) {
                    stages = e.getValue().asArray();
                } else {
                    throw error(MongoErrorCode.FAILED_TO_PARSE, "BSON field '$unionWith." + e.getKey()
                            + "' is an unknown field or has the wrong type.");
                }
            }
        } else {
            throw error(MongoErrorCode.FAILED_TO_PARSE, "the $unionWith stage specification must be an object or string, "
                    + "but found " + Values.typeName(spec));
        }
        if (name == null) {
            throw error(MongoErrorCode.FAILED_TO_PARSE, "BSON field '$unionWith.coll' is missing but a required field");
        }
        this.coll = name;
        this.pipeline = stages == null ? null
                : Pipeline.compileNested(StageParser.documents(stages, "$unionWith"), resolver, scope, "$unionWith");
    }

    @Override
    public Iterator<BsonDocument> apply(Iterator<BsonDocument> input, RunContext ctx) {
        Pipeline.StageStats stats = ctx.counters(this);
        if (stats != null) {
            stats.unionWith = true;
        }
        return new Iterator<>() {
            private Iterator<BsonDocument> other;

            @Override
            public boolean hasNext() {
                if (input.hasNext()) {
                    return true;
                }
                if (other == null) {
                    Iterator<BsonDocument> scan = ctx.resolver() == null ? Collections.emptyIterator()
                            : Pipeline.StageStats.counted(ctx.resolver().scan(coll), stats);
                    other = pipeline == null ? scan : pipeline.run(scan, ctx.withBase(ctx.base()));
                }
                return other.hasNext();
            }

            @Override
            public BsonDocument next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return input.hasNext() ? input.next() : other.next();
            }
        };
    }

}
