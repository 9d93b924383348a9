package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoServerException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** Branches through the Java driver: isolation, copy-on-write, selection by connection string, time travel. */
class BranchIT extends ArgonTestBase {

    private Document admin(String json) {
        return db("admin").runCommand(doc(json));
    }

    private long head() {
        return admin("{argonStatus: 1}").getLong("headLsn");
    }

    private List<Integer> ids(MongoCollection<Document> c) {
        return c.find().map(d -> d.getInteger("_id")).into(new ArrayList<>());
    }

    @Test
    void parentChildAndSiblingAreIsolated() {
        MongoCollection<Document> main = db("iso").getCollection("c");
        main.insertMany(List.of(doc("{_id: 1, v: 'm'}"), doc("{_id: 2, v: 'm'}"), doc("{_id: 3, v: 'm'}")));
        admin("{createBranch: 'iso-a'}");
        admin("{createBranch: 'iso-b', from: 'main'}");
        MongoCollection<Document> a = db("iso~iso-a").getCollection("c");
        MongoCollection<Document> b = db("iso~iso-b").getCollection("c");
        a.updateOne(Filters.eq("_id", 1), Updates.set("v", "a"));
        a.deleteOne(Filters.eq("_id", 2));
        a.insertOne(doc("{_id: 4, v: 'a'}"));
        b.insertOne(doc("{_id: 5, v: 'b'}"));
        main.insertOne(doc("{_id: 6, v: 'm'}"));

        assertEquals(List.of(1, 2, 3, 6), ids(main));
        assertEquals("m", main.find(Filters.eq("_id", 1)).first().getString("v"));
        assertEquals(List.of(1, 3, 4), ids(a));
        assertEquals("a", a.find(Filters.eq("_id", 1)).first().getString("v"));
        assertEquals(List.of(1, 2, 3, 5), ids(b));

        admin("{createBranch: 'iso-a-child', from: 'iso-a'}");
        MongoCollection<Document> grandchild = db("iso~iso-a-child").getCollection("c");
        assertEquals(List.of(1, 3, 4), ids(grandchild));
        grandchild.deleteOne(Filters.eq("_id", 1));
        assertEquals(List.of(3, 4), ids(grandchild));
        assertEquals(List.of(1, 3, 4), ids(a));
    }

