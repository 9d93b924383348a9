package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Durability edges of the WAL under a controlled schedule: shared fsyncs, failed fsyncs and writes, branch and
 * tag changes that must be synced before they return, metadata written outside a commit, and commits racing a
 * drop or reset.
 */
class WalDurabilityTest extends WalFixture {

    private CommitResult put(int branchId, String key, boolean sync) {
        return wal.commit(new CommitRequest(branchId, "t", null, sync, List.of(insert(key, v(key)))));
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

    private void awaitLastLsn(long lsn) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (wal.lastLsn() < lsn) {
            assertTrue(System.nanoTime() < deadline, "commits did not reach lsn " + lsn);
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

    @Test
    void journaledWritersQueuedBehindOneFsyncShareTheNext() throws Exception {
        GatedSync gate = new GatedSync(false);
        wal.faults(gate);
        long before = wal.syncCount();
        List<Throwable> errors = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        threads.add(start(() -> put(Branch.MAIN_ID, "first", true), errors));
        await(gate.entered);
        int n = 8;
        for (int i = 0; i < n; i++) {
            String key = "k" + i;
            threads.add(start(() -> put(Branch.MAIN_ID, key, true), errors));
        }
        // All n commits are written while the first fsync is held: each now waits for an fsync.
        awaitLastLsn(1 + n);
        gate.release.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), errors);
        // The held fsync covers the first commit only; one more covers all n. One fsync per commit would be n + 1.
        assertEquals(2, wal.syncCount() - before, "fsyncs for " + (n + 1) + " journaled commits");
    }

