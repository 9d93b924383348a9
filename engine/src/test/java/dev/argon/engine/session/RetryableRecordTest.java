package dev.argon.engine.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.engine.Engine;
import dev.argon.engine.ServerStats;
import dev.argon.engine.command.ClientContext;
import dev.argon.wal.WalFaults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retryable-write records through real commands on a real engine, with storage faults injected: a record rides
 * in its write's commit and shares its fate, and a record written alone (a statement that changed nothing) gets
 * the same storage checks and the same {@code j: true} durability as a commit.
 */
class RetryableRecordTest {
    private final ClientContext client = new ClientContext(1, "127.0.0.1:50000", "localhost", 27017);
    private final BsonDocument lsid = new BsonDocument("id", new BsonBinary(UUID.randomUUID()));
    private Path dir;
    private Engine engine;

    @BeforeEach
    void open() throws IOException {
        dir = Files.createTempDirectory("argon-records-");
        engine = new Engine(dir, new ServerStats());
    }

    @AfterEach
    void close() throws IOException {
        engine.store().walForTests().faults(null);
        engine.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private BsonDocument run(BsonDocument command) {
        return engine.commands().execute(command.append("$db", new BsonString("test")), client);
    }

    private BsonDocument retryable(BsonDocument command, long txnNumber) {
        return command.append("lsid", lsid).append("txnNumber", new BsonInt64(txnNumber));
    }

    private BsonDocument insertOne() {
        return retryable(new BsonDocument("insert", new BsonString("c"))
                .append("documents", new BsonArray(java.util.List.of(new BsonDocument("_id", new BsonInt32(1))))), 1);
    }

    /** An update that matches nothing: its record has no data change to ride with. */
    private BsonDocument noOpUpdate(boolean journaled) {
        BsonDocument u = new BsonDocument("q", new BsonDocument("_id", new BsonString("absent")))
                .append("u", new BsonDocument("$set", new BsonDocument("x", new BsonInt32(1))));
        BsonDocument cmd = new BsonDocument("update", new BsonString("c")).append("updates", new BsonArray(java.util.List.of(u)));
        if (journaled) {
            cmd.append("writeConcern", new BsonDocument("j", BsonBoolean.TRUE));
        }
        return retryable(cmd, 1);
    }

    private int count() {
        BsonDocument r = run(new BsonDocument("count", new BsonString("c")));
        return r.getNumber("n").intValue();
    }

    private boolean recordOnDisk() {
        return !engine.store().versions().metaScan(SessionCatalog.PREFIX).isEmpty();
    }

    private static void ok(BsonDocument reply) {
        assertEquals(1.0, reply.getNumber("ok").doubleValue(), reply.toJson());
    }

    @Test
    void aRecordRidesInItsCommitAndSharesItsFate() {
        // The first write fails with ENOSPC: nothing of the commit lands, the record included.
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger(1);
        engine.store().walForTests().faults(new WalFaults() {
            @Override
            public void beforeWrite() throws IOException {
                if (failures.getAndDecrement() > 0) {
                    throw new IOException("While appending to file: 000004.log: No space left on device");
                }
            }
        });
        BsonDocument refused = run(insertOne());
        assertEquals(14031, refused.getNumber("code").intValue(), refused.toJson());
        assertFalse(recordOnDisk(), "a failed commit wrote no record");
        // Nor is the record in memory: the retry inserts the document instead of answering from a record.
        BsonDocument retry = run(insertOne());
        ok(retry);
        assertEquals(1, retry.getInt32("n").getValue());
        assertFalse(retry.containsKey("retriedStmtIds"), retry.toJson());
        assertEquals(1, count());
        assertTrue(recordOnDisk());

        // After a restart the record written with the commit answers a further retry, which inserts nothing.
        engine.close();
        engine = new Engine(dir, new ServerStats());
        BsonDocument again = run(insertOne());
        ok(again);
        assertEquals(1, again.getInt32("n").getValue());
        assertFalse(again.containsKey("writeErrors"), "not a second insert (duplicate key): " + again.toJson());
        assertEquals(1, count());
    }

    @Test
    void aJournaledRecordWrittenAloneWaitsForTheFsync() {
        run(new BsonDocument("create", new BsonString("c")));
        engine.store().walForTests().faults(new WalFaults() {
            @Override
            public void beforeSync() throws IOException {
                throw new IOException("Input/output error");
            }
        });
        // j: true cannot be acknowledged when the fsync that would make the record durable fails.
        BsonDocument reply = run(noOpUpdate(true));
        assertEquals(0.0, reply.getNumber("ok").doubleValue(), reply.toJson());
        assertEquals(1, reply.getNumber("code").intValue(), reply.toJson());
    }

    @Test
    void aRecordWrittenAloneIsRefusedByAFailedStore() {
        run(new BsonDocument("create", new BsonString("c")));
        engine.store().walForTests().faults(new WalFaults() {
            @Override
            public void beforeWrite() throws IOException {
                throw new IOException("Input/output error");
            }
        });
        BsonDocument reply = run(noOpUpdate(false));
        assertEquals(1, reply.getNumber("code").intValue(), reply.toJson());
        engine.store().walForTests().faults(null);
        assertFalse(recordOnDisk());
        // Still refused without the fault: the store stays failed until restart.
        assertEquals(1, run(noOpUpdate(false)).getNumber("code").intValue());
        assertFalse(recordOnDisk());
    }

    @Test
    void aRecordWrittenAloneIsWrittenOnAHealthyStore() {
        run(new BsonDocument("create", new BsonString("c")));
        BsonDocument reply = run(noOpUpdate(true));
        ok(reply);
        assertEquals(0, reply.getInt32("n").getValue());
        assertTrue(recordOnDisk());
    }
}
