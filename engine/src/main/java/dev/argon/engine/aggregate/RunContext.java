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
    /** Per-stage counters of an explained run, or null. */
    private final java.util.Map<Stage, Pipeline.StageStats> counters;

    RunContext(Variables base, Pipeline.CollectionResolver resolver, Spill spill) {
        this(base, resolver, spill, null);
    }

    RunContext(Variables base, Pipeline.CollectionResolver resolver, Spill spill, java.util.Map<Stage, Pipeline.StageStats> counters) {
        this.base = base;
        this.resolver = resolver;
        this.spill = spill;
        this.counters = counters;
    }

    /** The stage's counters in an explained run, or null in an ordinary one (nothing to count). */
    Pipeline.StageStats counters(Stage stage) {
        return counters == null ? null : counters.computeIfAbsent(stage, s -> new Pipeline.StageStats());
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
        return new RunContext(newBase, resolver, spill, counters);
    }
}
