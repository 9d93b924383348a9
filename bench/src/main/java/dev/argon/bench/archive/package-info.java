/**
 * Backup and restore throughput to a local folder ({@link dev.argon.bench.archive.ArchiveThroughput}, a main
 * class; docs/PERFORMANCE.md, "Backup and restore"), and history compaction's local bytes and segment reads
 * ({@link dev.argon.bench.archive.TieredHistory}; "History compaction"). Single-threaded measurement code, not thread-safe.
 */
package dev.argon.bench.archive;
