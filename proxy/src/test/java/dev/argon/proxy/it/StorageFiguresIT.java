package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * {@code argonStorage} through the Java driver: the figures move as a user expects when data is loaded, branched
 * and rewritten. One test, because each step builds on the data of the one before.
 */
class StorageFiguresIT extends ArgonTestBase {
    private static final int DOCS = 4000;

    private Document storage(boolean flush) {
        return db("admin").runCommand(new Document("argonStorage", 1).append("flush", flush));
    }

    private static Document branch(Document storage, String name) {
        return storage.getList("branches", Document.class).stream().filter(b -> name.equals(b.getString("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no figures for branch " + name + " in " + storage.toJson()));
    }

    private static long rocksdbBytes(Document s) {
        return s.get("rocksdb", Document.class).getLong("bytes");
    }

    @Test
    void figuresFollowLoadsBranchesAndRewrites() {
        Document empty = storage(true);
        assertEquals(0L, empty.get("localObjects", Document.class).getLong("bytes"));
        assertFalse(empty.get("bucket", Document.class).getBoolean("configured"));
        assertEquals(0L, empty.get("bucket", Document.class).getLong("bytes"));
        assertEquals(0L, branch(empty, "main").getLong("bytes"));

        // About 850 bytes per document of text that repeats a lot, as JSON-ish records do.
        MongoCollection<Document> items = db("shop").getCollection("items");
        List<Document> batch = new ArrayList<>();
        long rawDocBytes = 0;
        for (int i = 0; i < DOCS; i++) {
            batch.add(new Document("_id", i).append("name", "item number " + i)
                    .append("description", ("a sturdy widget of the standard kind, item " + i % 50 + "; ").repeat(16)));
            rawDocBytes += org.bson.RawBsonDocument.parse(batch.get(batch.size() - 1).toJson()).getByteBuffer().remaining();
            if (batch.size() == 500) {
                items.insertMany(batch);
                batch.clear();
            }
        }

        Document loaded = storage(true);
        Document versions = loaded.get("versions", Document.class);
        assertTrue(versions.getLong("rawBytes") >= rawDocBytes, versions.toJson());
        assertTrue(rocksdbBytes(loaded) > rocksdbBytes(empty), "loading grows RocksDB: " + loaded.toJson());
        Document families = loaded.get("rocksdb", Document.class).get("families", Document.class);
        assertTrue(families.get("versions", Document.class).getLong("sstBytes") > 0, families.toJson());
        assertTrue(versions.getDouble("compressionRatio") > 1.5, "repetitive text compresses: " + versions.toJson());
        assertTrue(versions.getLong("storedBytes") < versions.getLong("rawBytes"));
        Document mainLoaded = branch(loaded, "main");
        assertEquals(mainLoaded.getLong("bytes"), mainLoaded.getLong("uniqueBytes"), "nothing else reaches main's data yet");

        db("admin").runCommand(new Document("createBranch", "exp"));
        Document forked = storage(false);
        assertEquals(0L, branch(forked, "exp").getLong("bytes"), "a branch costs no version bytes");
        assertTrue(branch(forked, "main").getLong("uniqueBytes") < mainLoaded.getLong("bytes") / 100,
                "exp reaches all of main at its fork: " + branch(forked, "main").toJson());

        // exp rewrites 10% of the documents.
        MongoCollection<Document> expItems = db("shop~exp").getCollection("items");
        expItems.updateMany(Filters.lt("_id", DOCS / 10), Updates.set("description", "relabelled ".repeat(90)));
        Document rewritten = storage(false);
        Document exp = branch(rewritten, "exp");
        assertEquals(DOCS / 10, exp.getLong("uniqueVersions"), exp.toJson());
        double share = (double) exp.getLong("uniqueBytes") / branch(rewritten, "main").getLong("bytes");
        assertTrue(share > 0.07 && share < 0.13, "exp's unique bytes are about 10% of the data: " + share);
        assertEquals(exp.getLong("bytes"), exp.getLong("uniqueBytes"));

        // main writes on after the fork: those versions are main's alone.
        items.updateMany(Filters.gte("_id", DOCS - DOCS / 20), Updates.set("description", "sold out"));
        Document later = storage(false);
        assertTrue(branch(later, "main").getLong("uniqueVersions") >= DOCS / 20, branch(later, "main").toJson());
        assertEquals(DOCS / 10, branch(later, "exp").getLong("uniqueVersions"));
        assertEquals(0L, later.getLong("unownedBytes"));
    }
}
