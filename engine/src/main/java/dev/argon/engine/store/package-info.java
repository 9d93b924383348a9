/**
 * Documents, indexes and the catalog mapped onto the WAL's versioned key space ({@link
 * dev.argon.engine.store.Keys}). {@link dev.argon.engine.store.DataView} reads a branch at a point;
 * {@link dev.argon.engine.store.WriteSession} stages one write command over the head and commits it as one
 * atomic commit, under the branch's write lock held by {@link dev.argon.engine.store.Store}; past a threshold it
 * streams the change in chunks of a {@link dev.argon.wal.StagedCommit} (invisible until published, discarded when
 * the session closes without committing), so its memory does not grow with the change, and statements that scan
 * while they write read a frozen state of the session. Secondary index
 * entries are versioned like documents and always re-checked against the document they name.
 * A CRUD command releases the branch lock once its commit is queued ({@code WriteSession.commitReleasing}); the
 * branch's next writer reads the head plus the queued commits ({@link dev.argon.engine.store.CommitPipeline}) and
 * its commit is refused by the WAL if one it was built on fails.
 * A transaction's session ({@code Store.beginTransaction}) is <em>deferred</em>: it reads a fixed snapshot plus
 * its own changes, holds no lock and stages nothing until {@code Store.commitTransaction}, which checks under the
 * branch lock that no concurrent commit changed what it wrote (112 WriteConflict) and writes one commit;
 * {@link dev.argon.engine.store.KeyClaims} makes a second open transaction writing the same document fail at once.
 * {@link dev.argon.engine.store.StoreChecker} is {@code fsck}'s document and index layer: it recomputes each log
 * entry's key writes and checks live heads' indexes against their documents, on a stopped directory.
 *
 * <p>{@link dev.argon.engine.store.Store} is where the engine meets the wal module: it opens the
 * {@link dev.argon.wal.Wal} and gives the rest of the engine only the {@link dev.argon.wal.VersionStore} interface
 * ({@code Store.versions()}); only {@code WriteSession} commits through it.
 */
package dev.argon.engine.store;
