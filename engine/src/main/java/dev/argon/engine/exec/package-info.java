/**
 * Query planning and execution over a {@link dev.argon.engine.store.DataView}: the {@code Planner} chooses a
 * source (point read, index scan over {@code IndexBounds}, or a scan in {@code _id} order), then filtering,
 * sorting, paging and projection, shared by find, count, distinct, update, delete, findAndModify and aggregate.
 * Invariant: every candidate a source yields is re-checked against the filter, so index bounds only need to be a
 * superset of the matches; the one exception is {@code KeyOnlyScans} (COUNT_SCAN, DISTINCT_SCAN), used only when
 * the bounds answer the filter exactly. A sort opposite to an index's order reads it backward. A blocking sort without a limit goes through
 * {@code spill.ExternalSorter}, one under a limit through {@code spill.TopK}, both bounded by the command's
 * {@code Spill}. An {@code $or} is a union of index scans ({@code OrScan}), or, when every clause's index order
 * serves the sort, their merge in sort order ({@code SortMergeScan}, SORT_MERGE). Index plans the cost model
 * scores alike run mongod's trial period ({@code QueryPlan.ranked}: equal works, bounded by {@code ExecStats.budget})
 * and the better one wins; explain's {@code allPlansExecution} shows that trial for every candidate. Results are lazy and hold a storage iterator until closed or exhausted; {@code PlanInfo}
 * and {@code ExecStats} describe the plan for {@code explain}. Not thread-safe; one plan per command.
 */
package dev.argon.engine.exec;
