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
 * <p>A caller that must not block (a wire reply waiting for {@code j: true}) registers a callback instead
 * ({@link #whenDurable}): the syncer's own thread runs the fsync for such callers, and whichever sync covers a
 * callback's write completes it, on the thread that ran that sync. So a journaled insert holds no thread while
 * its fsync runs, and one wake-up of the sync thread serves every callback that arrived meanwhile.
 *
 * <p>Thread-safe.
 */
final class WalSyncer {
    /** mongod's default journal commit interval. */
    static final long INTERVAL_MS = 100;
    /**
     * Longest the sync thread waits for more journaled writes to arrive before it syncs for the callbacks already
     * waiting (see {@link #gather}). An fsync costs about 100 µs of CPU in the process and as much again in the
     * kernel's journal and block threads on the reference machine, whether it covers one write or thirty; without a
     * wait, 32 journaled clients were covered 4 at a time and the fsyncs took a third of both cores. Half a
     * millisecond is about two fsyncs' time, so a writer waits at most that long for company, and only when the
     * previous round showed there is company to wait for. {@code argon.wal.syncGatherMicros} overrides it (0: off).
     */
    static final long GATHER_NANOS = Long.getLong("argon.wal.syncGatherMicros", 500) * 1000;
    /** {@link #GATHER_NANOS} unless a test changed it. */
    private volatile long gatherNanos = GATHER_NANOS;

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
    /** Callbacks waiting for a sync that covers their sequence number, in arrival order. Guarded by the lock. */
    private final List<Callback> callbacks = new ArrayList<>();
    /** Signalled when a callback arrives that no running or requested sync covers. */
    private final Condition callbackArrived = lock.newCondition();
    /**
     * How many callbacks must be waiting before an arrival wakes the sync thread: 1 while it is idle, more while it
     * gathers ({@link #gather}), so that it is woken once per round and not once per write. Guarded by the lock.
     */
    private int wakeAt = 1;
    /** Callbacks the sync thread's last sync completed: how many it may expect again in the next round. */
    private int lastRound;
    private long gathered;
    private long gatherTimeouts;
    /** Callbacks completed by the sync thread's own latest sync (before the stragglers it completes after it). */
    private int roundCompleted;
    /** The thread that syncs for callbacks; started by {@link #start()}. */
    private Thread syncThread;
    private boolean closed;

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
                    if (closed) {
                        // The final sync of close() covered everything written; the handles may be gone.
                        throw new WalException("the WAL is closed", -1, writtenLsn, null);
                    }
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
            RuntimeException failure = null;
            List<Callback> covered = List.of();
            try {
                faults.beforeSync();
                db.db().syncWal();
                ok = true;
            } catch (RocksDBException | IOException e) {
                failure = health.syncFailed(e, targetLsn);
                throw failure;
            } catch (RuntimeException e) {
                failure = e;
                throw e;
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
                    covered = takeCovered(ok);
                    if (Thread.currentThread() == syncThread) {
                        roundCompleted = covered.size();
                    }
                } finally {
                    lock.unlock();
                }
                complete(covered, ok ? null : failure != null ? failure
                        : new WalException("the WAL fsync failed", -1, targetLsn, null));
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

    /**
     * Before the sync thread syncs for the callbacks waiting: when its last round completed more callbacks than are
     * waiting now, other journaled writers are on their way (their replies went out a moment ago and their next
     * writes are being evaluated), so it waits, up to {@link #GATHER_NANOS}, until as many are waiting as last time;
     * then one fsync covers them all. A lone journaled writer does not wait (its last round was one callback; only the
     * first round after a busier one waits, once), and a round that times out lowers the next one's expectation to
     * what it found. Caller holds the lock, released while
     * waiting; the arrival that completes the round wakes it ({@link #wakeAt}), the others do not.
     */
    private void gather() {
        int want = lastRound;
        long left = gatherNanos;
        if (left <= 0 || want <= 1 || callbacks.size() >= want || health.failed()) {
            return;
        }
        gathered++;
        wakeAt = want;
        try {
            while (!closed && callbacks.size() < want && left > 0) {
                left = callbackArrived.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            // Nothing interrupts the sync thread on purpose; an interrupt only ends the wait early.
        } finally {
            wakeAt = 1;
        }
        if (callbacks.size() < want) {
            gatherTimeouts++;
        }
    }

    /**
     * Calls {@code done} once every commit up to lsn is on stable storage, with null, or with the reason it cannot
     * be (a failed fsync, a failed store); at once, on this thread, when it already is. Never blocks on the fsync:
     * the sync thread runs it, or a blocking caller's sync covers it. {@code done} runs on whichever thread
     * finished the sync, outside the syncer's lock, so it must be short and must not wait for another sync.
     */
    void whenDurable(long lsn, java.util.function.Consumer<RuntimeException> done) {
        lock.lock();
        try {
            if (syncedLsn < lsn && !closed) {
                // As in awaitLsn: whatever wrote lsn was handed a sequence number no later than the current one.
                callbacks.add(new Callback(writtenSeq, done));
                if (callbacks.size() >= wakeAt) {
                    callbackArrived.signal();
                }
                return;
            }
        } finally {
            lock.unlock();
        }
        done.accept(syncedLsn >= lsn ? null : new WalException("the WAL is closed", -1, lsn, null));
    }

    /** Starts the thread that syncs for {@link #whenDurable} callbacks. */
    void start() {
        lock.lock();
        try {
            if (syncThread != null || closed) {
                return;
            }
            syncThread = new Thread(this::syncForCallbacks, "argon-wal-fsync");
            syncThread.setDaemon(true);
            syncThread.start();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The sync thread: sleeps until a callback waits, then syncs up to the newest waiting one (joining a sync
     * already running, as a blocking caller would). A failed store fails every waiting callback at once.
     */
    private void syncForCallbacks() {
        while (true) {
            long seq;
            lock.lock();
            try {
                while (!closed && callbacks.isEmpty()) {
                    callbackArrived.awaitUninterruptibly();
                }
                if (closed) {
                    return;
                }
                gather();
                if (closed) {
                    return;
                }
                if (callbacks.isEmpty()) {
                    // A blocking caller's sync covered them meanwhile.
                    continue;
                }
                seq = callbacks.get(callbacks.size() - 1).seq;
                roundCompleted = 0;
            } finally {
                lock.unlock();
            }
            try {
                awaitSeq(seq);
                // Completes callbacks that a sync covered but nobody completed (they arrived while it ran).
                List<Callback> covered;
                lock.lock();
                try {
                    covered = takeCovered(true);
                    lastRound = roundCompleted + covered.size();
                } finally {
                    lock.unlock();
                }
                complete(covered, null);
            } catch (RuntimeException e) {
                List<Callback> all;
                lock.lock();
                try {
                    all = takeCovered(false);
                } finally {
                    lock.unlock();
                }
                complete(all, e);
            }
        }
    }

    /** Removes and returns the callbacks a sync covered (every one when it failed). Caller holds the lock. */
    private List<Callback> takeCovered(boolean ok) {
        if (callbacks.isEmpty()) {
            return List.of();
        }
        List<Callback> out = new ArrayList<>();
        for (Iterator<Callback> it = callbacks.iterator(); it.hasNext(); ) {
            Callback c = it.next();
            if (!ok || c.seq <= syncedSeq) {
                it.remove();
                out.add(c);
            }
        }
        return out;
    }

    private static void complete(List<Callback> done, RuntimeException failure) {
        for (Callback c : done) {
            try {
                c.done.accept(failure);
            } catch (RuntimeException e) {
                // One caller's callback must not keep the others from their replies.
                org.slf4j.LoggerFactory.getLogger(WalSyncer.class).error("a durability callback failed", e);
            }
        }
    }

    /**
     * Stops the sync thread; after the final sync of the log ({@code synced}: whether it succeeded), completes
     * every callback still waiting, with success when that sync covered it. Callbacks registered later run at once.
     */
    void close(boolean synced) {
        List<Callback> left;
        Thread t;
        lock.lock();
        try {
            closed = true;
            if (synced) {
                syncedSeq = writtenSeq;
                syncedLsn = writtenLsn;
            }
            left = takeCovered(synced);
            callbackArrived.signalAll();
            t = syncThread;
        } finally {
            lock.unlock();
        }
        complete(left, synced ? null : new WalException("the final WAL fsync failed", -1, -1, null));
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A {@link #whenDurable} callback and the sequence number it waits for. */
    private record Callback(long seq, java.util.function.Consumer<RuntimeException> done) {}

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

    /** Tests only: how long a round waits for more writers. */
    void gatherNanos(long nanos) {
        this.gatherNanos = nanos;
    }

    /** Rounds in which the sync thread waited for more journaled writes, and how many of them ended by timeout. */
    SyncGathers gathers() {
        lock.lock();
        try {
            return new SyncGathers(gathered, gatherTimeouts);
        } finally {
            lock.unlock();
        }
    }
}
