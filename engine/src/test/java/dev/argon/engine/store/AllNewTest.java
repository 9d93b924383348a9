package dev.argon.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.engine.bson.KeyEncoder;
import dev.argon.wal.Branch;
import dev.argon.wal.WalFaults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link WriteSession#allNew}: a batch of document ids passes only when its ids are distinct and nothing the session
 * could see, or that could hide something from it, lies between the smallest and the largest. Runs a real store.
 */
class AllNewTest {
    private Path dir;
    private Store store;
    private CollectionInfo items;

    @BeforeEach
    void open() throws Exception {
        dir = Files.createTempDirectory("engine-allnew-");
        store = new Store(dir);
        try (Store.Write w = store.beginWrite(Branch.MAIN_ID)) {
            w.session().createCollection("shop", "items", null);
            w.session().commit("t", null, false);
        }
        items = store.head(Branch.MAIN_ID).collection("shop", "items");
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static List<byte[]> ids(int from, int to) {
        List<byte[]> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(KeyEncoder.encode(new BsonInt32(i)));
        }
        return out;
    }

    private static BsonDocument doc(int id) {
        return new BsonDocument("_id", new BsonInt32(id));
    }

    private void insert(int branchId, int id) {
        try (Store.Write w = store.beginWrite(branchId)) {
            w.session().insert(w.session().collection("shop", "items"), doc(id));
            w.session().commit("t", null, false);
        }
    }

    private boolean allNew(List<byte[]> ids) {
        try (Store.Write w = store.beginWrite(Branch.MAIN_ID)) {
            return w.session().allNew(items, ids);
        }
    }

    @Test
    void newDistinctIdsPassAndAnyStoredIdInTheirRangeDoesNot() {
        assertTrue(allNew(ids(1, 20)), "an empty collection");
        insert(Branch.MAIN_ID, 10);
        assertFalse(allNew(ids(1, 20)), "id 10 is stored");
        List<byte[]> reversed = ids(1, 20);
        java.util.Collections.reverse(reversed);
        assertFalse(allNew(reversed), "in any order");
        assertFalse(allNew(ids(1, 10)), "the stored id is the range's last");
        assertFalse(allNew(ids(10, 20)), "the stored id is the range's first");
        assertTrue(allNew(ids(11, 30)), "past the stored id");
        assertTrue(allNew(ids(1, 9)), "below it");
    }

    @Test
    void aRepeatedIdOrASmallBatchSaysNothing() {
        List<byte[]> repeated = ids(1, 20);
        repeated.add(KeyEncoder.encode(new BsonInt32(7)));
        assertFalse(allNew(repeated));
        assertFalse(allNew(ids(1, WriteSession.MIN_BATCH_CHECK - 1)), "below the batch size it is not asked");
        assertTrue(allNew(ids(1, WriteSession.MIN_BATCH_CHECK)));
    }

    @Test
    void aDeletedIdAnotherBranchsIdAndOtherCollectionsAreJudgedByTheirKeys() {
        insert(Branch.MAIN_ID, 40);
        try (Store.Write w = store.beginWrite(Branch.MAIN_ID)) {
            w.session().delete(items, doc(40));
            w.session().commit("t", null, false);
        }
        // A tombstone hides nothing the batch could collide with, but the check does not read it: it says nothing.
        assertFalse(allNew(ids(35, 45)));
        int child = store.versions().createBranch("exp", Branch.MAIN_ID, store.branch("main").headLsn(), "t").id();
        insert(child, 60);
        assertFalse(allNew(ids(55, 65)), "another branch's key in the range makes it say nothing");
        try (Store.Write w = store.beginWrite(Branch.MAIN_ID)) {
            CollectionInfo other = w.session().createCollection("shop", "other", null);
            w.session().insert(other, doc(80));
            w.session().commit("t", null, false);
        }
        assertTrue(allNew(ids(75, 85)), "a key of another collection is outside the range");
    }

    @Test
    void thisSessionsPendingChangesCount() {
        try (Store.Write w = store.beginWrite(Branch.MAIN_ID)) {
            WriteSession s = w.session();
            s.insert(items, doc(5));
            assertFalse(s.allNew(items, ids(1, 20)), "a pending insert");
            assertTrue(s.allNew(items, ids(6, 20)));
        }
    }

    /** The first RocksDB write after install blocks until released. */
    private static final class HeldWrite implements WalFaults {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private int writes;

        @Override
        public synchronized void beforeWrite() throws IOException {
            if (++writes == 1) {
                entered.countDown();
                await(release);
            }
        }
    }

    private static void await(CountDownLatch l) {
        try {
            assertTrue(l.await(60, TimeUnit.SECONDS), "the test's schedule did not happen within 60 s");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aQueuedUnwrittenCommitOfTheBranchCounts() throws Exception {
        HeldWrite hook = new HeldWrite();
        store.walForTests().faults(hook);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try (Store.Write w = store.beginWrite(Branch.MAIN_ID, true)) {
                w.session().insert(items, doc(15));
                outcome.set(w.session().commitReleasing("t", null, false, List.of()));
            } catch (RuntimeException e) {
                outcome.set(e);
            }
        });
        t.start();
        try {
            await(hook.entered);
            try (Store.Write w = store.beginWrite(Branch.MAIN_ID, true)) {
                assertFalse(w.session().allNew(items, ids(10, 20)), "the queued commit's id 15");
                assertTrue(w.session().allNew(items, ids(16, 30)));
            }
        } finally {
            hook.release.countDown();
            t.join();
        }
        assertInstanceOf(dev.argon.wal.CommitResult.class, outcome.get());
        assertEquals(doc(15), store.head(Branch.MAIN_ID).document(items, new BsonInt32(15)));
        assertFalse(allNew(ids(10, 20)), "and once written");
    }
}
