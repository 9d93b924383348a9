package dev.argon.wal;

import java.io.IOException;

/**
 * A seam for tests that need a storage failure or a controlled schedule the real disk will not give on
 * demand: a failed or slow fsync, a failed write. Installed with {@link Wal#faults(WalFaults)}; the default
 * does nothing. An {@link IOException} thrown here is handled exactly as the same failure reported by RocksDB
 * (see {@link WalHealth}). Implementations must be thread-safe: they are called from committing threads and
 * from the background sync.
 */
public interface WalFaults {
    /** Injects nothing. */
    WalFaults NONE = new WalFaults() {};

    /** Called before each WAL fsync; throwing fails that fsync, blocking delays it. */
    default void beforeSync() throws IOException {}

    /** Called before each RocksDB write of a commit or metadata change; throwing fails that write. */
    default void beforeWrite() throws IOException {}
}
