/**
 * Memory limits and spilling for blocking query stages (a find's blocking sort, {@code $sort}, {@code $group}).
 * {@link dev.argon.engine.spill.SpillSettings} holds the server-wide limits ({@code setParameter}) and the temporary
 * folder {@code <data directory>/_tmp}; a {@link dev.argon.engine.spill.Spill} is one command's budget and its
 * files; {@link dev.argon.engine.spill.ExternalSorter} keeps documents in memory up to the limit and writes sorted
 * runs ({@link dev.argon.engine.spill.RunFile}) past it, merged back by {@link dev.argon.engine.spill.MergeIterator}
 * (a k-way merge holding one document per run); {@link dev.argon.engine.spill.TopK} is a sort under a limit (a
 * bounded heap, moved into an external sort when the heap itself passes the limit; a top-1 holds one candidate);
 * {@link dev.argon.engine.spill.Spool} keeps a $facet's input for several passes; {@link dev.argon.engine.spill.StageLimits}
 * are the limits of what stages build and cannot spill ($push/$addToSet arrays, $lookup's matches and table, the
 * $facet document), read with the others when a command begins.
 *
 * <p>Invariants: memory is counted as the BSON size of what a stage holds; past the limit a stage either spills
 * (the command allows disk use, MongoDB 6's default) or fails with 292 QueryExceededMemoryLimitNoDiskUseAllowed.
 * Every file a command creates is deleted when its {@code Spill} is closed (the cursor is exhausted, killed, timed
 * out or failed); files left by a crash are deleted when the server opens the data directory. A run's ties keep
 * input order (runs are merged earliest first), so a spilled sort gives the same order as the in-memory one.
 *
 * <p>Thread-safety: {@code SpillSettings} is thread-safe; a {@code Spill}, a sorter and its iterators belong to
 * one command or cursor at a time (the cursor's lock serialises getMore and kill).
 */
package dev.argon.engine.spill;
