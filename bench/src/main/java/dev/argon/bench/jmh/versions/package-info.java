/**
 * Versioned reads straight on the {@link dev.argon.wal.Wal}, without the wire protocol: a point read and a
 * short scan on a branch 1 (main), 5 or 20 levels deep, and a point read at an old LSN against one at the head.
 * {@link dev.argon.bench.jmh.versions.VersionedStore} builds the data set once per trial.
 */
package dev.argon.bench.jmh.versions;
