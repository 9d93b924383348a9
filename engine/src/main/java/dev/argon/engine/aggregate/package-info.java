/**
 * Aggregation: {@link dev.argon.engine.aggregate.Pipeline} compiles pipelines of stages ($match, $project,
 * $group, $sort, $lookup, ...) into pull-based iterator chains, and {@link dev.argon.engine.aggregate.Expression}
 * compiles aggregation expressions. $sort, $group and a large $sample hold at most the command's memory limits
 * and spill past them through {@code dev.argon.engine.spill} (a run carries the command's {@code Spill} in its
 * {@code RunContext}); what cannot spill is capped by the spill's {@code StageLimits} ($push/$addToSet arrays,
 * $lookup matches, the $facet document). $lookup's matches come from an index, an in-memory table of the foreign
 * collection while it fits its limit, or scans of it past that ({@code LookupRun}); a following $unwind of its
 * {@code as} field is absorbed into it. {@link dev.argon.engine.aggregate.Values},
 * {@link dev.argon.engine.aggregate.Arith} and {@link dev.argon.engine.aggregate.BsonText} are shared helpers for
 * MongoDB's value semantics, numeric promotion and error-message formatting (also used by updates).
 *
 * <p>Thread-safety: compiled pipelines and expressions are immutable and may be shared across threads; each
 * {@code run} creates its own iterators, which are single-threaded. A Java {@code null} value stands for a
 * missing field throughout.
 */
package dev.argon.engine.aggregate;
