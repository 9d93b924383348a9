package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.junit.jupiter.api.Test;

/**
 * What a user reads about a collection: {@code collStats}, the {@code $collStats} stage (mongosh's
 * {@code db.c.stats()}), {@code dbStats}, {@code $indexStats} with the planner's access counts, and
 * {@code listIndexes} with every option; each per branch and time-travel view.
 */
class CollectionStatsIT extends ArgonTestBase {

    private Document admin(String json) {
        return db("admin").runCommand(doc(json));
    }

    private static long bsonSize(Document d) {
        return new RawBsonDocument(d.toBsonDocument(), new BsonDocumentCodec()).getByteBuffer().remaining();
    }

    private static long num(Document d, String field) {
        return d.get(field, Number.class).longValue();
    }

    /** 100 documents of growing size, and the sum of their BSON sizes. */
    private long load(MongoCollection<Document> c) {
        long bytes = 0;
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Document d = new Document("_id", i).append("a", i % 10).append("pad", "x".repeat(i));
            bytes += bsonSize(d);
            docs.add(d);
        }
        c.insertMany(docs);
        return bytes;
    }

    @Test
    void collStatsCountsSizesAndIndexesOfTheBranchAndView() {
        MongoCollection<Document> c = db("cs").getCollection("items");
        long bytes = load(c);
        c.createIndex(new Document("a", 1));
        long lsn = admin("{argonStatus: 1}").getLong("headLsn");

        Document s = db("cs").runCommand(new Document("collStats", "items"));
        assertEquals("cs.items", s.getString("ns"));
        assertEquals(100, num(s, "count"));
        assertEquals(bytes, num(s, "size"), "size is the documents' BSON bytes");
        assertEquals(bytes / 100.0, s.get("avgObjSize", Number.class).doubleValue(), 1e-9);
        assertEquals(2, s.getInteger("nindexes"));
        Document sizes = s.get("indexSizes", Document.class);
        assertEquals(List.of("_id_", "a_1"), new ArrayList<>(sizes.keySet()));
        assertTrue(num(sizes, "_id_") > 0 && num(sizes, "a_1") > 0, sizes.toJson());
        assertEquals(num(sizes, "_id_") + num(sizes, "a_1"), num(s, "totalIndexSize"));
        assertTrue(num(s, "storageSize") > 0);
        assertEquals(num(s, "storageSize") + num(s, "totalIndexSize"), num(s, "totalSize"));

        Document scaled = db("cs").runCommand(new Document("collStats", "items").append("scale", 1024));
        assertEquals(bytes / 1024, num(scaled, "size"));
        assertEquals(1024, scaled.getInteger("scaleFactor"));
        assertEquals(2, assertThrows(MongoCommandException.class,
                () -> db("cs").runCommand(new Document("collStats", "items").append("scale", 0))).getErrorCode());

        // A branch: its own deletes and index drop; main and the view before keep theirs.
        admin("{createBranch: 'cs-exp'}");
        MongoCollection<Document> exp = db("cs~cs-exp").getCollection("items");
        exp.deleteMany(Filters.lt("_id", 10));
        exp.dropIndex("a_1");
        c.insertOne(new Document("_id", 1000).append("a", 1));
        Document onBranch = db("cs~cs-exp").runCommand(new Document("collStats", "items"));
        assertEquals(90, num(onBranch, "count"));
        assertEquals(1, onBranch.getInteger("nindexes"));
        assertEquals(List.of("_id_"), new ArrayList<>(onBranch.get("indexSizes", Document.class).keySet()));
        assertEquals(101, num(db("cs").runCommand(new Document("collStats", "items")), "count"));
        Document past = db("cs~main@" + lsn).runCommand(new Document("collStats", "items"));
        assertEquals(100, num(past, "count"));
        assertEquals(bytes, num(past, "size"));
        assertEquals(2, past.getInteger("nindexes"));

        Document missing = db("cs").runCommand(new Document("collStats", "nothing"));
        assertEquals(0, num(missing, "count"));
        assertEquals(0, num(missing, "size"));

        // dbStats adds up the same figures.
        Document dbs = db("cs").runCommand(new Document("dbStats", 1));
        Document now = db("cs").runCommand(new Document("collStats", "items"));
        assertEquals(num(now, "count"), num(dbs, "objects"));
        assertEquals(num(now, "size"), num(dbs, "dataSize"));
        assertEquals(num(now, "totalIndexSize"), num(dbs, "indexSize"));
        assertEquals(2, num(dbs, "indexes"));
    }

    @Test
    void collStatsStageAnswersWhatMongoshStatsReads() {
        MongoCollection<Document> c = db("cst").getCollection("items");
        long bytes = load(c);
        c.createIndex(new Document("a", -1));
        List<Document> out = c.aggregate(List.of(doc("{$collStats: {storageStats: {scale: 1}, count: {}}}"))).into(new ArrayList<>());
        assertEquals(1, out.size());
        Document r = out.get(0);
        assertEquals("cst.items", r.getString("ns"));
        assertTrue(r.getString("host").contains(":"), r.toJson());
        assertTrue(r.get("localTime") instanceof Date);
        assertEquals(100, num(r, "count"));
        Document st = r.get("storageStats", Document.class);
        Document cmd = db("cst").runCommand(new Document("collStats", "items"));
        for (String f : List.of("count", "size", "storageSize", "nindexes", "totalIndexSize", "totalSize")) {
            assertEquals(num(cmd, f), num(st, f), f);
        }
        assertEquals(bytes, num(st, "size"));
        assertEquals(cmd.get("indexSizes"), st.get("indexSizes"));

        // mongosh's totalIndexSize(): $collStats then $group.
        Document total = c.aggregate(List.of(doc("{$collStats: {storageStats: {}}}"),
                doc("{$group: {_id: null, value: {$sum: '$storageStats.totalIndexSize'}}}"))).first();
        assertEquals(num(cmd, "totalIndexSize"), num(total, "value"));

        assertEquals(40602, assertThrows(MongoCommandException.class,
                () -> c.aggregate(List.of(doc("{$match: {}}"), doc("{$collStats: {}}"))).first()).getErrorCode());
        assertEquals(40415, assertThrows(MongoCommandException.class,
                () -> c.aggregate(List.of(doc("{$collStats: {bogus: {}}}"))).first()).getErrorCode());
        assertEquals(26, assertThrows(MongoCommandException.class,
                () -> db("cst").getCollection("none").aggregate(List.of(doc("{$collStats: {storageStats: {}}}"))).first()).getErrorCode());
    }

    private static Document stat(List<Document> stats, String name) {
        for (Document d : stats) {
            if (d.getString("name").equals(name)) {
                return d;
            }
        }
        throw new AssertionError("no $indexStats entry " + name + " in " + stats);
    }

    private static long ops(List<Document> stats, String name) {
        return num(stat(stats, name).get("accesses", Document.class), "ops");
    }

    private static List<Document> indexStats(MongoCollection<Document> c) {
        return c.aggregate(List.of(doc("{$indexStats: {}}"))).into(new ArrayList<>());
    }

    @Test
    void indexStatsCountsThePlansThatRanPerBranch() {
        MongoCollection<Document> c = db("ixs").getCollection("items");
        load(c);
        c.createIndex(new Document("a", 1));
        c.createIndex(new Document("pad", 1));
        List<Document> before = indexStats(c);
        assertEquals(List.of("_id_", "a_1", "pad_1"), before.stream().map(d -> d.getString("name")).toList());
        assertEquals(0, ops(before, "a_1"));
        Document a = stat(before, "a_1");
        assertEquals(new Document("a", 1), a.get("key"));
        assertEquals("a_1", a.get("spec", Document.class).getString("name"));
        assertTrue(a.getString("host").contains(":"));
        assertTrue(a.get("accesses", Document.class).get("since") instanceof Date);

        assertEquals(10, c.find(Filters.eq("a", 5)).into(new ArrayList<>()).size());
        assertEquals(10, c.countDocuments(Filters.eq("a", 6)));
        c.find(Filters.eq("_id", 3)).first();
        c.find(Filters.eq("pad", "xx")).explain(); // explaining is not using
        c.find(Filters.gt("_id", -1)).hint(new Document("$natural", 1)).first(); // a collection scan uses no index
        List<Document> after = indexStats(c);
        assertEquals(2, ops(after, "a_1"));
        assertEquals(1, ops(after, "_id_"));
        assertEquals(0, ops(after, "pad_1"));
        assertEquals(stat(before, "a_1").get("accesses", Document.class).get("since"),
                stat(after, "a_1").get("accesses", Document.class).get("since"));

        // A branch counts its own uses; main's are not its.
        admin("{createBranch: 'ixs-exp'}");
        MongoCollection<Document> exp = db("ixs~ixs-exp").getCollection("items");
        assertEquals(0, ops(indexStats(exp), "a_1"));
        exp.updateMany(Filters.eq("a", 1), new Document("$set", new Document("b", 1)));
        exp.find(Filters.eq("pad", "x")).first();
        List<Document> onBranch = indexStats(exp);
        assertEquals(1, ops(onBranch, "a_1"));
        assertEquals(1, ops(onBranch, "pad_1"));
        assertEquals(2, ops(indexStats(c), "a_1"));
        assertEquals(0, ops(indexStats(c), "pad_1"));

        assertEquals(List.of(), indexStats(db("ixs").getCollection("none")));
        assertEquals(28803, assertThrows(MongoCommandException.class,
                () -> c.aggregate(List.of(doc("{$indexStats: {x: 1}}"))).first()).getErrorCode());
    }

    @Test
    void listIndexesShowsEveryOption() {
        MongoCollection<Document> c = db("lix").getCollection("items");
        c.insertOne(new Document("_id", 1).append("a", 1).append("at", new Date()));
        c.createIndex(new Document("a", 1), new IndexOptions().unique(true).name("ua"));
        c.createIndex(new Document("s", 1), new IndexOptions().sparse(true));
        c.createIndex(new Document("p", 1), new IndexOptions().partialFilterExpression(doc("{p: {$gt: 5}}")));
        c.createIndex(new Document("at", 1), new IndexOptions().expireAfter(3600L, TimeUnit.SECONDS));
        c.createIndex(new Document("n", 1), new IndexOptions().collation(
                com.mongodb.client.model.Collation.builder().locale("en").build()));
        List<Document> list = c.listIndexes().into(new ArrayList<>());
        assertEquals(List.of("_id_", "ua", "s_1", "p_1", "at_1", "n_1"), list.stream().map(d -> d.getString("name")).toList());
        assertEquals(true, list.get(1).getBoolean("unique"));
        assertEquals(true, list.get(2).getBoolean("sparse"));
        assertEquals(doc("{p: {$gt: 5}}"), list.get(3).get("partialFilterExpression"));
        assertEquals(3600L, num(list.get(4), "expireAfterSeconds"));
        assertEquals("en", list.get(5).get("collation", Document.class).getString("locale"));
        BsonDocument id = list.get(0).toBsonDocument();
        assertEquals(BsonDocument.parse("{v: 2, key: {_id: 1}, name: '_id_'}"), id);
    }

    @Test
    void mongoshStatsReadsTheStage() throws Exception {
        ExternalClient.require(ExternalClient.mongoshPresent(), "mongosh (npm package mongosh)");
        String out = ExternalClient.run(List.of(ExternalClient.NODE_MODULES.resolve(".bin/mongosh").toString(), "--quiet", "--norc",
                uri() + "xstatssh", "--file", "stats.mongosh.js"));
        ExternalClient.assertOk(out, "mongosh-stats");
    }
}
