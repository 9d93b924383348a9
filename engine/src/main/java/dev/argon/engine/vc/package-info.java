/**
 * Version control over the log: what changed between two states ({@link dev.argon.engine.vc.ChangeSet}),
 * diff, three-way merge, revert and history. Every computation reads the log entries where the two states'
 * ancestries diverge, so its cost follows what changed, not the data size; documents are then read by
 * point lookups in each state. Stateless helpers; writes go through a {@link
 * dev.argon.engine.store.WriteSession} under the target branch's lock.
 */
package dev.argon.engine.vc;
