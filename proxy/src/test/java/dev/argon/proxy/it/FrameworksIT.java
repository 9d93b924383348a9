package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.MongoTransactionManager;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The frameworks applications run their transactions and change streams through, against a real server: Spring
 * Data MongoDB's {@code MongoTransactionManager} with a {@code TransactionTemplate} (as {@code @Transactional}
 * uses it), and Mongoose's {@code connection.transaction()} and {@code Model.watch()} through Node.js.
 */
class FrameworksIT extends ArgonTestBase {

    @Test
    void springTransactionTemplateCommitsBothCollectionsOrNeither() {
        SimpleMongoClientDatabaseFactory factory = new SimpleMongoClientDatabaseFactory(client, "spring");
        MongoTemplate template = new MongoTemplate(factory);
        TransactionTemplate tx = new TransactionTemplate(new MongoTransactionManager(factory));
        template.createCollection("orders");
        template.insert(new Document("_id", "apple").append("n", 10), "stock");

        tx.executeWithoutResult(status -> {
            template.insert(new Document("_id", 1).append("item", "apple"), "orders");
            template.updateFirst(query(where("_id").is("apple")), new Update().inc("n", -1), "stock");
            // Another client sees nothing of the open transaction.
            assertNull(db("spring").getCollection("orders").find(new Document("_id", 1)).first());
        });
        assertEquals(1, db("spring").getCollection("orders").countDocuments());
        assertEquals(9, db("spring").getCollection("stock").find().first().getInteger("n"));

        IllegalStateException boom = assertThrows(IllegalStateException.class, () -> tx.executeWithoutResult(status -> {
            template.insert(new Document("_id", 2).append("item", "apple"), "orders");
            template.updateFirst(query(where("_id").is("apple")), new Update().inc("n", -1), "stock");
            throw new IllegalStateException("payment declined");
        }));
        assertEquals("payment declined", boom.getMessage());
        assertEquals(1, db("spring").getCollection("orders").countDocuments(), "the rolled-back insert left nothing");
        assertEquals(9, db("spring").getCollection("stock").find().first().getInteger("n"), "the rolled-back update left nothing");

        // The committed transaction is one commit holding both collections' writes; the rolled-back one left none
        // (the older entry is the createCollection).
        List<Document> log = CommandCursor.all(client, new Document("branchLog", "main").append("ns", "spring.orders"));
        assertEquals(2, log.size(), log.toString());
        Document counts = log.get(0).get("counts", Document.class);
        assertEquals(new Document("insert", 1), counts.get("spring.orders"), log.toString());
        assertEquals(new Document("update", 1), counts.get("spring.stock"), log.toString());
    }

    @Test
    void mongooseTransactionAndWatch() throws Exception {
        ExternalClient.require(ExternalClient.nodeDriverPresent() && java.nio.file.Files.isDirectory(ExternalClient.NODE_MODULES.resolve("mongoose")),
                "Mongoose (npm package mongoose)");
        String out = ExternalClient.run(List.of("node", "mongoose.js", uri(), "mongoosedb"));
        ExternalClient.assertOk(out, "mongoose");
    }
}
