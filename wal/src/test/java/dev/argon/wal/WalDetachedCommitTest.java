package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link PendingCommit#detach}: a queued commit whose thread does not wait. The WAL's writer thread leads its group,
 * the callback sees the commit written and its head moved, LSN order stays queue order with waiting committers
 * mixed in, a failed write reaches every callback, and closing the WAL leaves no callback without an outcome.
 */
class WalDetachedCommitTest extends WalFixture {

    private PendingCommit enqueue(String key) {
        return wal.enqueue(new CommitRequest(Branch.MAIN_ID, "t", null, false, List.of(insert(key, v(key)))), null);
    }

    /** A callback that records what it got, where, and whether the commit was readable when it ran. */
    private final class Outcome implements java.util.function.BiConsumer<CommitResult, RuntimeException> {
        final String key;
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicReference<CommitResult> result = new AtomicReference<>();
        final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        final AtomicReference<String> thread = new AtomicReference<>();
        volatile boolean visible;

        Outcome(String key) {
            this.key = key;
        }

        @Override
        public void accept(CommitResult r, RuntimeException e) {
            result.set(r);
            failure.set(e);
            thread.set(Thread.currentThread().getName());
            if (r != null) {
                byte[] got = wal.get(wal.headView(Branch.MAIN_ID), k(key));
                visible = got != null && java.util.Arrays.equals(got, v(key));
            }
            done.countDown();
        }

        void await() throws InterruptedException {
            assertTrue(done.await(60, TimeUnit.SECONDS), "the detached commit of " + key + " never finished");
        }
    }

    @Test
    void detachedCommitsAreWrittenByTheWriterThreadAndVisibleWhenTheirCallbackRuns() throws Exception {
        List<Outcome> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Outcome o = new Outcome("d" + i);
            enqueue(o.key).detach(o);
            all.add(o);
        }
        long last = 0;
        boolean byWriter = false;
        for (Outcome o : all) {
            o.await();
            assertNull(o.failure.get());
            assertNotNull(o.result.get());
            assertTrue(o.visible, "the callback of " + o.key + " ran before its head moved");
            assertTrue(o.result.get().startLsn() > last, "LSN order is not queue order at " + o.key);
            last = o.result.get().endLsn();
            byWriter |= o.thread.get().equals("argon-wal-writer");
        }
        assertTrue(byWriter, "no detached commit was written by the WAL's writer thread");
        GroupCommitStats g = wal.groupCommitStats();
        assertTrue(g.groups() < g.commits(), "200 commits queued without waiting formed no group larger than one: " + g);
    }

    @Test
    void detachedAndWaitingCommittersShareTheQueueInOrder() throws Exception {
        List<Outcome> detached = new ArrayList<>();
        List<Thread> waiting = new ArrayList<>();
        List<CommitResult> waited = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            int n = t;
            Thread th = new Thread(() -> {
                for (int i = 0; i < 50; i++) {
                    waited.add(enqueue("w" + n + "-" + i).await());
                }
            });
            th.start();
            waiting.add(th);
        }
        for (int i = 0; i < 200; i++) {
            Outcome o = new Outcome("d" + i);
            enqueue(o.key).detach(o);
            detached.add(o);
        }
        for (Thread th : waiting) {
            th.join(60_000);
        }
        java.util.TreeSet<Long> starts = new java.util.TreeSet<>();
        for (Outcome o : detached) {
            o.await();
            assertNull(o.failure.get());
            assertTrue(o.visible);
            assertTrue(starts.add(o.result.get().startLsn()));
        }
        for (CommitResult r : waited) {
            assertTrue(starts.add(r.startLsn()), "two commits got the same LSN");
        }
        assertEquals(400, starts.size());
        assertEquals(wal.lastLsn(), wal.branch(Branch.MAIN_ID).headLsn());
        for (int i = 0; i < 200; i++) {
            assertArrayEquals(v("d" + i), wal.get(wal.headView(Branch.MAIN_ID), k("d" + i)));
        }
    }

    @Test
    void aFailedWriteReachesTheCallbackOfEveryDetachedCommitInItsGroup() throws Exception {
        wal.faults(new WalFaults() {
            @Override
            public void beforeWrite() throws IOException {
                throw new IOException("No space left on device");
            }
        });
        List<Outcome> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Outcome o = new Outcome("f" + i);
            enqueue(o.key).detach(o);
            all.add(o);
        }
        for (Outcome o : all) {
            o.await();
            assertNull(o.result.get());
            assertNotNull(o.failure.get(), "a detached commit of a failed write was reported written");
        }
    }

    @Test
    void aDetachedCommitRefusedAloneGetsItsFailureAndTheRestOfItsGroupIsWritten() throws Exception {
        List<Outcome> all = new ArrayList<>();
        Outcome refused = new Outcome("nobranch");
        for (int i = 0; i < 20; i++) {
            Outcome o = new Outcome("g" + i);
            enqueue(o.key).detach(o);
            all.add(o);
            if (i == 10) {
                // A branch id that names no branch: refused while its group's batch is built, nothing of it written.
                wal.enqueue(new CommitRequest(999, "t", null, false, List.of(insert("nobranch", v("x")))), null).detach(refused);
            }
        }
        refused.await();
        assertNull(refused.result.get());
        assertNotNull(refused.failure.get());
        for (Outcome o : all) {
            o.await();
            assertNull(o.failure.get(), o.key);
            assertTrue(o.visible, o.key);
        }
    }

    @Test
    void closingTheWalGivesEveryDetachedCommitAnOutcome() throws Exception {
        List<Outcome> all = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Outcome o = new Outcome("c" + i);
            enqueue(o.key).detach(o);
            all.add(o);
        }
        wal.close();
        int written = 0;
        for (Outcome o : all) {
            o.await();
            if (o.failure.get() == null) {
                written++;
            }
        }
        // Reopened: exactly the commits reported written are there.
        wal = Wal.open(dir);
        int found = 0;
        for (Outcome o : all) {
            if (wal.get(wal.headView(Branch.MAIN_ID), k(o.key)) != null) {
                found++;
                assertNull(o.failure.get(), o.key + " is in the log but its callback was told it failed");
            }
        }
        assertEquals(written, found);
    }
}
