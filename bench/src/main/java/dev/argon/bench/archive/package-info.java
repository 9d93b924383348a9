/**
 * Backup and restore throughput to a local folder ({@link dev.argon.bench.archive.ArchiveThroughput}, a main
 * class; docs/PERFORMANCE.md, "Backup and restore"). Single-threaded measurement code, not thread-safe.
 */
package dev.argon.bench.archive;
