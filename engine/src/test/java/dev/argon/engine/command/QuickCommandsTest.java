package dev.argon.engine.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.engine.Engine;
import dev.argon.engine.ServerStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which commands the engine lets the wire layer run on its event loop: only those that cannot wait. */
class QuickCommandsTest {
    private Path dir;
    private Engine engine;
    private final ClientContext client = new ClientContext(1, "127.0.0.1:50000", "localhost", 27017);

    @BeforeEach
    void open() throws IOException {
        dir = Files.createTempDirectory("argon-quick-unit-");
        engine = new Engine(dir, new ServerStats(), true);
    }

    @AfterEach
    void close() throws IOException {
        engine.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private boolean quick(String json) {
        return engine.commands().quick(BsonDocument.parse(json), client);
    }

    @Test
    void pointReadsByIdOnMainAndPlainHandshakesAreQuick() {
        assertTrue(quick("{find: 'c', filter: {_id: 'user1'}, limit: 1, singleBatch: true, $db: 'ycsb', "
                + "lsid: {id: 1}, $clusterTime: {}}"));
        assertTrue(quick("{find: 'c', filter: {_id: 7}, batchSize: 1, projection: {a: 1}, $db: 'ycsb'}"));
        assertTrue(quick("{find: 'c', filter: {_id: {$oid: '0123456789abcdef01234567'}}, $db: 'ycsb'}"));
        assertTrue(quick("{hello: 1, helloOk: true, $db: 'admin'}"));
        assertTrue(quick("{ismaster: 1, client: {driver: {name: 'x'}}, $db: 'admin'}"));
        assertTrue(quick("{ping: 1, $db: 'admin'}"));
    }

    @Test
    void anythingThatMayWaitOrScanIsNot() {
        String[] slow = {
            "{find: 'c', filter: {_id: {$gt: 1}}, $db: 'ycsb'}",              // a range
            "{find: 'c', filter: {_id: {a: 1}}, $db: 'ycsb'}",                // an embedded document
            "{find: 'c', filter: {_id: [1, 2]}, $db: 'ycsb'}",                // an array
            "{find: 'c', filter: {_id: 1, a: 2}, $db: 'ycsb'}",               // two fields
            "{find: 'c', filter: {a: 2}, $db: 'ycsb'}",                       // not _id
            "{find: 'c', $db: 'ycsb'}",                                       // a scan
            "{find: 'c', filter: {_id: 1}, batchSize: 0, $db: 'ycsb'}",       // leaves a cursor open
            "{find: 'c', filter: {_id: 1}, sort: {a: 1}, $db: 'ycsb'}",       // a field not on the list
            "{find: 'c', filter: {_id: 1}, readConcern: {afterClusterTime: {$timestamp: {t: 1, i: 1}}}, $db: 'ycsb'}",
            "{find: 'c', filter: {_id: 1}, txnNumber: 1, autocommit: false, $db: 'ycsb'}",
            "{find: 'c', filter: {_id: 1}, $db: 'ycsb~agent'}",               // a child branch reads history
            "{find: 'c', filter: {_id: 1}, $db: 'ycsb~main@5'}",              // time travel
            "{hello: 1, topologyVersion: {processId: {$oid: '0123456789abcdef01234567'}, counter: 0}, "
                + "maxAwaitTimeMS: 500, $db: 'admin'}",                           // awaitable
            "{insert: 'c', documents: [{_id: 1}], $db: 'ycsb'}",
            "{getMore: {$numberLong: '5'}, collection: 'c', $db: 'ycsb'}",
            "{}",
        };
        for (String c : slow) {
            assertFalse(quick(c), c);
        }
        ClientContext onBranch = new ClientContext(2, "127.0.0.1:50001", "localhost", 27017);
        onBranch.defaultBranch("agent");
        assertFalse(engine.commands().quick(BsonDocument.parse("{find: 'c', filter: {_id: 1}, $db: 'ycsb'}"), onBranch),
                "a connection whose default branch is not main");
    }

    @Test
    void nothingIsQuickWhileFailCommandIsArmed() {
        BsonDocument on = engine.commands().execute(BsonDocument.parse("{configureFailPoint: 'failCommand', mode: "
                + "'alwaysOn', data: {failCommands: ['find'], blockConnection: true, blockTimeMS: 100}, $db: 'admin'}"), client);
        assertEquals(1.0, on.getNumber("ok").doubleValue(), on.toJson());
        assertFalse(quick("{find: 'c', filter: {_id: 1}, $db: 'ycsb'}"));
        assertFalse(quick("{ping: 1, $db: 'admin'}"));
        engine.commands().execute(BsonDocument.parse("{configureFailPoint: 'failCommand', mode: 'off', $db: 'admin'}"), client);
        assertTrue(quick("{find: 'c', filter: {_id: 1}, $db: 'ycsb'}"));
    }
}
