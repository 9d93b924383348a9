package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoCommandException;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** {@code dbHash}: per-collection hashes of documents in _id order, per branch and time-travel view. */
class DbHashIT extends ArgonTestBase {

    private Document hash(String db) {
        return client.getDatabase(db).runCommand(new Document("dbHash", 1));
    }

    @Test
    void hashesFollowContentNotInsertionOrderAndDifferPerBranchAndPoint() {
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            docs.add(new Document("_id", i).append("v", "x" + i));
        }
        client.getDatabase("dbh").getCollection("a").insertMany(docs);
        List<Document> reversed = new ArrayList<>(docs);
        java.util.Collections.reverse(reversed);
        client.getDatabase("dbh").getCollection("b").insertMany(reversed);
        client.getDatabase("dbh").getCollection("c").insertOne(new Document("_id", 1));

        Document main = hash("dbh");
        Document colls = main.get("collections", Document.class);
        assertEquals(colls.getString("a"), colls.getString("b"), "same documents, inserted in another order");
        assertNotEquals(colls.getString("a"), colls.getString("c"));
        assertEquals(32, main.getString("md5").length());
        long lsn = ((Number) client.getDatabase("admin").runCommand(new Document("argonStatus", 1)).get("headLsn")).longValue();

        client.getDatabase("admin").runCommand(new Document("createBranch", "dbh-exp"));
        client.getDatabase("dbh~dbh-exp").getCollection("a").updateOne(new Document("_id", 3), new Document("$set", new Document("v", "changed")));
        Document exp = hash("dbh~dbh-exp").get("collections", Document.class);
        assertNotEquals(colls.getString("a"), exp.getString("a"));
        assertEquals(colls.getString("b"), exp.getString("b"));
        assertEquals(main.getString("md5"), hash("dbh").getString("md5"), "main did not change");

        client.getDatabase("dbh").getCollection("c").deleteOne(new Document("_id", 1));
        assertNotEquals(colls.getString("c"), hash("dbh").get("collections", Document.class).getString("c"));
        Document then = hash("dbh~main@" + lsn);
        assertEquals(main.get("collections"), then.get("collections"), "a time-travel view hashes as main did then");
        assertEquals(main.getString("md5"), then.getString("md5"));

        Document only = client.getDatabase("dbh").runCommand(new Document("dbHash", 1).append("collections", List.of("a")));
        assertEquals(List.of("a"), new ArrayList<>(only.get("collections", Document.class).keySet()));
        MongoCommandException bad = assertThrows(MongoCommandException.class,
                () -> client.getDatabase("dbh").runCommand(new Document("dbHash", 1).append("collections", "a")));
        assertEquals(14, bad.getErrorCode());
        assertTrue(hash("nothing-here").get("collections", Document.class).isEmpty());
    }
}
