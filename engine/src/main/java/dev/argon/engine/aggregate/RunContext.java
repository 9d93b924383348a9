package dev.argon.engine.aggregate;

import dev.argon.engine.spill.Spill;
import org.bson.BsonDocument;

/**
 * What a single pipeline run shares across stages: $$NOW and any variables bound from outside (a
 * $lookup's let), plus access to sibling collections and the command's memory budget for blocking stages
 * ({@link Spill}). Immutable.
 */
final class RunContext {
    private final Variables base;
    private final Pipeline.CollectionResolver resolver;
    private final Spill spill;

    RunContext(Variables base, Pipeline.CollectionResolver resolver, Spill spill) {
        this.base = base;
        this.resolver = resolver;
        this.spill = spill;
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

    Spill spill() {
        return spill;
    }

    RunContext withBase(Variables newBase) {
        return new RunContext(newBase, resolver, spill);
    }
}