    @Test
    void manyJournaledWritersOverManyRoundsAllReturnDurable() throws Exception {
        // Waiters are woken one by one (those a sync covered, plus one to run the next): none may be left asleep.
        long before = wal.syncCount();
        long lsnBefore = wal.lastLsn();
        int threads = 16;
        int each = 150;
        List<Throwable> errors = new ArrayList<>();
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            all.add(start(() -> {
                for (int i = 0; i < each; i++) {
                    CommitResult r = put(Branch.MAIN_ID, "w" + id + "-" + i, true);
                    // Returned, so it must be covered: waiting for it again is immediate.
                    wal.awaitDurable(r.endLsn());
                }
            }, errors));
        }
        for (Thread t : all) {
            t.join(TimeUnit.SECONDS.toMillis(120));
            assertTrue(!t.isAlive(), "a journaled writer never returned");
        }
        assertEquals(List.of(), errors);
        assertEquals(lsnBefore + threads * each, wal.lastLsn(), "every commit landed");
        // Sixteen writers always have commits waiting behind a running fsync, which the next one shares.
        long syncs = wal.syncCount() - before;
        assertTrue(syncs < threads * each, "fsyncs: " + syncs + " for " + threads * each + " journaled commits");
    }

    @Test
    void aFailedFsyncFailsEveryWaiterAndEveryLaterWrite() throws Exception {
        put(Branch.MAIN_ID, "before", false);
        GatedSync gate = new GatedSync(true);
        wal.faults(gate);
        List<Throwable> errors = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        threads.add(start(() -> put(Branch.MAIN_ID, "first", true), errors));
        await(gate.entered);
        int n = 6;
        for (int i = 0; i < n; i++) {
            String key = "k" + i;
            threads.add(start(() -> put(Branch.MAIN_ID, key, true), errors));
        }
        awaitLastLsn(2 + n);
        gate.release.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(n + 1, errors.size(), "every journaled writer gets an error: " + errors);
        for (Throwable e : errors) {
            assertEquals(WalException.Kind.UNHEALTHY, ((WalException) e).kind(), e.toString());
        }
        assertEquals(WalHealth.State.FAILED, wal.health().state());
        wal.faults(null);
        WalException later = assertThrows(WalException.class, () -> put(Branch.MAIN_ID, "later", false));
        assertEquals(WalException.Kind.UNHEALTHY, later.kind());
        assertThrows(WalException.class, () -> wal.awaitDurable(wal.lastLsn()));
        assertEquals(WalException.Kind.UNHEALTHY,
                assertThrows(WalException.class, () -> wal.createBranch("exp", Branch.MAIN_ID, Long.MAX_VALUE, "t")).kind());
        // Reads keep working.
        assertArrayEquals("before".getBytes(StandardCharsets.UTF_8), wal.get(wal.headView(Branch.MAIN_ID), k("before")));
    }

    @Test
    void aFailedBackgroundFsyncMarksTheStoreFailed() throws Exception {
        wal.faults(new WalFaults() {
            @Override
            public void beforeSync() throws IOException {
                throw new IOException("Input/output error");
            }
        });
        put(Branch.MAIN_ID, "a", false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (wal.health().state() != WalHealth.State.FAILED) {
            assertTrue(System.nanoTime() < deadline, "the background sync never ran");
            Thread.sleep(10);
        }
        wal.faults(null);
        assertEquals(WalException.Kind.UNHEALTHY, assertThrows(WalException.class, () -> put(Branch.MAIN_ID, "b", false)).kind());
        assertTrue(wal.health().reason().contains("fsync failed"), wal.health().reason());
    }

    @Test
    void aFailedWriteRefusesLaterWritesAndLosesNoLsn() {
        CommitResult a = put(Branch.MAIN_ID, "a", false);
        wal.faults(new WalFaults() {
            @Override
            public void beforeWrite() throws IOException {
                throw new IOException("Input/output error");
            }
        });
        assertEquals(WalException.Kind.UNHEALTHY, assertThrows(WalException.class, () -> put(Branch.MAIN_ID, "b", false)).kind());
        wal.faults(null);
        assertEquals(WalException.Kind.UNHEALTHY, assertThrows(WalException.class, () -> put(Branch.MAIN_ID, "c", false)).kind());
        assertEquals(a.endLsn(), wal.lastLsn());
        assertEquals(a.endLsn(), wal.branch(Branch.MAIN_ID).headLsn());
        assertArrayEquals("a".getBytes(StandardCharsets.UTF_8), wal.get(wal.headView(Branch.MAIN_ID), k("a")));
    }

    @Test
    void aDiskFullWriteIsRefusedAndTheNextWriteSucceeds() {
        CommitResult a = put(Branch.MAIN_ID, "a", false);
        AtomicInteger failures = new AtomicInteger(1);
        wal.faults(new WalFaults() {
            @Override
            public void beforeWrite() throws IOException {
                if (failures.getAndDecrement() > 0) {
                    throw new IOException("While appending to file: 000004.log: No space left on device");
                }
            }
        });
        assertEquals(WalException.Kind.DISK_FULL, assertThrows(WalException.class, () -> put(Branch.MAIN_ID, "b", false)).kind());
        assertEquals(WalHealth.State.DISK_FULL, wal.health().state());
        CommitResult c = put(Branch.MAIN_ID, "c", true);
        assertEquals(a.endLsn() + 1, c.startLsn(), "the refused commit used no LSN");
        assertEquals(WalHealth.State.HEALTHY, wal.health().state());
    }

    @ParameterizedTest
    @ValueSource(strings = {"createBranch", "dropBranch", "renameBranch", "protectBranch", "createTag", "dropTag", "resetBranch", "allocateId",
            "writeMetaSynced"})
    void branchAndTagChangesReturnOnlyOnceSynced(String op) {
        put(Branch.MAIN_ID, "a", false);
        Branch exp = wal.createBranch("exp", Branch.MAIN_ID, Long.MAX_VALUE, "t");
        wal.createTag("t1", Branch.MAIN_ID, wal.lastLsn(), "t");
        Consumer<Wal> change = switch (op) {
            case "createBranch" -> w -> w.createBranch("exp2", Branch.MAIN_ID, Long.MAX_VALUE, "t");
            case "dropBranch" -> w -> w.dropBranch(exp.id());
            case "renameBranch" -> w -> w.renameBranch(exp.id(), "exp3");
            case "protectBranch" -> w -> w.protectBranch(exp.id(), true);
            case "createTag" -> w -> w.createTag("t2", Branch.MAIN_ID, w.lastLsn(), "t");
            case "dropTag" -> w -> w.dropTag("t1");
            case "resetBranch" -> w -> w.resetBranch(exp.id(), Branch.MAIN_ID, 0, null, "t");
            case "allocateId" -> Wal::allocateId;
            case "writeMetaSynced" -> w -> w.writeMeta(List.of(KeyWrite.put(k("m"), new byte[] {1})), true);
            default -> throw new IllegalArgumentException(op);
        };
        // With every fsync failing, a change that waited for one cannot be acknowledged.
        wal.faults(new WalFaults() {
            @Override
            public void beforeSync() throws IOException {
                throw new IOException("Input/output error");
            }
        });
        WalException e = assertThrows(WalException.class, () -> change.accept(wal));
        assertEquals(WalException.Kind.UNHEALTHY, e.kind());
    }

    @Test
    void commitsOnADeletedOrResetBranchIdAreRefused() {
        Branch exp = wal.createBranch("exp", Branch.MAIN_ID, Long.MAX_VALUE, "t");
        put(exp.id(), "x", false);
        wal.dropBranch(exp.id());
        assertEquals(BranchException.Kind.RETIRED, assertThrows(BranchException.class, () -> put(exp.id(), "y", false)).kind());

        Branch r = wal.createBranch("r", Branch.MAIN_ID, Long.MAX_VALUE, "t");
        CommitResult before = put(r.id(), "x", false);
        Branch fresh = wal.resetBranch(r.id(), Branch.MAIN_ID, 0, null, "t");
        assertEquals(BranchException.Kind.RETIRED, assertThrows(BranchException.class, () -> put(r.id(), "y", false)).kind());
        assertEquals(before.endLsn(), wal.branch(r.id()).headLsn(), "the retired id's head did not move");
        put(fresh.id(), "y", false);
    }

    @Test
    void aCommitRacingADropEitherLandsBeforeItOrIsRefused() throws Exception {
        for (int round = 0; round < 20; round++) {
            Branch b = wal.createBranch("race" + round, Branch.MAIN_ID, Long.MAX_VALUE, "t");
            AtomicReference<CommitResult> landed = new AtomicReference<>();
            List<Throwable> errors = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            Thread writer = start(() -> {
                await(go);
                landed.set(put(b.id(), "k", false));
            }, errors);
            go.countDown();
            wal.dropBranch(b.id());
            long headAtDrop = wal.branch(b.id()).headLsn();
            writer.join();
            if (landed.get() != null) {
                assertTrue(landed.get().endLsn() <= headAtDrop, "a commit landed on branch id " + b.id() + " after its drop");
            } else {
                assertEquals(BranchException.Kind.RETIRED, ((BranchException) errors.get(0)).kind());
            }
            assertEquals(headAtDrop, wal.branch(b.id()).headLsn());
        }
    }

    @Test
    void metadataWritesAreRefusedAfterAFailedFsync() {
        put(Branch.MAIN_ID, "a", false);
        wal.faults(new WalFaults() {
            @Override
            public void beforeSync() throws IOException {
                throw new IOException("Input/output error");
            }
        });
        assertThrows(WalException.class, () -> wal.awaitDurable(wal.lastLsn()));
        wal.faults(null);
        WalException e = assertThrows(WalException.class, () -> wal.writeMeta(List.of(KeyWrite.put(k("m"), new byte[] {1})), false));
        assertEquals(WalException.Kind.UNHEALTHY, e.kind());
        assertEquals(null, wal.meta(k("m")), "a refused metadata write left nothing behind");
    }

    @Test
    void aFailedMetadataWriteIsReportedToHealth() {
        wal.faults(new WalFaults() {
            @Override
            public void beforeWrite() throws IOException {
                throw new IOException("Input/output error");
            }
        });
        assertEquals(WalException.Kind.UNHEALTHY,
                assertThrows(WalException.class, () -> wal.writeMeta(List.of(KeyWrite.put(k("m"), new byte[] {1})), false)).kind());
        assertEquals(WalHealth.State.FAILED, wal.health().state());
        wal.faults(null);
        assertEquals(WalException.Kind.UNHEALTHY, assertThrows(WalException.class, () -> put(Branch.MAIN_ID, "b", false)).kind());
    }

    @Test
    void metadataWritesAreRefusedWhileTheDiskIsFull() throws Exception {
        // A reserve larger than any disk: every write is refused as it would be on a full disk.
        Path full = Files.createTempDirectory("wal-full-");
        System.setProperty(Wal.MIN_FREE_PROPERTY, Long.toString(Long.MAX_VALUE));
        Wal w;
        try {
            w = Wal.open(full);
        } finally {
            System.clearProperty(Wal.MIN_FREE_PROPERTY);
        }
        try {
            WalException e = assertThrows(WalException.class, () -> w.writeMeta(List.of(KeyWrite.put(k("m"), new byte[] {1})), false));
            assertEquals(WalException.Kind.DISK_FULL, e.kind());
            assertEquals(null, w.meta(k("m")));
            assertEquals(WalHealth.State.DISK_FULL, w.health().state());
        } finally {
            w.close();
        }
    }
}
