package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * Group commit: concurrent commits on many branches get distinct, contiguous LSN ranges in commit order and are
 * written by one leader in few RocksDB writes; a failed group write fails every member; an invalid member
 * fails alone.
 */
class GroupCommitTest extends WalFixture {

    private CommitResult put(int branchId, boolean sync, String... keys) {
        List<LogEntry> entries = new ArrayList<>();
        for (String key : keys) {
            entries.add(insert(key, v(key)));
        }
        return wal.commit(new CommitRequest(branchId, "t", null, sync, entries));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test's schedule did not happen within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until n commits are queued behind the held leader. */
    private void awaitWaiting(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (wal.waitingCommits() < n) {
            assertTrue(System.nanoTime() < deadline, "only " + wal.waitingCommits() + " of " + n + " commits queued");
            Thread.sleep(1);
        }
    }

    private static Thread start(Runnable r, List<Throwable> errors) {
        Thread t = new Thread(() -> {
            try {
                r.run();
            } catch (Throwable e) {
                synchronized (errors) {
                    errors.add(e);
                }
            }
        });
        t.start();
        return t;
    }

    /**
     * Counts RocksDB writes; the first one blocks until released, so that commits queue behind its leader. Once
     * released, the write numbered {@code failFrom} and later ones fail (0: none fails).
     */
    private static final class HeldWrite implements WalFaults {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger writes = new AtomicInteger();
        final int failFrom;

        HeldWrite(int failFrom) {
            this.failFrom = failFrom;
        }

        @Override
        public void beforeWrite() throws IOException {
            int n = writes.incrementAndGet();
            if (n == 1) {
                entered.countDown();
                await(release);
            }
            if (failFrom > 0 && n >= failFrom) {
                throw new IOException("Input/output error");
            }
        }
    }

    private List<Branch> branches(int n) {
        List<Branch> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(wal.createBranch("b" + i, Branch.MAIN_ID, Long.MAX_VALUE, "t"));
        }
        return out;
    }

    @Test
    void concurrentCommitsOnManyBranchesGetContiguousRangesInCommitOrderAndSurviveReopen() throws Exception {
        List<Branch> bs = branches(6);
        int threadsPerBranch = 3;
        int commitsPerThread = 150;
        // As the engine does: a branch's write lock is held across its commit, so one request per branch is in flight.
        Map<Integer, ReentrantLock> locks = new HashMap<>();
        Map<Integer, List<CommitResult>> completed = new ConcurrentHashMap<>();
        Map<Integer, Map<String, Long>> written = new ConcurrentHashMap<>();
        for (Branch b : bs) {
            locks.put(b.id(), new ReentrantLock());
            completed.put(b.id(), new ArrayList<>());
            written.put(b.id(), new ConcurrentHashMap<>());
        }
        long before = wal.lastLsn();
        GroupCommitStats statsBefore = wal.groupCommitStats();
        List<Throwable> errors = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (Branch b : bs) {
            for (int t = 0; t < threadsPerBranch; t++) {
                int thread = t;
                threads.add(start(() -> {
                    await(go);
                    for (int i = 0; i < commitsPerThread; i++) {
                        String[] keys = new String[1 + (i % 3)];
                        for (int j = 0; j < keys.length; j++) {
                            keys[j] = "b" + b.id() + "-t" + thread + "-" + i + "-" + j;
                        }
                        ReentrantLock lock = locks.get(b.id());
                        lock.lock();
                        try {
                            CommitResult r = put(b.id(), (i % 10) == 0, keys);
                            assertEquals(keys.length, r.endLsn() - r.startLsn() + 1, "one LSN per entry");
                            completed.get(b.id()).add(r);
                            for (int j = 0; j < keys.length; j++) {
                                written.get(b.id()).put(keys[j], r.startLsn() + j);
                            }
                        } finally {
                            lock.unlock();
                        }
                    }
                }, errors));
            }
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), errors);

