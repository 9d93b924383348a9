/**
 * Change streams: {@code aggregate} with a leading {@code $changeStream} tails a branch's log. An event is one log
 * entry of one commit of the watched branch id (insert, update, replace, delete; drop, dropDatabase, and with
 * {@code showExpandedEvents} create, createIndexes, dropIndexes, modify), or two (a rename is the drop of the old
 * name and the rename entry of the new one), built from the entries' pre- and post-images and the commit record's
 * session fields ({@link dev.argon.engine.changestream.ChangeEvents}); the stream's
 * position is an LSN of that branch, and a resume token ({@link dev.argon.engine.changestream.ResumeToken})
 * names the branch id, the commit and the entry's own LSN, so that resuming inside a commit of several entries
 * skips exactly the entries already seen.
 *
 * <p>Invariants: the stream reads only commits of its own branch id, at or below that branch's head, so a watcher
 * never sees another branch's writes and never a staged, unpublished chunk; merges and reverts into the branch
 * are ordinary commits of it and appear as ordinary events. A reset gives the branch name a new id: streams of
 * the old id answer one {@code invalidate} event and end.
 *
 * <p>Errors: {@link dev.argon.engine.changestream.ChangeStreamErrors} labels them as mongod does (resumable or not);
 * a position below the history GC horizon, with history of the branch above it, is 286 ChangeStreamHistoryLost.
 *
 * <p>Waiting: a getMore with nothing to return waits on the store's
 * {@link dev.argon.engine.store.CommitSignal}, fired after every write session, for up to its
 * {@code maxTimeMS}; it holds one command-pool thread while it waits. Cursors here hold no read-gate ticket between
 * getMores (a stream may live for days; GC must not wait for it): each getMore reads under its own command's
 * ticket.
 *
 * <p>Thread-safety: {@link dev.argon.engine.changestream.ChangeStreamCursor} is used under its cursor's lock only;
 * the rest are stateless or immutable.
 */
package dev.argon.engine.changestream;
