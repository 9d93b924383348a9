/**
 * Version control over the log: what changed between two states ({@link dev.argon.engine.vc.ChangeSet}),
 * diff, three-way merge ({@link dev.argon.engine.vc.Merger}, its base {@link dev.argon.engine.vc.MergeBase} and
 * marks {@link dev.argon.engine.vc.MergeMark}), revert and history. Every computation reads the log entries where
 * the two states' ancestries diverge, so its cost follows what changed, not the data size; documents are then
 * read by point lookups in each state, one candidate at a time, so diff, history and a merge preview's conflicts
 * stream. A merge plans from fixed views and records the source state it took. Change sets, walks and scans are
 * not thread-safe (one per command or cursor); writes go through a {@link dev.argon.engine.store.WriteSession}
 * under the target branch's lock.
 */
package dev.argon.engine.vc;
