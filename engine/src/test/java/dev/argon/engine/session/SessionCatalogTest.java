package dev.argon.engine.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.engine.ArgonException;
import dev.argon.engine.failpoint.FailPoints;
import dev.argon.wal.Wal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Records over a real WAL: what a new catalog (a restart) loads, and what it forgets after the session timeout. */
class SessionCatalogTest {
    private static final long TIMEOUT = TimeUnit.MINUTES.toMillis(30);
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private Path dir;
    private Wal wal;

    @BeforeEach
    void open() throws IOException {
        dir = Files.createTempDirectory("argon-sessions-");
        wal = Wal.open(dir);
    }

    @AfterEach
    void close() throws IOException {
        wal.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private SessionCatalog catalog() {
        return new SessionCatalog(wal, clock::get, TIMEOUT, () -> false);
    }

    private static TxnId txn(BsonDocument lsid, long n) {
        return new TxnId(lsid, n);
    }

    private static BsonDocument lsid() {
        return new BsonDocument("id", new BsonBinary(UUID.randomUUID()));
    }

    /** Applies statements 0, 1, 2 and 5 as inserts and 3 with a result, and writes the record alone. */
    private static void write(SessionCatalog c, BsonDocument lsid, long txnNumber) {
        try (RetryableWrite rw = c.checkOut(txn(lsid, txnNumber), new BsonDocument(), null, new FailPoints())) {
            for (int i : new int[] {0, 1, 2, 5}) {
                rw.applied(i, null);
            }
            rw.applied(3, new BsonDocument("n", new BsonInt32(1)));
            rw.metaWrites();
            rw.committed(false, false);
        }
    }

    @Test
    void aRestartLoadsTheRecord() {
        BsonDocument lsid = lsid();
        write(catalog(), lsid, 7);
        SessionCatalog again = catalog();
        assertEquals(1, again.size());
        try (RetryableWrite rw = again.checkOut(txn(lsid, 7), new BsonDocument(), null, new FailPoints())) {
            for (int i : new int[] {0, 1, 2, 5}) {
                assertNotNull(rw.previous(i), "statement " + i);
            }
            assertEquals(new BsonDocument("n", new BsonInt32(1)), rw.previous(3));
            assertNull(rw.previous(4));
            assertNull(rw.previous(6));
        }
        ArgonException old = assertThrows(ArgonException.class,
                () -> again.checkOut(txn(lsid, 6), new BsonDocument(), null, new FailPoints()));
        assertEquals(225, old.code());
        // The refused check-out released the session: a newer txnNumber starts an empty record.
        try (RetryableWrite rw = again.checkOut(txn(lsid, 8), new BsonDocument(), null, new FailPoints())) {
            assertNull(rw.previous(0));
        }
    }

    @Test
    void recordsOlderThanTheTimeoutAreDeletedAtOpen() {
        BsonDocument lsid = lsid();
        write(catalog(), lsid, 1);
        clock.addAndGet(TIMEOUT + 1);
        SessionCatalog again = catalog();
        assertEquals(0, again.size());
        assertTrue(wal.metaScan(SessionCatalog.PREFIX).isEmpty());
        try (RetryableWrite rw = again.checkOut(txn(lsid, 1), new BsonDocument(), null, new FailPoints())) {
            assertNull(rw.previous(0));
        }
    }

    @Test
    void idleSessionsAreSweptWhileRunning() {
        SessionCatalog c = catalog();
        BsonDocument idle = lsid();
        write(c, idle, 1);
        clock.addAndGet(TIMEOUT / 2);
        BsonDocument busy = lsid();
        write(c, busy, 1);
        assertEquals(2, wal.metaScan(SessionCatalog.PREFIX).size());
        clock.addAndGet(TIMEOUT / 2 + 1);
        // The next check-out sweeps: the first session is idle past the timeout, the second is not.
        write(c, lsid(), 1);
        assertEquals(2, c.size());
        assertEquals(2, wal.metaScan(SessionCatalog.PREFIX).size());
        try (RetryableWrite rw = c.checkOut(txn(busy, 1), new BsonDocument(), null, new FailPoints())) {
            assertNotNull(rw.previous(0));
        }
        try (RetryableWrite rw = c.checkOut(txn(idle, 1), new BsonDocument(), null, new FailPoints())) {
            assertNull(rw.previous(0));
        }
    }

    @Test
    void aFullDiskAtOpenLeavesExpiredRecordsForTheNextOpen() {
        write(catalog(), lsid(), 1);
        clock.addAndGet(TIMEOUT + 1);
        wal.close();
        // A reserve larger than any disk: the expiry deletes are refused as on a full disk.
        System.setProperty(Wal.MIN_FREE_PROPERTY, Long.toString(Long.MAX_VALUE));
        try {
            wal = Wal.open(dir);
        } finally {
            System.clearProperty(Wal.MIN_FREE_PROPERTY);
        }
        assertEquals(0, catalog().size(), "the server opens; the expired record is not loaded");
        assertEquals(1, wal.metaScan(SessionCatalog.PREFIX).size(), "nothing was written past the reserve");
        wal.close();
        wal = Wal.open(dir);
        assertEquals(0, catalog().size());
        assertTrue(wal.metaScan(SessionCatalog.PREFIX).isEmpty(), "deleted at the next open with room on the disk");
    }
}
