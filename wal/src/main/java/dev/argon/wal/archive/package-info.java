/**
 * Backup, restore and clone of a data directory through an object store (a folder or an S3 bucket), in the
 * archive layout of docs/FORMATS.md ("Archive manifest", "Segments"): segments first, manifest last.
 *
 * <p>{@link dev.argon.wal.archive.Backup} reads a {@link dev.argon.wal.WalSnapshot} (a RocksDB snapshot, so a
 * backup covers every commit up to its start and is never torn while writes go on) and writes each archived
 * column family's entries in key order into segments, one kind per family: {@code meta-state} (the metadata but
 * commit boundaries: branch and tag records, counters, retryable-write records; shipped whole by every backup,
 * replacing the previous one), and the append-only kinds {@code meta} (commit boundaries), {@code commits},
 * {@code times}, {@code log} and {@code versions}, of which an incremental backup ships only the entries above
 * the previous manifest's LSN. The {@code latest} family is not archived: it is a copy of each group's newest
 * version, and a restore rebuilds it. Segments are content-addressed: one already in the target is reused.
 *
 * <p>{@link dev.argon.wal.archive.Restore} reads the newest manifest and feeds every family's entries, in key order
 * ({@code OrderedEntries}: segments one after the other, or merged when an incremental chain's overlap), from a
 * prefetch thread ({@code Prefetch}) to a {@link dev.argon.wal.WalLoader}, which builds a fresh data directory
 * through SST files it ingests, optionally cut at an LSN (point-in-time restore) or narrowed to one branch (clone).
 * A backup's {@code SegmentSink}s compress on a thread per kind and upload on another. {@link dev.argon.wal.archive.ArchiveLocation} turns a
 * {@code file://} or {@code s3://} URL and its S3 settings into a store. {@link dev.argon.wal.archive.ArchiveGc}
 * removes the segments no manifest names (a failed backup's leftovers) once older than a grace period, and retires old
 * manifests when asked; {@link dev.argon.wal.archive.ArchiveCompact} merges a chain's small segments under a new
 * manifest. Each operation is one call; the threads it starts (prefetch, per-kind writers and uploaders) end
 * with it, and the classes hold no shared state.
 */
package dev.argon.wal.archive;
