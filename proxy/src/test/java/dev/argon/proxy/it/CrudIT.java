package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.result.DeleteResult;
import com.mongodb.client.result.UpdateResult;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

class CrudIT extends ArgonTestBase {

    private MongoCollection<Document> fresh(String name) {
        MongoCollection<Document> c = db("crud").getCollection(name);
        c.drop();
        return c;
    }

    @Test
    void insertGeneratesIdAndFindReturnsIt() {
        MongoCollection<Document> c = fresh("ins");
        Document d = doc("{name: 'ada', tags: ['x', 'y']}");
        c.insertOne(d);
        assertTrue(d.get("_id") instanceof ObjectId);
        Document back = c.find(Filters.eq("name", "ada")).first();
        assertEquals(d.get("_id"), back.get("_id"));
        assertEquals(List.of("x", "y"), back.getList("tags", String.class));
    }

    @Test
    void duplicateIdIsError11000WithTheKeyInTheMessage() {
        MongoCollection<Document> c = fresh("dup");
        c.insertOne(doc("{_id: 7, a: 1}"));
        MongoWriteException e = assertThrows(MongoWriteException.class, () -> c.insertOne(doc("{_id: 7, a: 2}")));
        assertEquals(11000, e.getError().getCode());
        assertTrue(e.getMessage().contains("dup key: { _id: 7 }"), e.getMessage());
        assertEquals(1, c.find(Filters.eq("_id", 7)).first().getInteger("a"));
    }

    @Test
    void orderedInsertStopsAtFirstErrorUnorderedCarriesOn() {
        MongoCollection<Document> c = fresh("ordered");
        List<Document> docs = List.of(doc("{_id: 1}"), doc("{_id: 1}"), doc("{_id: 2}"));
        MongoBulkWriteException e = assertThrows(MongoBulkWriteException.class, () -> c.insertMany(docs));
        assertEquals(1, e.getWriteErrors().size());
        assertEquals(1, e.getWriteErrors().get(0).getIndex());
        assertEquals(1, c.countDocuments());

        MongoCollection<Document> u = fresh("unordered");
        List<Document> docs2 = List.of(doc("{_id: 1}"), doc("{_id: 1}"), doc("{_id: 2}"), doc("{_id: 2}"), doc("{_id: 3}"));
        MongoBulkWriteException e2 = assertThrows(MongoBulkWriteException.class,
                () -> u.insertMany(docs2, new InsertManyOptions().ordered(false)));
        assertEquals(2, e2.getWriteErrors().size());
        assertEquals(List.of(1, 3), List.of(e2.getWriteErrors().get(0).getIndex(), e2.getWriteErrors().get(1).getIndex()));
        assertEquals(3, u.countDocuments());
    }