    @Test
    void timeTravelViewsShowHistoryAndRefuseWrites() throws Exception {
        MongoCollection<Document> c = db("tt").getCollection("c");
        c.insertOne(doc("{_id: 1, v: 1}"));
        long afterInsert = head();
        c.updateOne(Filters.eq("_id", 1), Updates.set("v", 2));
        Thread.sleep(1100);
        Date between = new Date();
        Thread.sleep(1100);
        c.deleteOne(Filters.eq("_id", 1));
        assertNull(c.find(Filters.eq("_id", 1)).first());

        MongoCollection<Document> old = db("tt~main@" + afterInsert).getCollection("c");
        assertEquals(1, old.find(Filters.eq("_id", 1)).first().getInteger("v"));
        assertEquals(1, old.countDocuments());
        String iso = java.time.Instant.ofEpochMilli(between.getTime()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        MongoCollection<Document> atTime = db("tt~main@" + iso).getCollection("c");
        assertEquals(2, atTime.find().first().getInteger("v"));
        assertEquals(List.of(2), atTime.distinct("v", Integer.class).into(new ArrayList<>()));
        assertEquals(1, atTime.aggregate(List.of(doc("{$match: {v: 2}}"))).into(new ArrayList<>()).size());
        assertEquals(List.of("c"), db("tt~main@" + afterInsert).listCollectionNames().into(new ArrayList<>()));

        MongoServerException w = assertThrows(MongoServerException.class, () -> old.insertOne(doc("{_id: 9}")));
        assertEquals(166, w.getCode());
        assertTrue(w.getMessage().contains("read-only view"), w.getMessage());
        MongoCommandException cw = assertThrows(MongoCommandException.class, () -> db("tt~main@" + afterInsert).createCollection("x"));
        assertEquals(166, cw.getErrorCode());
    }

    @Test
    void branchFromAnLsnAndFromATime() throws Exception {
        MongoCollection<Document> c = db("bf").getCollection("c");
        c.insertOne(doc("{_id: 1}"));
        long one = head();
        Thread.sleep(1100);
        Date t = new Date();
        Thread.sleep(1100);
        c.insertOne(doc("{_id: 2}"));
        c.insertOne(doc("{_id: 3}"));
        db("admin").runCommand(new Document("createBranch", "bf-lsn").append("from", "main").append("at", one));
        db("admin").runCommand(new Document("createBranch", "bf-time").append("at", t));
        db("admin").runCommand(new Document("createBranch", "bf-ref").append("from", "main@" + one));
        assertEquals(List.of(1), ids(db("bf~bf-lsn").getCollection("c")));
        assertEquals(List.of(1), ids(db("bf~bf-time").getCollection("c")));
        assertEquals(List.of(1), ids(db("bf~bf-ref").getCollection("c")));
    }

    @Test
    void catalogAndUniqueIndexesArePerBranch() {
        MongoDatabase main = db("cat");
        main.getCollection("users").insertOne(doc("{_id: 1, email: 'a'}"));
        admin("{createBranch: 'cat-x'}");
        MongoDatabase x = db("cat~cat-x");
        x.getCollection("users").createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
        x.getCollection("extra").insertOne(doc("{_id: 1}"));
        assertEquals(11000, assertThrows(MongoWriteException.class,
                () -> x.getCollection("users").insertOne(doc("{_id: 2, email: 'a'}"))).getError().getCode());
        main.getCollection("users").insertOne(doc("{_id: 2, email: 'a'}"));
        assertEquals(1, main.getCollection("users").listIndexes().into(new ArrayList<>()).size());
        assertEquals(List.of("users"), main.listCollectionNames().into(new ArrayList<>()));
        assertEquals(2, x.listCollectionNames().into(new ArrayList<>()).size());
        x.getCollection("users").drop();
        assertEquals(2, main.getCollection("users").countDocuments());
        assertTrue(client.listDatabaseNames().into(new ArrayList<>()).contains("cat"));
        List<String> onBranch = new ArrayList<>();
        for (Document d : db("admin~cat-x").runCommand(doc("{listDatabases: 1}")).getList("databases", Document.class)) {
            onBranch.add(d.getString("name"));
        }
        assertTrue(onBranch.contains("cat"));
    }

    @Test
    void appNameSelectsTheConnectionsDefaultBranch() {
        db("app").getCollection("c").insertOne(doc("{_id: 1}"));
        admin("{createBranch: 'app-br'}");
        try (MongoClient onBranch = MongoClients.create(uri() + "?appName=branch:app-br")) {
            onBranch.getDatabase("app").getCollection("c").insertOne(doc("{_id: 2}"));
            assertEquals(List.of(1, 2), ids(onBranch.getDatabase("app").getCollection("c")));
        }
        assertEquals(List.of(1), ids(db("app").getCollection("c")));
        assertEquals(List.of(1, 2), ids(db("app~app-br").getCollection("c")));
    }

    @Test
    void adminCommandsAndTheirErrors() {
        admin("{createBranch: 'adm'}");
        Document list = admin("{listBranches: 1}");
        Document adm = list.getList("branches", Document.class).stream().filter(d -> d.getString("name").equals("adm")).findFirst().orElseThrow();
        assertEquals("main", adm.getString("parent"));
        assertNotNull(adm.get("baseLsn"));
        assertEquals(false, adm.getBoolean("protected"));
        Document mainDoc = list.getList("branches", Document.class).stream().filter(d -> d.getString("name").equals("main")).findFirst().orElseThrow();
        assertNull(mainDoc.get("parent"));

        assertEquals(48, assertThrows(MongoCommandException.class, () -> admin("{createBranch: 'adm'}")).getErrorCode());
        assertEquals(2, assertThrows(MongoCommandException.class, () -> admin("{createBranch: 'a/b'}")).getErrorCode());
        assertEquals(26, assertThrows(MongoCommandException.class, () -> admin("{createBranch: 'z', from: 'nope'}")).getErrorCode());
        assertEquals(20, assertThrows(MongoCommandException.class, () -> admin("{dropBranch: 'main'}")).getErrorCode());
        admin("{createBranch: 'adm-kid', from: 'adm'}");
        assertEquals(20, assertThrows(MongoCommandException.class, () -> admin("{dropBranch: 'adm'}")).getErrorCode());
        admin("{renameBranch: 'adm-kid', to: 'adm-kid2'}");
        admin("{dropBranch: 'adm-kid2'}");
        admin("{dropBranch: 'adm'}");
        MongoCommandException gone = assertThrows(MongoCommandException.class, () -> db("x~adm").getCollection("c").find().first());
        assertEquals(26, gone.getErrorCode());
        assertTrue(gone.getMessage().contains("'adm'"), gone.getMessage());

        Document status = admin("{argonStatus: 1}");
        assertTrue(status.getLong("headLsn") >= 0);
        assertTrue(status.getInteger("branches") >= 1);
    }

    @Test
    void protectedBranchRefusesDirectWrites() {
        admin("{createBranch: 'prot'}");
        admin("{protectBranch: 'prot', protect: true}");
        MongoServerException e = assertThrows(MongoServerException.class, () -> db("p~prot").getCollection("c").insertOne(doc("{_id: 1}")));
        assertEquals(13, e.getCode());
        assertTrue(e.getMessage().contains("protected"), e.getMessage());
        admin("{protectBranch: 'prot', protect: false}");
        db("p~prot").getCollection("c").insertOne(doc("{_id: 1}"));
    }
}
