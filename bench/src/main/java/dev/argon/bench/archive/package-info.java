/**
 * Backup and restore throughput to a local folder ({@link dev.argon.bench.archive.ArchiveThroughput}, a main
 * class; docs/PERFORMANCE.md, "Backup and restore"), history compaction's local bytes, segment reads (from the
 * folder tier or S3) and the backup of a compacted directory ({@link dev.argon.bench.archive.TieredHistory};
 * "History compaction"), and whether a trained zstd dictionary pays for real segments at their block size
 * ({@link dev.argon.bench.archive.SegmentDictionary}; "A trained dictionary at the segments' 32 KiB blocks").
 * Single-threaded measurement code, not thread-safe.
 */
package dev.argon.bench.archive;
