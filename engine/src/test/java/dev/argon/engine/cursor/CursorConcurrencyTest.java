package dev.argon.engine.cursor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.engine.Engine;
import dev.argon.engine.ServerStats;
import dev.argon.engine.command.ClientContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * getMore, killCursors and the idle reaper racing on the same cursors, through the engine's command
 * dispatcher with real storage iterators under the cursors. A getMore on a cursor whose iterator was freed
 * would crash the JVM in native code; the only acceptable failure a client sees is 43 CursorNotFound.
 */
class CursorConcurrencyTest {
    private Path dir;
    private Engine engine;
    private final ClientContext client = new ClientContext(1, "127.0.0.1:1", "127.0.0.1", 27017);

    @BeforeEach
    void open() throws Exception {
        dir = Files.createTempDirectory("cursor-race-");
        engine = new Engine(dir, new ServerStats());
        BsonArray docs = new BsonArray();
        for (int i = 0; i < 300; i++) {
            docs.add(new BsonDocument("_id", new BsonInt32(i)).append("pad", new BsonString("x".repeat(50))));
        }
        ok(run(new BsonDocument("insert", new BsonString("c")).append("documents", docs), null));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private BsonDocument run(BsonDocument cmd, BsonValue session) {
        cmd.append("$db", new BsonString("race"));
        if (session != null) {
            cmd.append("lsid", new BsonDocument("id", session));
        }
        return engine.commands().execute(cmd, client);
    }

    private static BsonDocument ok(BsonDocument reply) {
        assertEquals(1.0, reply.getNumber("ok").doubleValue(), reply.toJson());
        return reply;
    }

    private static BsonValue newSession() {
        return new BsonBinary(UUID.randomUUID());
    }

    private long find(BsonValue session, int batchSize) {
        return ok(run(new BsonDocument("find", new BsonString("c")).append("batchSize", new BsonInt32(batchSize)), session))
                .getDocument("cursor").getInt64("id").getValue();
    }

    private BsonDocument getMore(long id, BsonValue session) {
        return run(new BsonDocument("getMore", new BsonInt64(id)).append("collection", new BsonString("c"))
                .append("batchSize", new BsonInt32(3)), session);
    }

    @Test
    void getMoreKillCursorsAndTheReaperRaceWithoutCrashOrUnexpectedError() throws Exception {
        // Cursors idle for more than a few milliseconds are reaped while the others are being read.
        ok(run(new BsonDocument("setParameter", new BsonInt32(1)).append("cursorTimeoutMillis", new BsonInt32(3)), null));
        List<Long> ids = new CopyOnWriteArrayList<>();
        Map<Integer, AtomicInteger> codes = new ConcurrentHashMap<>();
        List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            int seed = t;
            Thread th = new Thread(() -> {
                Random r = new Random(seed);
                for (int i = 0; i < 1500; i++) {
                    BsonDocument reply;
                    int op = r.nextInt(10);
                    if (op < 2 || ids.isEmpty()) {
                        ids.add(find(null, 1 + r.nextInt(3)));
                        continue;
                    }
                    long id = ids.get(r.nextInt(ids.size()));
                    if (op < 8) {
                        reply = getMore(id, null);
                    } else {
                        reply = run(new BsonDocument("killCursors", new BsonString("c"))
                                .append("cursors", new BsonArray(List.of(new BsonInt64(id)))), null);
                    }
                    if (reply.getNumber("ok").doubleValue() != 1.0) {
                        int code = reply.getInt32("code").getValue();
                        codes.computeIfAbsent(code, k -> new AtomicInteger()).incrementAndGet();
                        if (code != 43) {
                            unexpected.add(reply.toJson());
                        }
                    }
                }
            });
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(List.of(), unexpected);
        assertTrue(codes.containsKey(43), "the race produced no CursorNotFound at all: " + codes);
        for (long id : ids) {
            engine.cursors().kill(id);
        }
        assertEquals(0, engine.cursors().openCount());
        ok(run(new BsonDocument("ping", new BsonInt32(1)), null));
    }

    @Test
    void aKillDuringAGetMoreTakesEffectAfterIt() throws Exception {
        long id = find(null, 1);
        Cursor c = engine.cursors().cursor(id);
        // Hold the cursor as a getMore does, then kill it from another thread: the kill must wait.
        c.lock().lock();
        Thread killer;
        try {
            killer = new Thread(() -> engine.cursors().kill(id));
            killer.start();
            while (killer.getState() != Thread.State.WAITING && killer.isAlive()) {
                Thread.onSpinWait();
            }
            assertTrue(!c.closed(), "the storage iterator was closed while in use");
            assertTrue(c.source().hasNext(), "the cursor is still readable while held");
        } finally {
            c.lock().unlock();
        }
        killer.join();
        assertEquals(43, getMore(id, null).getInt32("code").getValue());
    }

    @Test
    void getMoreMustComeFromTheSessionThatOpenedTheCursor() {
        BsonValue a = newSession();
        long inA = find(a, 2);
        assertEquals(50738, getMore(inA, newSession()).getInt32("code").getValue());
        BsonDocument noLsid = getMore(inA, null);
        assertEquals(50737, noLsid.getInt32("code").getValue());
        assertEquals("Location50737", noLsid.getString("codeName").getValue());
        long outside = find(null, 2);
        assertEquals(50736, getMore(outside, a).getInt32("code").getValue());
        ok(getMore(inA, a));
        ok(getMore(outside, null));
    }
}
