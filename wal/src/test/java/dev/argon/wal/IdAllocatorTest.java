package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link IdAllocator} on its own: ids are unique for a data directory's lifetime, across reopens. */
class IdAllocatorTest {
    private Rooms r;

    @BeforeEach
    void open() throws Exception {
        r = new Rooms(Files.createTempDirectory("wal-ids-"));
    }

    @AfterEach
    void close() {
        r.close();
    }

    @Test
    void idsAreUniqueAndIncreasingAcrossBlocksAndReopens() throws Exception {
        Set<Long> seen = new HashSet<>();
        long last = 0;
        // A few opens, each using part of a block, one crossing a block boundary.
        int[] perOpen = {3, (int) IdAllocator.ID_BLOCK + 5, 1, 0, 2};
        for (int n : perOpen) {
            for (int i = 0; i < n; i++) {
                long id = r.ids.allocate();
                assertTrue(id > last, "id " + id + " after " + last);
                assertTrue(seen.add(id), "id " + id + " handed out twice");
                last = id;
            }
            r = r.reopen();
        }
        long next = r.ids.allocate();
        assertTrue(next > last && seen.add(next), "the first id after a reopen is new: " + next);
    }

    @Test
    void concurrentAllocationsNeverCollide() throws Exception {
        Set<Long> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 800; i++) {
                    if (!seen.add(r.ids.allocate())) {
                        throw new AssertionError("an id was handed out twice");
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(seen.size() == 3200, "every allocation got its own id: " + seen.size());
    }
}
