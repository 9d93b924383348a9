/**
 * MongoDB update semantics: {@link dev.argon.engine.update.UpdateSpec} compiles replacement documents,
 * update-operator documents ($set, $inc, $push, ... with positional {@code $}, {@code $[]} and
 * {@code $[id]} paths and arrayFilters) and pipeline-style updates, and applies them to documents with
 * MongoDB's error codes and field-ordering rules. Also builds the starting document of an upsert.
 * {@link dev.argon.engine.update.UpdateSpec#singleTopLevelField()} names the one field an update of the common
 * shape changes, so that a caller may apply it to {@code {_id, field}} and leave the rest of the document encoded.
 *
 * <p>Thread-safety: compiled specs are immutable and may be shared across threads; each application
 * works on its own copy-on-write view of the document and never modifies its input.
 */
package dev.argon.engine.update;
