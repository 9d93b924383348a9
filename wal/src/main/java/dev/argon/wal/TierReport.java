package dev.argon.wal;

/**
 * What one history compaction pass did.
 *
 * @param cutoffLsn     versions at or below it could move (the last commit older than the hot window)
 * @param versions      versions moved out of RocksDB into segments
 * @param bytes         their key and value bytes
 * @param stubs         stub entries now standing for them (runs merged with earlier passes' stubs count once)
 * @param segments      segments stored (of versions and of the log)
 * @param segmentBytes  their bytes in the store
 * @param totalSegments segments the tier catalog names after the pass (both kinds)
 * @param millis        wall time of the pass
 * @param logEntries    log entries moved out of RocksDB into log segments
 * @param logSegments   of the segments stored, those of log entries
 */
public record TierReport(long cutoffLsn, long versions, long bytes, long stubs, long segments, long segmentBytes,
                         long totalSegments, long millis, long logEntries, long logSegments) {}