    private static List<Document> ids(int from, int to) {
        List<Document> docs = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            docs.add(new Document("_id", i).append("v", "n" + i));
        }
        return docs;
    }

    /** Batches large enough for the one-pass check of new ids still report each duplicate where mongod does. */
    @Test
    void largeBatchesReportStoredAndRepeatedIdsPerDocument() {
        MongoCollection<Document> c = fresh("batchdup");
        c.insertMany(ids(1, 40));
        c.insertOne(new Document("_id", 100));

        List<Document> overStored = ids(90, 110);
        MongoBulkWriteException ordered = assertThrows(MongoBulkWriteException.class, () -> c.insertMany(overStored));
        assertEquals(1, ordered.getWriteErrors().size());
        assertEquals(10, ordered.getWriteErrors().get(0).getIndex(), "id 100 is the 11th");
        assertEquals(11000, ordered.getWriteErrors().get(0).getCode());
        assertEquals(10, ordered.getWriteResult().getInsertedCount(), "ordered: the documents before it only");

        List<Document> repeated = ids(200, 219);
        repeated.add(15, new Document("_id", 205));
        MongoBulkWriteException unordered = assertThrows(MongoBulkWriteException.class,
                () -> c.insertMany(repeated, new InsertManyOptions().ordered(false)));
        assertEquals(1, unordered.getWriteErrors().size());
        assertEquals(15, unordered.getWriteErrors().get(0).getIndex(), "the second 205");
        assertEquals(20, unordered.getWriteResult().getInsertedCount());

        c.insertMany(ids(41, 89));
        assertEquals(41 + 10 + 20 + 49, c.countDocuments());
        assertEquals("n205", c.find(Filters.eq("_id", 205)).first().getString("v"), "the first 205 is the one stored");
    }

    @Test
    void findWithFilterProjectionSortSkipLimit() {
        MongoCollection<Document> c = fresh("find");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            docs.add(new Document("_id", i).append("n", i % 10).append("s", "v" + i).append("sub", new Document("k", i)));
        }
        c.insertMany(docs);
        List<Document> r = c.find(Filters.and(Filters.gte("n", 5), Filters.lt("_id", 40)))
                .projection(Projections.fields(Projections.include("n", "sub.k"), Projections.excludeId()))
                .sort(Sorts.orderBy(Sorts.descending("n"), Sorts.ascending("_id")))
                .skip(2).limit(5).into(new ArrayList<>());
        assertEquals(5, r.size());
        assertEquals(doc("{n: 9, sub: {k: 29}}"), r.get(0));
        assertEquals(doc("{n: 9, sub: {k: 39}}"), r.get(1));
        assertEquals(doc("{n: 8, sub: {k: 8}}"), r.get(2));
    }

    @Test
    void cursorsBatchAndGetMoreAndKill() {
        MongoCollection<Document> c = fresh("cursor");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            docs.add(new Document("_id", i));
        }
        c.insertMany(docs);
        int n = 0;
        int expected = 0;
        try (MongoCursor<Document> cur = c.find().batchSize(7).iterator()) {
            while (cur.hasNext()) {
                assertEquals(expected++, cur.next().getInteger("_id"));
                n++;
            }
        }
        assertEquals(1000, n);
        Document first = db("crud").runCommand(doc("{find: 'cursor', batchSize: 3}"));
        Document cursor = first.get("cursor", Document.class);
        long id = cursor.getLong("id");
        assertEquals(3, cursor.getList("firstBatch", Document.class).size());
        Document more = db("crud").runCommand(new Document("getMore", id).append("collection", "cursor").append("batchSize", 4));
        assertEquals(4, more.get("cursor", Document.class).getList("nextBatch", Document.class).size());
        Document killed = db("crud").runCommand(new Document("killCursors", "cursor").append("cursors", List.of(id)));
        assertEquals(List.of(id), killed.getList("cursorsKilled", Long.class));
        MongoCommandException e = assertThrows(MongoCommandException.class,
                () -> db("crud").runCommand(new Document("getMore", id).append("collection", "cursor")));
        assertEquals(43, e.getErrorCode());
        Document single = db("crud").runCommand(doc("{find: 'cursor', batchSize: 3, singleBatch: true}"));
        assertEquals(0L, single.get("cursor", Document.class).getLong("id"));
    }

    @Test
    void updateOperatorsUpsertMultiAndArrayFilters() {
        MongoCollection<Document> c = fresh("upd");
        c.insertMany(List.of(doc("{_id: 1, n: 1, arr: [1, 5, 9], grades: [{g: 80}, {g: 95}]}"), doc("{_id: 2, n: 2}"), doc("{_id: 3, n: 3}")));
        UpdateResult r = c.updateOne(Filters.eq("_id", 1), Updates.combine(Updates.inc("n", 10), Updates.set("a.b", "x"),
                Updates.push("arr", 11)));
        assertEquals(1, r.getMatchedCount());
        assertEquals(1, r.getModifiedCount());
        assertEquals(doc("{_id: 1, n: 11, arr: [1, 5, 9, 11], grades: [{g: 80}, {g: 95}], a: {b: 'x'}}"), c.find(Filters.eq("_id", 1)).first());

        UpdateResult multi = c.updateMany(Filters.gte("n", 2), Updates.set("big", true));
        assertEquals(3, multi.getMatchedCount());
        UpdateResult same = c.updateMany(Filters.gte("n", 2), Updates.set("big", true));
        assertEquals(3, same.getMatchedCount());
        assertEquals(0, same.getModifiedCount());

        UpdateResult up = c.updateOne(Filters.eq("_id", 9), Updates.combine(Updates.set("v", 1), Updates.setOnInsert("created", true)),
                new UpdateOptions().upsert(true));
        assertEquals(9, up.getUpsertedId().asInt32().getValue());
        assertEquals(doc("{_id: 9, v: 1, created: true}"), c.find(Filters.eq("_id", 9)).first());

        c.updateOne(Filters.eq("_id", 1), Updates.set("grades.$[hi].top", true),
                new UpdateOptions().arrayFilters(List.of(doc("{'hi.g': {$gte: 90}}"))));
        assertEquals(doc("{g: 95, top: true}"), c.find(Filters.eq("_id", 1)).first().getList("grades", Document.class).get(1));

        c.updateOne(Filters.eq("arr", 5), Updates.set("arr.$", 50));
        assertEquals(List.of(1, 50, 9, 11), c.find(Filters.eq("_id", 1)).first().getList("arr", Integer.class));

        c.replaceOne(Filters.eq("_id", 2), doc("{replaced: true}"));
        assertEquals(doc("{_id: 2, replaced: true}"), c.find(Filters.eq("_id", 2)).first());

        MongoWriteException bad = assertThrows(MongoWriteException.class, () -> c.updateOne(Filters.eq("_id", 3), Updates.inc("big", 1)));
        assertEquals(14, bad.getError().getCode());
        MongoWriteException idChange = assertThrows(MongoWriteException.class, () -> c.updateOne(Filters.eq("_id", 3), Updates.set("_id", 4)));
        assertEquals(66, idChange.getError().getCode());
    }

    @Test
    void unknownUpdateOperatorIsFailedToParse() {
        MongoCollection<Document> c = fresh("badupd");
        c.insertOne(doc("{_id: 1}"));
        MongoWriteException e = assertThrows(MongoWriteException.class, () -> c.updateOne(Filters.eq("_id", 1), doc("{$frob: {a: 1}}")));
        assertEquals(9, e.getError().getCode());
        Document raw = db("crud").runCommand(doc("{update: 'badupd', updates: [{q: {_id: 1}, u: {$frob: {a: 1}}}]}"));
        assertEquals(9, raw.getList("writeErrors", Document.class).get(0).getInteger("code"));
    }

    @Test
    void deleteOneAndMany() {
        MongoCollection<Document> c = fresh("del");
        c.insertMany(List.of(doc("{_id: 1, k: 'a'}"), doc("{_id: 2, k: 'a'}"), doc("{_id: 3, k: 'b'}"), doc("{_id: 4, k: 'a'}")));
        DeleteResult one = c.deleteOne(Filters.eq("k", "a"));
        assertEquals(1, one.getDeletedCount());
        assertNull(c.find(Filters.eq("_id", 1)).first());
        DeleteResult many = c.deleteMany(Filters.eq("k", "a"));
        assertEquals(2, many.getDeletedCount());
        assertEquals(1, c.countDocuments());
        MongoCommandException bad = assertThrows(MongoCommandException.class,
                () -> db("crud").runCommand(doc("{delete: 'del', deletes: [{q: {}, limit: 5}]}")));
        assertEquals(9, bad.getErrorCode());
    }

    @Test
    void findAndModifyReturnsBeforeOrAfter() {
        MongoCollection<Document> c = fresh("fam");
        c.insertMany(List.of(doc("{_id: 1, n: 5}"), doc("{_id: 2, n: 1}")));
        Document before = c.findOneAndUpdate(Filters.exists("n"), Updates.inc("n", 1),
                new FindOneAndUpdateOptions().sort(Sorts.ascending("n")));
        assertEquals(doc("{_id: 2, n: 1}"), before);
        Document after = c.findOneAndUpdate(Filters.eq("_id", 1), Updates.inc("n", 1),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        assertEquals(doc("{_id: 1, n: 6}"), after);
        Document upserted = c.findOneAndUpdate(Filters.eq("_id", 3), Updates.set("n", 0),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        assertEquals(doc("{_id: 3, n: 0}"), upserted);
        Document removed = c.findOneAndDelete(Filters.eq("_id", 2));
        assertEquals(doc("{_id: 2, n: 2}"), removed);
        assertNull(c.findOneAndDelete(Filters.eq("_id", 2)));
        assertEquals(2, c.countDocuments());
    }

    @Test
    void countAndDistinct() {
        MongoCollection<Document> c = fresh("cd");
        c.insertMany(List.of(doc("{_id: 1, t: ['a', 'b'], n: 1}"), doc("{_id: 2, t: 'b', n: 2}"), doc("{_id: 3, t: 'c', n: 2}"), doc("{_id: 4, n: 1.0}")));
        assertEquals(2, c.countDocuments(Filters.eq("n", 2)));
        Document cnt = db("crud").runCommand(doc("{count: 'cd', query: {n: {$gte: 1}}, skip: 1, limit: 2}"));
        assertEquals(2, cnt.get("n", Number.class).intValue());
        assertEquals(List.of("a", "b", "c"), c.distinct("t", String.class).into(new ArrayList<>()));
        List<org.bson.BsonValue> ns = c.distinct("n", org.bson.BsonValue.class).into(new ArrayList<>());
        assertEquals(2, ns.size(), "1 and 1.0 are the same value: " + ns);
        assertEquals(4, c.estimatedDocumentCount());
    }

    @Test
    void bigInsertManyAndSortedFilteredReadBack() {
        MongoCollection<Document> c = fresh("big");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            docs.add(new Document("i", i).append("mod", i % 7).append("pad", "p" + i));
        }
        c.insertMany(docs);
        assertEquals(20_000, c.countDocuments());
        List<Document> r = c.find(Filters.eq("mod", 3)).sort(Sorts.descending("i")).into(new ArrayList<>());
        assertEquals(2857, r.size());
        assertEquals(19_995, r.get(0).getInteger("i"));
        for (int k = 1; k < r.size(); k++) {
            assertTrue(r.get(k - 1).getInteger("i") > r.get(k).getInteger("i"));
        }
        assertNotNull(c.find(Filters.eq("i", 12345)).first());
    }

    @Test
    void badQueryOperatorIsBadValue() {
        MongoCollection<Document> c = fresh("badq");
        c.insertOne(doc("{a: 1}"));
        MongoCommandException e = assertThrows(MongoCommandException.class, () -> c.find(doc("{a: {$frob: 1}}")).first());
        assertEquals(2, e.getErrorCode());
        assertEquals("BadValue", e.getErrorCodeName());
    }

    @Test
    void exprComparesFieldsOfTheSameDocument() {
        MongoCollection<Document> c = fresh("expr");
        c.insertMany(List.of(doc("{_id: 1, spent: 5, budget: 10}"), doc("{_id: 2, spent: 15, budget: 10}")));
        assertEquals(List.of(2), c.find(doc("{$expr: {$gt: ['$spent', '$budget']}}")).map(d -> d.getInteger("_id")).into(new ArrayList<>()));
        assertEquals(1, c.countDocuments(doc("{$expr: {$lt: ['$spent', '$budget']}}")));
        MongoCommandException nested = assertThrows(MongoCommandException.class,
                () -> c.find(doc("{a: {$elemMatch: {$expr: {$eq: [1, 1]}}}}")).first());
        assertEquals(2, nested.getErrorCode());
    }

    @Test
    void idRangesWithSortAndLimitReturnTheRightDocuments() {
        MongoCollection<Document> c = fresh("range");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            docs.add(new Document("_id", i));
        }
        docs.add(new Document("_id", "s1"));
        c.insertMany(docs);
        assertEquals(List.of(100, 101, 102), c.find(Filters.gte("_id", 100)).sort(Sorts.ascending("_id")).limit(3)
                .map(d -> d.getInteger("_id")).into(new ArrayList<>()));
        assertEquals(List.of(101, 102), c.find(Filters.and(Filters.gt("_id", 100), Filters.lte("_id", 102)))
                .map(d -> d.getInteger("_id")).into(new ArrayList<>()));
        assertEquals(5, c.countDocuments(Filters.lt("_id", 5)));
        assertEquals(List.of(499, 498), c.find(Filters.gte("_id", 0)).sort(Sorts.descending("_id")).limit(2)
                .map(d -> d.getInteger("_id")).into(new ArrayList<>()));
        assertEquals(List.of("s1"), c.find(Filters.gte("_id", "")).map(d -> d.getString("_id")).into(new ArrayList<>()));
    }
}
