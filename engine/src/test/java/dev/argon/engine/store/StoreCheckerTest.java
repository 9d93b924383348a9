package dev.argon.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.engine.Engine;
import dev.argon.engine.ServerStats;
import dev.argon.engine.bson.KeyEncoder;
import dev.argon.engine.command.ClientContext;
import dev.argon.wal.Branch;
import dev.argon.wal.FsckReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** fsck's document and index layer on a directory the engine wrote through its commands. */
class StoreCheckerTest {
    private Path dir;
    private long collectionId;
    private int labelIndexId;

    private static BsonDocument run(Engine e, String json) {
        BsonDocument reply = e.commands().execute(BsonDocument.parse(json), new ClientContext(1, "test", "127.0.0.1", 0));
        assertEquals(1.0, reply.getNumber("ok").doubleValue(), json + " -> " + reply.toJson());
        return reply;
    }

    /** Inserts, batches, updates of indexed fields (multikey, compound, partial, sparse, unique), deletes, branches, merge, reset, tag, rename, drops. */
    @BeforeEach
    void workload() throws Exception {
        dir = Files.createTempDirectory("engine-fsck-");
        try (Engine e = new Engine(dir, new ServerStats())) {
            run(e, "{insert: 'items', $db: 'shop', documents: [{_id: 1, label: 'cat', tags: ['a', 'b'], n: 1}, {_id: 2, label: 'dog', n: 2}, {_id: 'x', n: 3}]}");
            run(e, "{createIndexes: 'items', $db: 'shop', indexes: [{key: {label: 1}, name: 'label_1'}, {key: {tags: 1, n: -1}, name: 'tags_n'},"
                    + " {key: {n: 1}, name: 'n_big', partialFilterExpression: {n: {$gt: 1}}}, {key: {sku: 1}, name: 'sku', unique: true, sparse: true}]}");
            run(e, "{insert: 'items', $db: 'shop', documents: [{_id: 3, label: 'eel', tags: [], n: 4, sku: 'e1'}, {_id: 4, label: 'fox', tags: ['c']}]}");
            run(e, "{update: 'items', $db: 'shop', updates: [{q: {_id: 1}, u: {$set: {label: 'lion'}, $push: {tags: 'z'}}}, {q: {n: {$gte: 2}}, u: {$inc: {n: 10}}, multi: true}]}");
            run(e, "{delete: 'items', $db: 'shop', deletes: [{q: {_id: 2}, limit: 1}]}");
            run(e, "{createBranch: 'exp', $db: 'admin'}");
            run(e, "{update: 'items', $db: 'shop~exp', updates: [{q: {_id: 4}, u: {$set: {label: 'wolf', sku: 'w1'}}}]}");
            run(e, "{insert: 'items', $db: 'shop~exp', documents: [{_id: 5, label: 'owl'}]}");
            run(e, "{insert: 'other', $db: 'shop~exp', documents: [{_id: 1}]}");
            run(e, "{createIndexes: 'other', $db: 'shop~exp', indexes: [{key: {q: 1}, name: 'q_1'}]}");
            run(e, "{mergeBranch: 'exp', into: 'main', $db: 'admin'}");
            run(e, "{createTag: 'v1', ref: 'main', $db: 'admin'}");
            BsonDocument head = run(e, "{insert: 'items', $db: 'shop~exp', documents: [{_id: 6, label: 'ant'}]}");
            long mid = e.store().versions().branch("exp").headLsn();
            run(e, "{insert: 'items', $db: 'shop~exp', documents: [{_id: 7, label: 'bee'}]}");
            run(e, "{resetBranch: 'exp', to: " + mid + ", backup: 'exp-old', $db: 'admin'}");
            run(e, "{update: 'items', $db: 'shop~exp', updates: [{q: {_id: 6}, u: {$set: {label: 'wasp'}}}]}");
            run(e, "{renameCollection: 'shop.other', to: 'shop.other2', $db: 'admin'}");
            run(e, "{insert: 'gone', $db: 'shop', documents: [{_id: 1}]}");
            run(e, "{drop: 'gone', $db: 'shop'}");
            run(e, "{dropIndexes: 'items', index: 'n_big', $db: 'shop'}");
            run(e, "{collMod: 'items', index: {name: 'label_1', hidden: true}, $db: 'shop'}");
            CollectionInfo c = e.store().head(Branch.MAIN_ID).collection("shop", "items");
            collectionId = c.collectionId();
            labelIndexId = c.index("label_1").indexId();
            assertTrue(head.isNumber("n"));
        }
    }

    private byte[] labelEntry(String label, int id) {
        return Keys.indexEntry(collectionId, labelIndexId, KeyEncoder.encodeCompound(List.of(new BsonString(label)), new boolean[] {false}),
                KeyEncoder.encode(new BsonInt32(id)));
    }

    @Test
    void cleanAfterARealWorkload() {
        FsckReport r = StoreChecker.check(dir);
        assertTrue(r.clean(), r.problems().toString());
        assertTrue(r.counts().get("documents") >= 10, r.counts().toString());
        assertTrue(r.counts().get("indexEntries") >= 10, r.counts().toString());
        assertEquals(3L, r.counts().get("branchHeadsChecked"), "main, exp and exp-old");
    }

    @Test
    void aMissingIndexEntryIsReported() throws Exception {
        try (RawDamage d = new RawDamage(dir)) {
            assertEquals(1, d.deleteAllVersions(labelEntry("lion", 1)), "the workload wrote that entry once");
        }
        FsckReport r = StoreChecker.check(dir);
        assertFalse(r.clean());
        assertTrue(r.problems().stream().anyMatch(p -> p.check().equals(FsckReport.INDEX_MISSING) && p.message().contains("_id 1 ")
                && p.message().contains("'label_1'") && p.message().contains("branch 'main'")), r.problems().toString());
        assertTrue(r.has(FsckReport.VERSION_MISSING), "the log entry that wrote it is short of a key: " + r.problems());
    }

    @Test
    void aStaleExtraIndexEntryIsReported() throws Exception {
        try (RawDamage d = new RawDamage(dir)) {
            assertEquals(1, d.copyVersions(labelEntry("lion", 1), labelEntry("tiger", 1)));
        }
        FsckReport r = StoreChecker.check(dir);
        assertTrue(r.problems().stream().anyMatch(p -> p.check().equals(FsckReport.INDEX_STALE) && p.message().contains("tiger")),
                r.problems().toString());
        assertTrue(r.has(FsckReport.VERSION_EXTRA), r.problems().toString());
    }

    @Test
    void aDeletedDocumentVersionIsReported() throws Exception {
        try (RawDamage d = new RawDamage(dir)) {
            assertTrue(d.deleteAllVersions(Keys.document(collectionId, new BsonInt32(3))) >= 2);
        }
        FsckReport r = StoreChecker.check(dir);
        assertTrue(r.problems().stream().anyMatch(p -> p.check().equals(FsckReport.VERSION_MISSING) && p.message().contains("document _id 3")),
                r.problems().toString());
        assertTrue(r.has(FsckReport.INDEX_STALE), "its index entries now point at nothing: " + r.problems());
    }
}
