package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.argon.engine.gc.GcSettings;
import dev.argon.engine.store.StoreChecker;
import dev.argon.wal.FsckReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.client.model.changestream.FullDocumentBeforeChange;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * History compaction over the wire: a branch, documents rewritten many times on it and on main, then
 * {@code {compactHistory: 1, hotWindowSeconds: 0}}; time-travel reads ({@code db~branch@lsn}) of every commit,
 * {@code diff}, {@code branchLog}, a merge preview's base, {@code revert} and a change stream resumed from a token
 * below the cutoff (its log entries now in log segments) answer as before, the versions family
 * holds fewer bytes locally, the segments are under {@code <data>/objects}, fsck is clean, and after a restart
 * everything still reads the same.
 */
class HistoryTierIT extends ArgonTestBase {

    @Override
    protected GcSettings gcSettings() {
        return new GcSettings(-1, GcSettings.DEFAULTS.reflogWindowMillis(), 0, 5000);
    }

    private Document admin(Document command) {
        return db("admin").runCommand(command);
    }

    private long head() {
        return ((Number) admin(new Document("argonStatus", 1)).get("headLsn")).longValue();
    }

    private List<Document> read(String ref) {
        return db("shop~" + ref).getCollection("items").find().sort(new Document("_id", 1)).into(new ArrayList<>());
    }

    private List<Document> cursor(Document command) {
        Document r = admin(command);
        Document c = r.get("cursor", Document.class);
        List<Document> out = new ArrayList<>(c.getList("firstBatch", Document.class));
        long id = ((Number) c.get("id")).longValue();
        while (id != 0) {
            Document more = admin(new Document("getMore", id).append("collection", c.getString("ns").substring(c.getString("ns").indexOf('.') + 1)));
            Document mc = more.get("cursor", Document.class);
            out.addAll(mc.getList("nextBatch", Document.class));
            id = ((Number) mc.get("id")).longValue();
        }
        return out;
    }

    /** The versions family's bytes once RocksDB has compacted it (deletes are tombstones until then). */
    private long versionsBytes() {
        server.engine().store().walForTests().flush(true);
        Document s = admin(new Document("argonStorage", 1).append("flush", true));
        Document fam = s.get("rocksdb", Document.class).get("families", Document.class).get("versions", Document.class);
        return ((Number) fam.get("sstBytes")).longValue() + ((Number) fam.get("memtableBytes")).longValue();
    }

    /** Everything this test reads, by name. */
    private Map<String, Object> everything(List<Long> points) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String ref : List.of("main", "exp", "v1")) {
            out.put(ref, read(ref));
        }
        for (long p : points) {
            out.put("main@" + p, read("main@" + p));
            out.put("exp@" + p, read("exp@" + p));
        }
        out.put("diff main exp", cursor(new Document("diff", "main").append("to", "exp").append("full", true)));
        out.put("diff v1 exp", cursor(new Document("diff", "v1").append("to", "exp").append("full", true)));
        List<Document> log = cursor(new Document("branchLog", "exp").append("limit", 0));
        log.forEach(d -> d.remove("time"));
        out.put("branchLog exp", log);
        Document preview = admin(new Document("mergeBranch", "exp").append("into", "main").append("preview", true));
        Map<String, Object> p = new LinkedHashMap<>();
        for (String f : List.of("headLsn", "counts", "conflictCount", "baseLsn", "sourceHeadLsn")) {
            p.put(f, preview.get(f));
        }
        p.put("conflicts", preview.get("cursor", Document.class).get("firstBatch"));
        out.put("merge preview", p);
        return out;
    }

    private static Map<String, Object> timeTravel(Map<String, Object> all) {
        Map<String, Object> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.contains("@") || k.equals("main") || k.equals("v1")) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Up to n raw events of a change stream on items resumed after token, updateLookup so images are read too. */
    static List<BsonDocument> events(MongoCollection<Document> items, BsonDocument token, int n) {
        List<BsonDocument> out = new ArrayList<>();
        try (MongoCursor<BsonDocument> c = items.watch().resumeAfter(token).fullDocument(FullDocument.UPDATE_LOOKUP)
                .fullDocumentBeforeChange(FullDocumentBeforeChange.WHEN_AVAILABLE)
                .maxAwaitTime(200, TimeUnit.MILLISECONDS).withDocumentClass(BsonDocument.class).cursor()) {
            int idle = 0;
            while (out.size() < n && idle < 20) {
                BsonDocument e = c.tryNext();
                if (e == null) {
                    idle++;
                } else {
                    out.add(e);
                }
            }
        }
        return out;
    }

    @Test
    void compactedHistoryReadsAsBefore() throws Exception {
        MongoCollection<Document> items = db("shop").getCollection("items");
        BsonDocument token;
        try (MongoCursor<BsonDocument> c = items.watch().maxAwaitTime(200, TimeUnit.MILLISECONDS)
                .withDocumentClass(BsonDocument.class).cursor()) {
            items.insertOne(new Document("_id", "token").append("v", 0));
            token = c.next().getDocument("_id");
        }
        for (int i = 1; i <= 50; i++) {
            items.insertOne(new Document("_id", i).append("v", 0).append("pad", "x".repeat(200)));
        }
        admin(new Document("createBranch", "exp"));
        MongoCollection<Document> exp = db("shop~exp").getCollection("items");
        List<Long> points = new ArrayList<>();
        for (int round = 1; round <= 30; round++) {
            exp.updateMany(Filters.lte("_id", 25), Updates.set("v", "exp-" + round));
            items.updateMany(Filters.gt("_id", 40), Updates.set("v", "main-" + round));
            if (round % 5 == 0) {
                points.add(head());
            }
            if (round == 10) {
                admin(new Document("createTag", "v1").append("ref", "exp"));
            }
        }
        exp.deleteOne(Filters.eq("_id", 3));
        long revertLsn = head();
        Map<String, Object> before = everything(points);
        List<BsonDocument> streamBefore = events(items, token, 120);
        assertEquals(120, streamBefore.size(), "events after the token before compaction");
        long bytesBefore = versionsBytes();

        Document r = admin(new Document("compactHistory", 1).append("hotWindowSeconds", 0));
        assertTrue(((Number) r.get("versions")).longValue() > 900, r.toJson());
        assertTrue(((Number) r.get("segments")).longValue() >= 1, r.toJson());
        long bytesAfter = versionsBytes();
        assertTrue(bytesAfter < bytesBefore, "versions bytes " + bytesBefore + " -> " + bytesAfter);
        assertEquals(before, everything(points), "reads after compaction");
        assertTrue(((Number) r.get("logEntries")).longValue() > 300, "the log moved to log segments too: " + r.toJson());
        assertEquals(streamBefore, events(items, token, 120), "a change stream resumed from a token below the cutoff");

        Document reverted = admin(new Document("revert", "exp").append("lsn", revertLsn));
        assertEquals(1, ((Number) reverted.get("reverted")).intValue(), reverted.toJson());
        assertEquals("exp-30", read("exp").get(2).get("v"), "the deleted document is back, with its compacted pre-image");

        restart();
        // The revert changed exp's head (and so diffs against it); every time-travel point and the other refs read
        // as they did before compaction.
        assertEquals(timeTravel(before), timeTravel(everything(points)), "reads after a restart");

        server.close();
        FsckReport report = StoreChecker.check(dataDir);
        assertEquals(List.of(), report.problems(), "fsck of the compacted directory");
        server = null;
        client.close();
        client = null;
    }
}
