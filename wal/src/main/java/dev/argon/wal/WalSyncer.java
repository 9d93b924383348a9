package dev.argon.wal;

import java.io.IOException;
import org.rocksdb.RocksDBException;

/**
 * Group fsync of the RocksDB WAL. Commits and metadata changes are written unsynced (they survive a killed
 * process, since the bytes are in the kernel's page cache); a caller that must be durable before it replies
 * ({@code j: true}, every branch and tag change) waits here until a WAL sync that started after its write has
 * finished. One caller syncs while the others wait and are covered by the same fsync, so N concurrent
 * journaled writers pay about one fsync per round, not N. A background tick also syncs every
 * {@link #INTERVAL_MS} ms, as mongod's journal does, to bound what a power loss can take.
 *
 * <p>Positions: every write gets a sequence number from {@link #written(long)}; a sync covers every sequence
 * number handed out before it started. A failed fsync marks the store failed ({@link WalHealth}) and every
 * caller still waiting, or arriving later, gets an error: none of them is acknowledged as durable.
 *
 * <p>Thread-safe.
 */
final class WalSyncer {
    /** mongod's default journal commit interval. */
    static final long INTERVAL_MS = 100;

    private final WalDb db;
    private final WalHealth health;
    private volatile WalFaults faults = WalFaults.NONE;
    private long writtenSeq;
    private long syncedSeq;
    private long writtenLsn;
    private long syncedLsn;
    private boolean syncing;
    private long syncs;

    WalSyncer(WalDb db, WalHealth health, long lsn) {
        this.db = db;
        this.health = health;
        this.writtenLsn = lsn;
        this.syncedLsn = lsn;
    }

    void faults(WalFaults f) {
        this.faults = f == null ? WalFaults.NONE : f;
    }

    /** Records a completed write (lsn is the data directory's last LSN after it); returns its sequence number. */
    synchronized long written(long lsn) {
        writtenLsn = Math.max(writtenLsn, lsn);
        return ++writtenSeq;
    }

    /** Blocks until every commit up to lsn is on stable storage. */
    void awaitLsn(long lsn) {
        long seq;
        synchronized (this) {
            if (syncedLsn >= lsn) {
                return;
            }
            // Whatever wrote lsn was handed a sequence number no later than the current one.
            seq = writtenSeq;
        }
        awaitSeq(seq);
    }

    /** Blocks until the write with sequence number seq (and everything before it) is on stable storage. */
    void awaitSeq(long seq) {
        while (true) {
            long target;
            long targetLsn;
            synchronized (this) {
                while (true) {
                    if (syncedSeq >= seq) {
                        return;
                    }
                    // Also wakes the writers that waited on a sync that just failed.
                    health.checkSyncable(writtenLsn);
                    if (!syncing) {
                        break;
                    }
                    waitQuietly();
                }
                syncing = true;
                target = writtenSeq;
                targetLsn = writtenLsn;
            }
            boolean ok = false;
            try {
                faults.beforeSync();
                db.db().syncWal();
                ok = true;
            } catch (RocksDBException | IOException e) {
                throw health.syncFailed(e, targetLsn);
            } finally {
                synchronized (this) {
                    syncing = false;
                    if (ok) {
                        syncedSeq = Math.max(syncedSeq, target);
                        syncedLsn = Math.max(syncedLsn, targetLsn);
                        syncs++;
                    }
                    notifyAll();
                }
            }
        }
    }

    /** Syncs whatever was written since the last sync; called by the background tick. */
    void tick() {
        long target;
        synchronized (this) {
            target = writtenSeq;
            if (target <= syncedSeq || health.failed()) {
                return;
            }
        }
        awaitSeq(target);
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
