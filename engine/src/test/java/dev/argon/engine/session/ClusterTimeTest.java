package dev.argon.engine.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.engine.ArgonException;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.Store;
import dev.argon.wal.Branch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonTimestamp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The LSN ↔ BSON Timestamp mapping of {@code $clusterTime}, over a real WAL. */
class ClusterTimeTest {
    private Path dir;
    private Store store;
    private ClusterTime clock;
    private int next;

    @BeforeEach
    void open() throws IOException {
        dir = Files.createTempDirectory("argon-clustertime-");
        store = new Store(dir);
        clock = new ClusterTime(store.versions());
    }

    @AfterEach
    void close() throws IOException {
        store.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Commits n documents in one commit; returns the commit's last LSN. */
    private long commit(int n) {
        try (Store.Write w = store.beginWrite(Branch.MAIN_ID)) {
            CollectionInfo c = w.session().collectionForWrite("db", "c");
            for (int i = 0; i < n; i++) {
                w.session().insert(c, new BsonDocument("_id", new BsonInt32(next++)));
            }
            return w.session().commit(null, null, false).endLsn();
        }
    }

    @Test
    void timestampsOrderAsLsnsAndNameTheirLsnBackAcrossSeconds() throws InterruptedException {
        assertEquals(new BsonTimestamp(0, 0), clock.current(), "nothing committed yet");
        List<BsonTimestamp> times = new ArrayList<>();
        List<Long> lsns = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 3; i++) {
                lsns.add(commit(1 + i));
                times.add(clock.current());
            }
            // Next round in a later wall-clock second, so the increment starts again.
            Thread.sleep(1_100);
        }
        for (int i = 0; i < times.size(); i++) {
            BsonTimestamp t = times.get(i);
            assertEquals((long) lsns.get(i), clock.lsnOf(t, "t"), "timestamp " + t + " names its own LSN");
            if (i > 0) {
                assertTrue(ClusterTime.compare(times.get(i - 1), t) < 0, times.get(i - 1) + " < " + t);
            }
        }
        BsonTimestamp first = times.get(0);
        BsonTimestamp later = times.get(3);
        assertTrue(later.getTime() > first.getTime(), "a later round is a later second");
        assertTrue(later.getInc() <= lsns.get(3) - lsns.get(2), "the increment counts from the second's first LSN");
        // A wall-clock time names the state at that time: Timestamp(s, 0) is everything before second s.
        assertEquals((long) lsns.get(2), clock.lsnOf(new BsonTimestamp(later.getTime(), 0), "t"));
        assertEquals(0L, clock.lsnOf(new BsonTimestamp(first.getTime(), 0), "t"));
        // An increment past a second's commits names that second's last commit.
        assertEquals((long) lsns.get(2), clock.lsnOf(new BsonTimestamp(first.getTime(), 1_000_000), "t"));
        int now = (int) (System.currentTimeMillis() / 1000);
        assertEquals((long) lsns.get(lsns.size() - 1), clock.lsnOf(new BsonTimestamp(now, 0), "t"));
    }

    @Test
    void aTimeAfterThePresentIsRefused() {
        commit(1);
        int future = (int) (System.currentTimeMillis() / 1000) + 3600;
        ArgonException e = assertThrows(ArgonException.class, () -> clock.lsnOf(new BsonTimestamp(future, 1), "afterClusterTime"));
        assertEquals(72, e.code());
    }
}