        List<CommitResult> all = new ArrayList<>();
        completed.values().forEach(all::addAll);
        int commits = bs.size() * threadsPerBranch * commitsPerThread;
        assertEquals(commits, all.size());
        all.sort(Comparator.comparingLong(CommitResult::startLsn));
        long next = before + 1;
        for (CommitResult r : all) {
            assertEquals(next, r.startLsn(), "ranges are distinct and leave no gap");
            next = r.endLsn() + 1;
        }
        assertEquals(next - 1, wal.lastLsn());
        for (Branch b : bs) {
            List<CommitResult> mine = completed.get(b.id());
            for (int i = 1; i < mine.size(); i++) {
                assertTrue(mine.get(i).startLsn() > mine.get(i - 1).endLsn(), "LSN order is completion order on branch " + b.name());
            }
            assertEquals(mine.get(mine.size() - 1).endLsn(), wal.branch(b.id()).headLsn(), "head of " + b.name());
        }
        GroupCommitStats stats = wal.groupCommitStats();
        assertEquals(commits, stats.commits() - statsBefore.commits());
        assertTrue(stats.groups() - statsBefore.groups() <= commits, stats.toString());

        Map<Integer, Long> heads = new HashMap<>();
        bs.forEach(b -> heads.put(b.id(), wal.branch(b.id()).headLsn()));
        long last = wal.lastLsn();
        wal.close();
        wal = Wal.open(dir);
        assertEquals(last, wal.lastLsn());
        for (Branch b : bs) {
            assertEquals(heads.get(b.id()), wal.branch(b.id()).headLsn(), "head of " + b.name() + " after reopen");
            ReadView head = wal.headView(b.id());
            for (Map.Entry<String, Long> e : written.get(b.id()).entrySet()) {
                assertArrayEquals(v(e.getKey()), wal.get(head, k(e.getKey())), e.getKey());
            }
            // Another branch's keys are not visible here.
            Branch other = bs.get((bs.indexOf(b) + 1) % bs.size());
            String foreign = written.get(other.id()).keySet().iterator().next();
            assertEquals(null, wal.get(head, k(foreign)));
        }
        for (CommitResult r : all.subList(0, 50)) {
            assertEquals(r.endLsn() - r.startLsn() + 1, wal.logRange(r.startLsn(), r.endLsn()).size());
        }
    }

    @Test
    void commitsQueuedBehindAHeldWriteAreWrittenTogether() throws Exception {
        List<Branch> bs = branches(20);
        HeldWrite hook = new HeldWrite(0);
        wal.faults(hook);
        GroupCommitStats statsBefore = wal.groupCommitStats();
        List<Throwable> errors = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        Map<Integer, CommitResult> results = new ConcurrentHashMap<>();
        threads.add(start(() -> results.put(Branch.MAIN_ID, put(Branch.MAIN_ID, true, "first")), errors));
        await(hook.entered);
        for (Branch b : bs) {
            threads.add(start(() -> results.put(b.id(), put(b.id(), b.id() % 2 == 0, "k" + b.id())), errors));
        }
        awaitWaiting(bs.size());
        hook.release.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), errors);
        // One write for the held leader, one for the 20 queued behind it; one write per commit would be 21.
        assertEquals(2, hook.writes.get(), "RocksDB writes for " + (bs.size() + 1) + " commits");
        GroupCommitStats stats = wal.groupCommitStats();
        assertEquals(2, stats.groups() - statsBefore.groups());
        assertEquals(bs.size() + 1, stats.commits() - statsBefore.commits());
        assertEquals(2, stats.idle() - statsBefore.idle());
        long first = results.get(Branch.MAIN_ID).endLsn();
        List<Long> starts = new ArrayList<>();
        for (Branch b : bs) {
            CommitResult r = results.get(b.id());
            starts.add(r.startLsn());
            assertEquals(r.endLsn(), wal.branch(b.id()).headLsn());
            assertArrayEquals(v("k" + b.id()), wal.get(wal.headView(b.id()), k("k" + b.id())));
        }
        starts.sort(Long::compare);
        for (int i = 0; i < starts.size(); i++) {
            assertEquals(first + 1 + i, starts.get(i), "the queued commits follow the first, one LSN each");
        }
    }

    @Test
    void aGroupStopsAtTheByteBoundAndCountsItAsFull() throws Exception {
        List<Branch> bs = branches(6);
        HeldWrite hook = new HeldWrite(0);
        wal.faults(hook);
        GroupCommitStats statsBefore = wal.groupCommitStats();
        // Each request is estimated a little over a third of the bound (its payload goes to the log and the
        // versions), so two fit in a group and three do not.
        byte[] big = new byte[(int) (GroupCommit.MAX_GROUP_BYTES / 6)];
        List<Throwable> errors = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        threads.add(start(() -> put(Branch.MAIN_ID, false, "first"), errors));
        await(hook.entered);
        for (Branch b : bs) {
            threads.add(start(() -> wal.commit(new CommitRequest(b.id(), "t", null, false, List.of(insert("big", big)))), errors));
        }
        awaitWaiting(bs.size());
        hook.release.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), errors);
        assertEquals(1 + 3, hook.writes.get(), "the held write, then three groups of two");
        GroupCommitStats stats = wal.groupCommitStats();
        assertEquals(2, stats.full() - statsBefore.full(), stats.toString());
        assertEquals(2, stats.idle() - statsBefore.idle(), stats.toString());
        for (Branch b : bs) {
            assertArrayEquals(big, wal.get(wal.headView(b.id()), k("big")));
        }
    }

    @Test
    void aFailedGroupWriteFailsEveryMemberAndMarksTheStoreFailed() throws Exception {
        List<Branch> bs = branches(8);
        HeldWrite hook = new HeldWrite(2);
        wal.faults(hook);
        List<Throwable> errors = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<CommitResult> ok = new ArrayList<>();
        threads.add(start(() -> ok.add(put(Branch.MAIN_ID, false, "first")), new ArrayList<>()));
        await(hook.entered);
        for (Branch b : bs) {
            threads.add(start(() -> put(b.id(), b.id() % 2 == 0, "k"), errors));
        }
        awaitWaiting(bs.size());
        hook.release.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(1, ok.size(), "the held write itself succeeded");
        assertEquals(bs.size(), errors.size(), "every member of the failed group gets an error: " + errors);
        for (Throwable e : errors) {
            assertEquals(WalException.Kind.UNHEALTHY, ((WalException) e).kind(), e.toString());
        }
        assertEquals(WalHealth.State.FAILED, wal.health().state());
        assertEquals(ok.get(0).endLsn(), wal.lastLsn(), "the failed group used no LSN");
        for (Branch b : bs) {
            assertEquals(b.headLsn(), wal.branch(b.id()).headLsn(), "no head moved");
        }
        wal.faults(null);
        assertEquals(WalException.Kind.UNHEALTHY, assertThrows(WalException.class, () -> put(Branch.MAIN_ID, false, "later")).kind());
        wal.close();
        wal = Wal.open(dir);
        assertEquals(ok.get(0).endLsn(), wal.lastLsn());
        for (Branch b : bs) {
            assertEquals(null, wal.get(wal.headView(b.id()), k("k")));
        }
    }

    @Test
    void anInvalidMemberFailsAloneAndTheRestOfItsGroupCommits() throws Exception {
        List<Branch> bs = branches(4);
        Branch dropped = wal.createBranch("dropped", Branch.MAIN_ID, Long.MAX_VALUE, "t");
        wal.dropBranch(dropped.id());
        HeldWrite hook = new HeldWrite(0);
        wal.faults(hook);
        List<Throwable> retired = new ArrayList<>();
        List<Throwable> empty = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        threads.add(start(() -> put(Branch.MAIN_ID, false, "first"), errors));
        await(hook.entered);
        threads.add(start(() -> put(bs.get(0).id(), false, "a"), errors));
        awaitWaiting(1);
        threads.add(start(() -> put(dropped.id(), true, "x"), retired));
        awaitWaiting(2);
        threads.add(start(() -> put(bs.get(1).id(), true, "b"), errors));
        awaitWaiting(3);
        threads.add(start(() -> wal.commit(new CommitRequest(bs.get(2).id(), "t", null, false, List.of())), empty));
        awaitWaiting(4);
        threads.add(start(() -> put(bs.get(3).id(), false, "d"), errors));
        awaitWaiting(5);
        long lastBefore = wal.lastLsn();
        hook.release.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), errors);
        assertEquals(BranchException.Kind.RETIRED, ((BranchException) retired.get(0)).kind());
        assertTrue(empty.get(0) instanceof IllegalArgumentException, empty.toString());
        assertEquals(2, hook.writes.get());
        assertEquals(WalHealth.State.HEALTHY, wal.health().state());
        // "first", then a, b, d in queue order; the refused ones took no LSN.
        assertEquals(lastBefore + 4, wal.lastLsn());
        assertEquals(lastBefore + 2, wal.branch(bs.get(0).id()).headLsn());
        assertEquals(lastBefore + 3, wal.branch(bs.get(1).id()).headLsn());
        assertEquals(bs.get(2).headLsn(), wal.branch(bs.get(2).id()).headLsn());
        assertEquals(lastBefore + 4, wal.branch(bs.get(3).id()).headLsn());
        assertEquals(dropped.headLsn(), wal.branch(dropped.id()).headLsn());
    }

    @Test
    void aQueuedCommitBuiltOnOneThatFailsFailsTooAndOneBuiltOnAWrittenOneIsWritten() throws Exception {
        HeldWrite hook = new HeldWrite(0);
        wal.faults(hook);
        List<Throwable> errors = new ArrayList<>();
        Thread first = start(() -> put(Branch.MAIN_ID, false, "first"), errors);
        await(hook.entered);
        // Queued behind the held write, in this order, on one branch: a request that fails alone (no entries), one
        // evaluated after it, one evaluated after that, and one evaluated after the held (successful) write's
        // successor "ok", which is queued before them.
        PendingCommit ok = wal.enqueue(new CommitRequest(Branch.MAIN_ID, "t", null, false, List.of(insert("ok", v("ok")))), null);
        PendingCommit bad = wal.enqueue(new CommitRequest(Branch.MAIN_ID, "t", null, false, List.of()), ok);
        PendingCommit onBad = wal.enqueue(new CommitRequest(Branch.MAIN_ID, "t", null, false, List.of(insert("x", v("x")))), bad);
        PendingCommit onOnBad = wal.enqueue(new CommitRequest(Branch.MAIN_ID, "t", null, false, List.of(insert("y", v("y")))), onBad);
        PendingCommit onOk = wal.enqueue(new CommitRequest(Branch.MAIN_ID, "t", null, false, List.of(insert("z", v("z")))), ok);
        assertEquals(5, wal.waitingCommits());
        long lastBefore = wal.lastLsn();
        hook.release.countDown();
        first.join();
        assertEquals(List.of(), errors);
        CommitResult okResult = ok.await();
        assertThrows(IllegalArgumentException.class, bad::await);
        BranchException e1 = assertThrows(BranchException.class, onBad::await);
        assertEquals(BranchException.Kind.RETIRED, e1.kind());
        assertTrue(e1.getMessage().contains("evaluated after failed"), e1.getMessage());
        assertEquals(BranchException.Kind.RETIRED, assertThrows(BranchException.class, onOnBad::await).kind());
        CommitResult zResult = onOk.await();
        assertTrue(ok.done() && onOnBad.done());
        // "first" (held while lastBefore was read), then ok and z: the failed ones took no LSN and wrote nothing.
        assertEquals(lastBefore + 3, wal.lastLsn());
        assertEquals(lastBefore + 2, okResult.endLsn());
        assertEquals(lastBefore + 3, zResult.endLsn());
        assertEquals(lastBefore + 3, wal.branch(Branch.MAIN_ID).headLsn());
        assertEquals(null, wal.get(wal.headView(Branch.MAIN_ID), k("x")));
        assertEquals(null, wal.get(wal.headView(Branch.MAIN_ID), k("y")));
        assertArrayEquals(v("z"), wal.get(wal.headView(Branch.MAIN_ID), k("z")));
        assertEquals(WalHealth.State.HEALTHY, wal.health().state());
    }
}
