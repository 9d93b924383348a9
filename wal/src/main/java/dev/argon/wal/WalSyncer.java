package dev.argon.wal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
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
    private final ReentrantLock lock = new ReentrantLock();
    /** Callers sleeping until a sync covers them, or until it is their turn to sync. */
    private final List<Waiter> waiters = new ArrayList<>();
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
    long written(long lsn) {
        lock.lock();
        try {
            writtenLsn = Math.max(writtenLsn, lsn);
            return ++writtenSeq;
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until every commit up to lsn is on stable storage. */
    void awaitLsn(long lsn) {
        long seq;
        lock.lock();
        try {
            if (syncedLsn >= lsn) {
                return;
            }
            // Whatever wrote lsn was handed a sequence number no later than the current one.
            seq = writtenSeq;
        } finally {
            lock.unlock();
        }
        awaitSeq(seq);
    }

    /** Blocks until the write with sequence number seq (and everything before it) is on stable storage. */
    void awaitSeq(long seq) {
        while (true) {
            long target;
            long targetLsn;
            lock.lock();
            try {
                while (true) {
                    if (syncedSeq >= seq) {
                        return;
                    }
                    // Also wakes the writers that waited on a sync that just failed.
                    health.checkSyncable(writtenLsn);
                    if (!syncing) {
                        break;
                    }
                    waitForSync(seq);
                }
                syncing = true;
                target = writtenSeq;
                targetLsn = writtenLsn;
            } finally {
                lock.unlock();
            }
            boolean ok = false;
            try {
                faults.beforeSync();
                db.db().syncWal();
                ok = true;
            } catch (RocksDBException | IOException e) {
                throw health.syncFailed(e, targetLsn);
            } finally {
                lock.lock();
                try {
                    syncing = false;
                    if (ok) {
                        syncedSeq = Math.max(syncedSeq, target);
                        syncedLsn = Math.max(syncedLsn, targetLsn);
                        syncs++;
                    }
                    wakeAfterSync(ok);
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /**
     * Wakes, after a sync, the waiters it covered (all of them when it failed, so that they see the failure) and
     * one waiter it did not cover, which starts the next sync. The others sleep on: waking every waiter for every
     * sync, as a single monitor's notifyAll did, cost each uncovered one a context switch per round, which on two
     * cores was CPU taken from the writers. Caller holds the lock.
     */
    private void wakeAfterSync(boolean ok) {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (!ok || w.seq <= syncedSeq) {
                it.remove();
                w.wake();
            }
        }
        wakeNext();
    }

    /** Wakes the waiter with the lowest sequence number, to run the next sync. Caller holds the lock. */
    private void wakeNext() {
        Waiter next = null;
        for (Waiter w : waiters) {
            if (next == null || w.seq < next.seq) {
                next = w;
            }
        }
        if (next != null) {
            waiters.remove(next);
            next.wake();
        }
    }

    /** Sleeps until a sync wakes this caller; caller holds the lock (released while sleeping). */
    private void waitForSync(long seq) {
        Waiter me = new Waiter(seq, lock.newCondition());
        waiters.add(me);
        try {
            while (!me.woken) {
                me.condition.await();
            }
        } catch (InterruptedException e) {
            if (me.woken && !syncing) {
                // Woken to run the next sync, but leaving: another waiter runs it, or the uncovered ones would
                // sleep until the next writer or the background tick.
                wakeNext();
            }
            Thread.currentThread().interrupt();
            throw new WalException("interrupted while waiting for the WAL fsync", -1, -1, e);
        } finally {
            if (!me.woken) {
                waiters.remove(me);
            }
        }
    }

    /** A caller waiting for a sync that covers its sequence number. Guarded by the syncer's lock. */
    private static final class Waiter {
        final long seq;
        final Condition condition;
        boolean woken;

        Waiter(long seq, Condition condition) {
            this.seq = seq;
            this.condition = condition;
        }

        void wake() {
            woken = true;
            condition.signal();
        }
    }

    /** Syncs whatever was written since the last sync; called by the background tick. */
    void tick() {
        long target;
        lock.lock();
        try {
            target = writtenSeq;
            if (target <= syncedSeq || health.failed()) {
                return;
            }
        } finally {
            lock.unlock();
        }
        awaitSeq(target);
    }

    long syncs() {
        lock.lock();
        try {
            return syncs;
        } finally {
            lock.unlock();
        }
    }
}
