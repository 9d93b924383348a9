package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCollection;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AggregateIT extends ArgonTestBase {
    private MongoCollection<Document> sales;

    @BeforeAll
    void load() {
        sales = db("agg").getCollection("sales");
        sales.insertMany(List.of(
                doc("{_id: 1, item: 'a', qty: 2, price: 10, tags: ['x', 'y']}"),
                doc("{_id: 2, item: 'b', qty: 1, price: 20, tags: ['y']}"),
                doc("{_id: 3, item: 'a', qty: 5, price: 10, tags: []}"),
                doc("{_id: 4, item: 'c', qty: 3, price: 5}")));
    }

    private List<Document> run(String... stages) {
        List<Document> p = new ArrayList<>();
        for (String s : stages) {
            p.add(doc(s));
        }
        return sales.aggregate(p).into(new ArrayList<>());
    }

    @Test
    void matchGroupSort() {
        List<Document> r = run("{$match: {qty: {$gte: 2}}}",
                "{$group: {_id: '$item', total: {$sum: {$multiply: ['$qty', '$price']}}, n: {$sum: 1}, avg: {$avg: '$qty'},"
                        + " lo: {$min: '$qty'}, hi: {$max: '$qty'}, first: {$first: '$_id'}, last: {$last: '$_id'},"
                        + " all: {$push: '$qty'}, set: {$addToSet: '$price'}}}",
                "{$sort: {total: -1}}");
        assertEquals(2, r.size());
        Document a = r.get(0);
        assertEquals("a", a.get("_id"));
        assertEquals(70, a.get("total", Number.class).intValue());
        assertEquals(2, a.get("n", Number.class).intValue());
        assertEquals(3.5, a.get("avg", Number.class).doubleValue());
        assertEquals(2, a.get("lo", Number.class).intValue());
        assertEquals(5, a.get("hi", Number.class).intValue());
        assertEquals(1, a.get("first", Number.class).intValue());
        assertEquals(3, a.get("last", Number.class).intValue());
        assertEquals(List.of(2, 5), a.getList("all", Integer.class));
        assertEquals(List.of(10), a.getList("set", Integer.class));
        assertEquals("c", r.get(1).get("_id"));
    }

    @Test
    void projectAddFieldsSkipLimitCount() {
        List<Document> r = run("{$sort: {_id: 1}}", "{$skip: 1}", "{$limit: 2}", "{$addFields: {value: {$multiply: ['$qty', '$price']}}}",
                "{$project: {_id: 0, item: 1, value: 1}}");
        assertEquals(List.of(doc("{item: 'b', value: 20}"), doc("{item: 'a', value: 50}")), r);
        assertEquals(List.of(doc("{n: 3}")), run("{$match: {price: {$gte: 10}}}", "{$count: 'n'}"));
    }

    @Test
    void unwind() {
        List<Document> r = run("{$unwind: '$tags'}", "{$project: {tags: 1}}");
        assertEquals(List.of(doc("{_id: 1, tags: 'x'}"), doc("{_id: 1, tags: 'y'}"), doc("{_id: 2, tags: 'y'}")), r);
        List<Document> keep = run("{$unwind: {path: '$tags', preserveNullAndEmptyArrays: true}}", "{$project: {tags: 1}}");
        assertEquals(5, keep.size());
    }

    @Test
    void unknownStageIsAnError() {
        MongoCommandException e = assertThrows(MongoCommandException.class, () -> run("{$frob: {}}"));
        assertEquals(40324, e.getErrorCode());
    }

    @Test
    void largeResultComesBackThroughGetMore() {
        MongoCollection<Document> c = db("agg").getCollection("many");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            docs.add(new Document("_id", i).append("g", i % 3));
        }
        c.insertMany(docs);
        List<Document> all = c.aggregate(List.of(doc("{$match: {g: 1}}"))).batchSize(50).into(new ArrayList<>());
        assertEquals(1000, all.size());
    }
}
