package dev.argon.engine.aggregate;

import org.bson.BsonDocument;

/**
 * What a single pipeline run shares across stages: $$NOW and any variables bound from outside (a
 * $lookup's let), plus access to sibling collections. Immutable.
 */
final class RunContext {
    private final Variables base;
    private final Pipeline.CollectionResolver resolver;

    RunContext(Variables base, Pipeline.CollectionResolver resolver) {
        this.base = base;
        this.resolver = resolver;
    }

    /** Variables for evaluating expressions against doc ($$ROOT and $$CURRENT = doc). */
    Variables vars(BsonDocument doc) {
        return base.withRoot(doc);
    }

    Variables base() {
        return base;
    }

    Pipeline.CollectionResolver resolver() {
        return resolver;
    }

    RunContext withBase(Variables newBase) {
        return new RunContext(newBase, resolver);
    }
}
