package dev.argon.wal;

import java.util.Map;

/**
 * What the data directory has written and holds, for benchmarks and status pages. Counters are cumulative since
 * the directory was opened in this process.
 *
 * @param batchBytes bytes of every {@code WriteBatch} handed to RocksDB (keys, values and batch framing), as
 *                   {@code Wal.write} counts them: what Argon asked RocksDB to store
 * @param walFileBytes bytes RocksDB appended to its own write-ahead log files; -1 unless statistics are on
 * @param flushBytes bytes of SST files written by memtable flushes; -1 unless statistics are on
 * @param compactionReadBytes bytes compactions read; -1 unless statistics are on
 * @param compactionWriteBytes bytes compactions wrote; -1 unless statistics are on
 * @param liveSstBytes per column family, the size of the SST files that hold its current data
 */
public record StorageStats(long batchBytes, long walFileBytes, long flushBytes, long compactionReadBytes,
                           long compactionWriteBytes, Map<String, Long> liveSstBytes) {
    /** Every byte written to the device on behalf of the data: RocksDB's log, flushes and compactions. */
    public long deviceWriteBytes() {
        return walFileBytes < 0 ? -1 : walFileBytes + flushBytes + compactionWriteBytes;
    }

    /** The SST bytes of all column families together. */
    public long totalSstBytes() {
        return liveSstBytes.values().stream().mapToLong(Long::longValue).sum();
    }
}
