package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Many clients writing one branch at once, whose commits are pipelined (a writer releases the branch lock once
 * its commit is queued): every acknowledged write is read back by its client at once, a unique index admits one
 * document per key, updates of one document are never lost, and everything is still there after a restart.
 */
class PipelinedWritesIT extends ArgonTestBase {
    private static final int CLIENTS = 8;

    private static List<Thread> start(int n, java.util.function.IntConsumer body, List<Throwable> errors) {
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            int me = t;
            Thread th = new Thread(() -> {
                try {
                    body.accept(me);
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            });
            th.start();
            ts.add(th);
        }
        return ts;
    }

    @Test
    void concurrentInsertsKeepUniqueKeysAndEveryAcknowledgedInsertIsReadBack() throws Exception {
        MongoCollection<Document> c = db("shop").getCollection("items").withWriteConcern(WriteConcern.JOURNALED);
        c.createIndex(Indexes.ascending("sku"), new IndexOptions().unique(true));
        int perClient = 100;
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        Set<Integer> refused = ConcurrentHashMap.newKeySet();
        List<Throwable> errors = new ArrayList<>();
        for (Thread th : start(CLIENTS, me -> {
            for (int i = 0; i < perClient; i++) {
                int id = me * perClient + i;
                // Two clients want each sku: exactly one of the two inserts may succeed.
                int sku = id % (CLIENTS * perClient / 2);
                try {
                    c.insertOne(new Document("_id", id).append("sku", sku));
                    acknowledged.add(id);
                    assertEquals(sku, c.find(Filters.eq("_id", id)).first().getInteger("sku"), "read-your-writes");
                } catch (MongoWriteException e) {
                    assertEquals(ErrorCategory.DUPLICATE_KEY, e.getError().getCategory(), e.getMessage());
                    refused.add(id);
                }
            }
        }, errors)) {
            th.join();
        }
        assertEquals(List.of(), errors);
        assertEquals(CLIENTS * perClient / 2, acknowledged.size());
        assertEquals(CLIENTS * perClient / 2, refused.size());
        restart();
        MongoCollection<Document> after = db("shop").getCollection("items");
        Set<Integer> ids = new HashSet<>();
        Set<Integer> skus = new HashSet<>();
        for (Document d : after.find()) {
            ids.add(d.getInteger("_id"));
            assertTrue(skus.add(d.getInteger("sku")), "sku " + d.get("sku") + " stored twice");
        }
        assertEquals(acknowledged, ids);
    }

    @Test
    void concurrentIncrementsOfOneDocumentAreNeverLost() throws Exception {
        MongoCollection<Document> c = db("shop").getCollection("counters");
        c.insertOne(new Document("_id", "hot").append("n", 0));
        int perClient = 200;
        List<Throwable> errors = new ArrayList<>();
        for (Thread th : start(CLIENTS, me -> {
            for (int i = 0; i < perClient; i++) {
                assertEquals(1, c.updateOne(Filters.eq("_id", "hot"), Updates.inc("n", 1)).getModifiedCount());
            }
        }, errors)) {
            th.join();
        }
        assertEquals(List.of(), errors);
        assertEquals(CLIENTS * perClient, c.find(Filters.eq("_id", "hot")).first().getInteger("n"));
        // One commit per update, each evaluated over the one before: the branch log has them all.
        restart();
        assertEquals(CLIENTS * perClient, db("shop").getCollection("counters").find(Filters.eq("_id", "hot")).first().getInteger("n"));
    }
}
