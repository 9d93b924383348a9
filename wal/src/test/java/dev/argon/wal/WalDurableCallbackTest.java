package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link Wal#whenDurable}: a journaled reply's wait without a parked thread. The callback runs only once an fsync
 * that started after the write has finished, callbacks arriving during one fsync share the next, a failed fsync
 * fails every waiting callback, and closing the WAL leaves none waiting.
 */
class WalDurableCallbackTest extends WalFixture {

    private CommitResult put(String key) {
        return wal.commit(new CommitRequest(Branch.MAIN_ID, "t", null, false, List.of(insert(key, v(key)))));
    }

    /** A callback that records its outcome and the thread it ran on. */
    private static final class Outcome implements java.util.function.Consumer<RuntimeException> {
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        final AtomicReference<Thread> thread = new AtomicReference<>();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void accept(RuntimeException e) {
            failure.set(e);
            thread.set(Thread.currentThread());
            calls.incrementAndGet();
            done.countDown();
        }

        void await() throws InterruptedException {
            assertTrue(done.await(60, TimeUnit.SECONDS), "the callback never ran");
        }
    }

    @Test
    void callbacksRunOnlyAfterTheirFsyncAndThoseArrivingDuringOneShareTheNext() throws Exception {
        GatedSync gate = new GatedSync(false);
        wal.faults(gate);
        long before = wal.syncCount();
        Outcome first = new Outcome();
        wal.whenDurable(put("first").endLsn(), first);
        // The syncer's own thread starts the fsync: nobody called awaitDurable.
        assertTrue(gate.entered.await(60, TimeUnit.SECONDS), "no fsync started for a waiting callback");
        List<Outcome> later = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Outcome o = new Outcome();
            wal.whenDurable(put("k" + i).endLsn(), o);
            later.add(o);
        }
        Thread.sleep(100);
        assertEquals(1, first.done.getCount(), "a callback ran before its fsync finished");
        for (Outcome o : later) {
            assertEquals(1, o.done.getCount(), "a callback ran before any fsync covering it");
        }
        gate.release.countDown();
        first.await();
        assertNull(first.failure.get());
        for (Outcome o : later) {
            o.await();
            assertNull(o.failure.get());
            assertEquals(1, o.calls.get());
        }
        // The held fsync covers the first write; one more covers all eight written while it was held.
        assertEquals(2, wal.syncCount() - before, "fsyncs for nine callbacks");
    }

    @Test
    void aLoneJournaledWriterNeverWaitsForCompany() throws Exception {
        for (int i = 0; i < 20; i++) {
            Outcome o = new Outcome();
            wal.whenDurable(put("solo" + i).endLsn(), o);
            o.await();
            assertNull(o.failure.get());
        }
        assertEquals(0, wal.syncGathers().rounds(), "a writer alone waited for others before its fsync");
    }

    @Test
    void afterARoundOfManyTheNextFsyncWaitsForCompanyButNeverStrandsAWriter() throws Exception {
        wal.syncGatherNanosForTests(TimeUnit.MILLISECONDS.toNanos(20));
        // A round of eight: the first fsync is held while eight journaled writes queue behind it.
        GatedSync gate = new GatedSync(false);
        wal.faults(gate);
        Outcome first = new Outcome();
        wal.whenDurable(put("first").endLsn(), first);
        assertTrue(gate.entered.await(60, TimeUnit.SECONDS), "no fsync started for a waiting callback");
        List<Outcome> eight = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Outcome o = new Outcome();
            wal.whenDurable(put("k" + i).endLsn(), o);
            eight.add(o);
        }
        gate.release.countDown();
        first.await();
        for (Outcome o : eight) {
            o.await();
        }
        assertEquals(0, wal.syncGathers().rounds(), "the first rounds had nothing to expect");
        // Now writers come back one at a time, each waiting for its reply: fewer than the eight the last round
        // had, so the sync thread waits for company, gives up at its bound and still answers each one.
        for (int i = 0; i < 3; i++) {
            Outcome o = new Outcome();
            wal.whenDurable(put("again" + i).endLsn(), o);
            o.await();
            assertNull(o.failure.get());
            assertEquals(1, o.calls.get());
        }
        SyncGathers g = wal.syncGathers();
        assertTrue(g.rounds() >= 1, "the round after eight callbacks did not wait for more: " + g);
        assertEquals(g.rounds(), g.timeouts(), "a round found the eight writers it waited for: " + g);
    }

    @Test
    void anAlreadyDurableLsnRunsTheCallbackAtOnceOnTheCallingThread() throws Exception {
        CommitResult r = put("a");
        wal.awaitDurable(r.endLsn());
        Outcome o = new Outcome();
        wal.whenDurable(r.endLsn(), o);
        assertEquals(0, o.done.getCount(), "not run at once");
        assertSame(Thread.currentThread(), o.thread.get());
        assertNull(o.failure.get());
    }

    @Test
    void aBlockingWaitersSyncAlsoCompletesCallbacks() throws Exception {
        GatedSync gate = new GatedSync(false);
        wal.faults(gate);
        Outcome o = new Outcome();
        wal.whenDurable(put("a").endLsn(), o);
        assertTrue(gate.entered.await(60, TimeUnit.SECONDS));
        CommitResult b = put("b");
        Outcome second = new Outcome();
        wal.whenDurable(b.endLsn(), second);
        gate.release.countDown();
        // A journaled writer's own wait covers "b" too; its callback runs whichever thread synced.
        wal.awaitDurable(b.endLsn());
        o.await();
        second.await();
        assertNull(o.failure.get());
        assertNull(second.failure.get());
    }

    @Test
    void aFailedFsyncFailsEveryWaitingCallbackAndEveryLaterOne() throws Exception {
        GatedSync gate = new GatedSync(true);
        wal.faults(gate);
        Outcome first = new Outcome();
        wal.whenDurable(put("first").endLsn(), first);
        assertTrue(gate.entered.await(60, TimeUnit.SECONDS));
        Outcome second = new Outcome();
        wal.whenDurable(put("second").endLsn(), second);
        gate.release.countDown();
        first.await();
        second.await();
        for (Outcome o : List.of(first, second)) {
            assertNotNull(o.failure.get(), "a callback was told its write is durable after a failed fsync");
            assertEquals(WalException.Kind.UNHEALTHY, ((WalException) o.failure.get()).kind(), o.failure.get().toString());
        }
        wal.faults(null);
        // The store refuses every later write; a callback for an LSN written before the failure is refused too.
        Outcome late = new Outcome();
        wal.whenDurable(wal.lastLsn(), late);
        late.await();
        assertNotNull(late.failure.get());
    }

    @Test
    void closingTheWalCompletesEveryWaitingCallback() throws Exception {
        wal.faults(new WalFaults() {
            @Override
            public void beforeSync() {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        List<Outcome> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Outcome o = new Outcome();
            wal.whenDurable(put("c" + i).endLsn(), o);
            all.add(o);
        }
        wal.close();
        for (Outcome o : all) {
            o.await();
            assertNull(o.failure.get(), "the final sync of close covers every write");
        }
        wal = Wal.open(dir);
        for (int i = 0; i < 5; i++) {
            assertNotNull(wal.get(wal.headView(Branch.MAIN_ID), k("c" + i)));
        }
    }
}
