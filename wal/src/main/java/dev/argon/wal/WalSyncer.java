package dev.argon.wal;

import org.rocksdb.RocksDBException;

/**
 * Group fsync of the RocksDB WAL. Commits are written unsynced (they survive a killed process, since the
 * bytes are in the kernel's page cache); a client that asks for {@code j: true} waits here until a WAL sync
 * that started after its write has finished. One caller syncs while the others wait and are covered by the
 * same fsync, so N concurrent journaled writers pay about one fsync per round, not N. A background tick also
 * syncs every {@link #INTERVAL_MS} ms, as mongod's journal does, to bound what a power loss can take.
 * Thread-safe.
 */
final class WalSyncer {
    /** mongod's default journal commit interval. */
    static final long INTERVAL_MS = 100;

    private final WalDb db;
    private long writtenLsn;
    private long syncedLsn;
    private boolean syncing;
    private long syncs;

    WalSyncer(WalDb db, long lsn) {
        this.db = db;
        this.writtenLsn = lsn;
        this.syncedLsn = lsn;
    }

    synchronized void written(long lsn) {
        writtenLsn = Math.max(writtenLsn, lsn);
    }

    /** Blocks until everything up to lsn is on stable storage. */
    void awaitSynced(long lsn) {
        long target;
        synchronized (this) {
            while (syncedLsn < lsn) {
                if (!syncing) {
                    break;
                }
                waitQuietly();
            }
            if (syncedLsn >= lsn) {
                return;
            }
            syncing = true;
            target = writtenLsn;
        }
        boolean ok = false;
        try {
            db.db().syncWal();
            ok = true;
        } catch (RocksDBException e) {
            throw new WalException("WAL fsync failed: " + e.getMessage(), -1, lsn, e);
        } finally {
            synchronized (this) {
                syncing = false;
                if (ok) {
                    syncedLsn = Math.max(syncedLsn, target);
                    syncs++;
                }
                notifyAll();
            }
        }
        if (syncedLsn < lsn) {
            awaitSynced(lsn);
        }
    }

    /** Syncs whatever was written since the last sync; called by the background tick. */
    void tick() {
        long target;
        synchronized (this) {
            target = writtenLsn;
            if (target <= syncedLsn) {
                return;
            }
        }
        awaitSynced(target);
    }

    synchronized long syncs() {
        return syncs;
    }

    private void waitQuietly() {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WalException("interrupted while waiting for the WAL fsync", -1, -1, e);
        }
    }
}
