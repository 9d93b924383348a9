package dev.argon.wal;

/**
 * What one GC pass reclaimed, or would have (dry run). {@code bytes} is the sum of the deleted keys' and values'
 * sizes: an estimate of the space RocksDB frees once it compacts them away. {@code deferred} is true when reads
 * that began before the pass were still open after the wait, so nothing was deleted this time (the marks stand,
 * the next pass deletes). Immutable.
 */
public record GcReport(boolean dryRun, boolean deferred, long planLsn, long horizon, long versions, long logEntries, long commits,
                       long branchRecords, long bytes, int unreachableBranches, int reclaimedBranches, long millis) {}
