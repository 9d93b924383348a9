package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoNamespace;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.RenameCollectionOptions;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class CatalogIT extends ArgonTestBase {

    @Test
    void createListDropCollections() {
        MongoDatabase d = db("cat1");
        d.createCollection("a");
        d.createCollection("b");
        MongoCommandException exists = assertThrows(MongoCommandException.class, () -> d.createCollection("a"));
        assertEquals(48, exists.getErrorCode());
        assertEquals("NamespaceExists", exists.getErrorCodeName());
        assertEquals(List.of("a", "b"), sorted(d.listCollectionNames().into(new ArrayList<>())));
        List<Document> filtered = d.listCollections().filter(Filters.eq("name", "b")).into(new ArrayList<>());
        assertEquals(1, filtered.size());
        assertEquals("collection", filtered.get(0).getString("type"));
        Document nameOnly = d.runCommand(doc("{listCollections: 1, nameOnly: true}"));
        Document first = nameOnly.get("cursor", Document.class).getList("firstBatch", Document.class).get(0);
        assertEquals(List.of("name", "type"), new ArrayList<>(first.keySet()));
        d.getCollection("a").drop();
        assertEquals(List.of("b"), d.listCollectionNames().into(new ArrayList<>()));
        d.getCollection("never").drop();
    }

    @Test
    void listDatabasesAndDropDatabase() {
        db("cat2").getCollection("x").insertOne(doc("{a: 1}"));
        List<String> names = client.listDatabaseNames().into(new ArrayList<>());
        assertTrue(names.contains("cat2"), names.toString());
        db("cat2").drop();
        assertFalse(client.listDatabaseNames().into(new ArrayList<>()).contains("cat2"));
        assertEquals(0, db("cat2").getCollection("x").countDocuments());
    }

    @Test
    void dropThenRecreateStartsEmpty() {
        MongoCollection<Document> c = db("cat3").getCollection("r");
        c.insertOne(doc("{_id: 1}"));
        c.drop();
        c.insertOne(doc("{_id: 2}"));
        assertEquals(List.of(2), c.find().map(x -> x.getInteger("_id")).into(new ArrayList<>()));
    }

    @Test
    void renameCollectionKeepsDocuments() {
        MongoCollection<Document> c = db("cat4").getCollection("old");
        c.insertMany(List.of(doc("{_id: 1, k: 1}"), doc("{_id: 2, k: 2}")));
        c.createIndex(Indexes.ascending("k"), new IndexOptions().unique(true));
        c.renameCollection(new MongoNamespace("cat4", "new"));
        assertEquals(2, db("cat4").getCollection("new").countDocuments());
        assertEquals(0, db("cat4").getCollection("old").countDocuments());
        assertEquals(2, db("cat4").getCollection("new").listIndexes().into(new ArrayList<>()).size());
        MongoCommandException missing = assertThrows(MongoCommandException.class,
                () -> db("cat4").getCollection("nope").renameCollection(new MongoNamespace("cat4", "x")));
        assertEquals(26, missing.getErrorCode());
        db("cat4").getCollection("other").insertOne(doc("{_id: 9}"));
        MongoCommandException exists = assertThrows(MongoCommandException.class,
                () -> db("cat4").getCollection("other").renameCollection(new MongoNamespace("cat4", "new")));
        assertEquals(48, exists.getErrorCode());
        db("cat4").getCollection("other").renameCollection(new MongoNamespace("cat4", "new"), new RenameCollectionOptions().dropTarget(true));
        assertEquals(1, db("cat4").getCollection("new").countDocuments());
    }

    @Test
    void indexesCreateListDrop() {
        MongoCollection<Document> c = db("cat5").getCollection("ix");
        c.insertOne(doc("{a: 1, b: 2}"));
        assertEquals("a_1", c.createIndex(Indexes.ascending("a")));
        assertEquals("a_1_b_-1", c.createIndex(Indexes.compoundIndex(Indexes.ascending("a"), Indexes.descending("b"))));
        List<Document> ix = c.listIndexes().into(new ArrayList<>());
        assertEquals(List.of("_id_", "a_1", "a_1_b_-1"), ix.stream().map(x -> x.getString("name")).toList());
        assertEquals(doc("{a: 1, b: -1}"), ix.get(2).get("key", Document.class));
        c.dropIndex("a_1");
        assertEquals(2, c.listIndexes().into(new ArrayList<>()).size());
        MongoCommandException notFound = assertThrows(MongoCommandException.class, () -> c.dropIndex("zzz"));
        assertEquals(27, notFound.getErrorCode());
        MongoCommandException idIndex = assertThrows(MongoCommandException.class, () -> c.dropIndex("_id_"));
        assertEquals(72, idIndex.getErrorCode());
        c.dropIndexes();
        assertEquals(1, c.listIndexes().into(new ArrayList<>()).size());
        MongoCommandException noColl = assertThrows(MongoCommandException.class,
                () -> db("cat5").runCommand(doc("{listIndexes: 'nothing'}")));
        assertEquals(26, noColl.getErrorCode());
    }

    @Test
    void uniqueIndexIsEnforced() {
        MongoCollection<Document> c = db("cat6").getCollection("u");
        c.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
        c.insertOne(doc("{email: 'a@x'}"));
        MongoWriteException dup = assertThrows(MongoWriteException.class, () -> c.insertOne(doc("{email: 'a@x'}")));
        assertEquals(11000, dup.getError().getCode());
        assertTrue(dup.getMessage().contains("index: email_1 dup key: { email: \"a@x\" }"), dup.getMessage());
        c.insertOne(doc("{email: 'b@x'}"));
        MongoWriteException viaUpdate = assertThrows(MongoWriteException.class,
                () -> c.updateOne(Filters.eq("email", "b@x"), doc("{$set: {email: 'a@x'}}")));
        assertEquals(11000, viaUpdate.getError().getCode());
        c.deleteOne(Filters.eq("email", "a@x"));
        c.updateOne(Filters.eq("email", "b@x"), doc("{$set: {email: 'a@x'}}"));
        c.insertOne(doc("{other: 1}"));
        MongoWriteException twoMissing = assertThrows(MongoWriteException.class, () -> c.insertOne(doc("{other: 2}")));
        assertEquals(11000, twoMissing.getError().getCode(), "a unique index indexes a missing field as null");
    }

    @Test
    void uniqueSparseAndPartialIndexes() {
        MongoCollection<Document> s = db("cat7").getCollection("sparse");
        s.createIndex(Indexes.ascending("k"), new IndexOptions().unique(true).sparse(true));
        s.insertOne(doc("{x: 1}"));
        s.insertOne(doc("{x: 2}"));
        s.insertOne(doc("{k: 1}"));
        assertEquals(11000, assertThrows(MongoWriteException.class, () -> s.insertOne(doc("{k: 1}"))).getError().getCode());

        MongoCollection<Document> p = db("cat7").getCollection("partial");
        p.createIndex(Indexes.ascending("sku"), new IndexOptions().unique(true)
                .partialFilterExpression(doc("{active: true}")));
        p.insertOne(doc("{sku: 'A', active: false}"));
        p.insertOne(doc("{sku: 'A', active: false}"));
        p.insertOne(doc("{sku: 'A', active: true}"));
        assertEquals(11000, assertThrows(MongoWriteException.class, () -> p.insertOne(doc("{sku: 'A', active: true}"))).getError().getCode());
    }

    @Test
    void uniqueIndexOnViolatingDataIsRefused() {
        MongoCollection<Document> c = db("cat8").getCollection("v");
        c.insertMany(List.of(doc("{k: 1}"), doc("{k: 1}")));
        com.mongodb.MongoServerException e = assertThrows(com.mongodb.MongoServerException.class,
                () -> c.createIndex(Indexes.ascending("k"), new IndexOptions().unique(true)));
        assertEquals(11000, e.getCode());
        assertEquals(1, c.listIndexes().into(new ArrayList<>()).size());
    }

    @Test
    void indexConflicts() {
        MongoCollection<Document> c = db("cat9").getCollection("conf");
        c.createIndex(Indexes.ascending("a"), new IndexOptions().name("myidx"));
        c.createIndex(Indexes.ascending("a"), new IndexOptions().name("myidx"));
        MongoCommandException e = assertThrows(MongoCommandException.class,
                () -> c.createIndex(Indexes.ascending("b"), new IndexOptions().name("myidx")));
        assertEquals(86, e.getErrorCode());
        MongoCommandException e2 = assertThrows(MongoCommandException.class,
                () -> c.createIndex(Indexes.ascending("a"), new IndexOptions().name("other")));
        assertEquals(85, e2.getErrorCode());
    }

    private static List<String> sorted(List<String> l) {
        List<String> c = new ArrayList<>(l);
        c.sort(String::compareTo);
        return c;
    }

    @Test
    void validatorsAreEnforcedAndCollModChangesThem() {
        MongoDatabase d = db("val");
        d.createCollection("stock", new com.mongodb.client.model.CreateCollectionOptions()
                .validationOptions(new com.mongodb.client.model.ValidationOptions().validator(doc("{qty: {$gte: 0}}"))));
        MongoCollection<Document> c = d.getCollection("stock");
        c.insertOne(doc("{_id: 1, qty: 5}"));
        MongoWriteException bad = assertThrows(MongoWriteException.class, () -> c.insertOne(doc("{_id: 2, qty: -1}")));
        assertEquals(121, bad.getError().getCode());
        assertEquals(2, bad.getError().getDetails().getInt32("failingDocumentId").getValue());
        MongoWriteException badUpdate = assertThrows(MongoWriteException.class, () -> c.updateOne(Filters.eq("_id", 1), doc("{$set: {qty: -5}}")));
        assertEquals(121, badUpdate.getError().getCode());
        c.insertOne(doc("{_id: 3, qty: -1}"), new com.mongodb.client.model.InsertOneOptions().bypassDocumentValidation(true));
        assertEquals(2, c.countDocuments());
        d.runCommand(doc("{collMod: 'stock', validator: {qty: {$gte: -10}}}"));
        c.insertOne(doc("{_id: 4, qty: -9}"));
        d.runCommand(doc("{collMod: 'stock', validationAction: 'warn'}"));
        c.insertOne(doc("{_id: 5, qty: -100}"));
        assertEquals(4, c.countDocuments());
        assertEquals(26, assertThrows(MongoCommandException.class, () -> d.runCommand(doc("{collMod: 'none', validator: {}}"))).getErrorCode());
    }
}
