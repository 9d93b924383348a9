package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.DocumentCodec;
import org.junit.jupiter.api.Test;

/** diff, branchLog and merge previews answer as cursors: any size arrives through getMore, batch by batch. */
class LargeAnswersIT extends ArgonTestBase {

    private Document admin(Document cmd) {
        return db("admin").runCommand(cmd);
    }

    private static int bsonSize(Document d) {
        return RawBsonDocument.parse(d.toJson()).getByteBuffer().remaining();
    }

    @Test
    void aDiffOfMoreThanSixteenMegabytesArrivesWholeThroughGetMore() {
        MongoCollection<Document> main = db("big").getCollection("c");
        String filler = "x".repeat(1000);
        int n = 20_000;
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(new Document("_id", i).append("v", 0).append("pad", filler));
            if (batch.size() == 2_000) {
                main.insertMany(batch);
                batch.clear();
            }
        }
        admin(new Document("createBranch", "big-x"));
        db("big~big-x").getCollection("c").updateMany(Filters.exists("_id"), Updates.set("v", 1));

        CommandCursor.Pages pages = CommandCursor.run(client, "admin", new Document("diff", "main").append("to", "big-x").append("full", true), null);
        Document cursor = pages.first().get("cursor", Document.class);
        assertEquals("admin.$cmd.diff", cursor.getString("ns"));
        assertTrue(pages.batches().size() >= 3, "several batches: " + pages.batches().size());
        long bytes = 0;
        Set<Integer> ids = new HashSet<>();
        int expected = 0;
        for (Document change : pages.all()) {
            assertEquals(expected++, change.getInteger("id"), "in _id order, none missing");
            ids.add(change.getInteger("id"));
            assertEquals("changed", change.getString("kind"));
            assertEquals(List.of("v"), change.getList("fields", String.class));
            assertEquals(1, change.get("to", Document.class).getInteger("v"));
            bytes += bsonSize(change);
        }
        assertEquals(n, ids.size());
        assertTrue(bytes > 16L * 1024 * 1024, "the whole answer is over 16 MB: " + bytes);
    }

    @Test
    void branchLogPagesWithASmallBatchSize() {
        MongoCollection<Document> c = db("pl").getCollection("c");
        for (int i = 0; i < 30; i++) {
            c.insertOne(new Document("_id", i));
        }
        CommandCursor.Pages pages = CommandCursor.run(client, "admin",
                Document.parse("{branchLog: 'main', ns: 'pl.c', cursor: {batchSize: 4}}"), 7);
        assertEquals(4, pages.batches().get(0).size());
        assertTrue(pages.batches().stream().skip(1).allMatch(b -> b.size() <= 7));
        List<Document> commits = pages.all();
        assertEquals(30, commits.size());
        for (int i = 1; i < commits.size(); i++) {
            assertTrue(commits.get(i - 1).getLong("lsn") > commits.get(i).getLong("lsn"), "newest first");
        }
        assertEquals(List.of(30L), List.of((long) pages.batches().stream().mapToInt(List::size).sum()));
        assertEquals(2, CommandCursor.run(client, "admin", Document.parse("{branchLog: 'main', ns: 'pl.c', skip: 3, limit: 2}"), null)
                .all().size());
    }

    private void conflicting(String dbName, int n, String pad) {
        MongoCollection<Document> main = db(dbName).getCollection("c");
        for (int i = 0; i < n; i++) {
            main.insertOne(new Document("_id", i).append("v", "base").append("pad", pad));
        }
        admin(new Document("createBranch", dbName + "-x"));
        db(dbName + "~" + dbName + "-x").getCollection("c").updateMany(Filters.exists("_id"), Updates.set("v", "theirs"));
        main.updateMany(Filters.exists("_id"), Updates.set("v", "ours"));
    }

    @Test
    void aPreviewKeepsCountsAndHeadBesideItsCursorOfConflicts() {
        conflicting("pc", 25, "");
        Document cmd = Document.parse("{mergeBranch: 'pc-x', into: 'main', strategy: 'theirs', preview: true, cursor: {batchSize: 3}}");
        CommandCursor.Pages pages = CommandCursor.run(client, "admin", cmd, 5);
        Document first = pages.first();
        assertEquals(25L, first.getLong("conflictCount"));
        assertEquals(25, first.get("counts", Document.class).get("pc.c", Document.class).getInteger("update"), "theirs would update them all");
        assertTrue(first.getLong("headLsn") > 0);
        assertEquals("admin.$cmd.mergeBranch", first.get("cursor", Document.class).getString("ns"));
        assertEquals(3, pages.batches().get(0).size());
        List<Document> conflicts = pages.all();
        assertEquals(25, conflicts.size());
        for (int i = 0; i < conflicts.size(); i++) {
            assertEquals(i, conflicts.get(i).getInteger("id"));
            assertEquals("ours", conflicts.get(i).get("ours", Document.class).getString("v"));
        }
    }

    @Test
    void aRefusedMergeListsABoundedNumberOfConflicts() {
        conflicting("rf", 150, "");
        MongoCommandException fail = assertThrows(MongoCommandException.class,
                () -> admin(Document.parse("{mergeBranch: 'rf-x', into: 'main'}")));
        assertEquals(96, fail.getErrorCode());
        BsonDocument reply = fail.getResponse();
        assertEquals(100, reply.getArray("conflicts").size());
        assertEquals(150L, reply.getInt64("conflictCount").getValue());
        assertTrue(fail.getErrorMessage().contains("150 conflict(s)"), fail.getErrorMessage());
    }

    @Test
    void conflictsOfLargeDocumentsAreListedWithoutTheirDocumentsOnceTheReplyWouldGrowTooLarge() {
        conflicting("lg", 6, "y".repeat(1_500_000));
        MongoCommandException fail = assertThrows(MongoCommandException.class,
                () -> admin(Document.parse("{mergeBranch: 'lg-x', into: 'main'}")));
        List<Document> listed = new ArrayList<>();
        fail.getResponse().getArray("conflicts").forEach(v -> listed.add(new DocumentCodec().decode(
                new org.bson.BsonDocumentReader(v.asDocument()), org.bson.codecs.DecoderContext.builder().build())));
        assertEquals(6, listed.size());
        assertTrue(listed.stream().allMatch(c -> c.getList("fields", String.class).equals(List.of("v"))));
        assertTrue(listed.stream().anyMatch(c -> !c.containsKey("ours")), "later ones are listed without their documents");
    }
}
