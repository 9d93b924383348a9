package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoServerException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertOneOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** Log, diff, merge, tags, reset, revert and protection through the Java driver. */
class VersionControlIT extends ArgonTestBase {

    private Document admin(Document cmd) {
        return db("admin").runCommand(cmd);
    }

    private Document admin(String json) {
        return admin(doc(json));
    }

    private long head(String branch) {
        for (Document b : admin("{listBranches: 1}").getList("branches", Document.class)) {
            if (b.getString("name").equals(branch)) {
                return b.getLong("headLsn");
            }
        }
        throw new AssertionError("no branch " + branch);
    }

    private List<Document> changes(String a, String b) {
        return cursor(new Document("diff", a).append("to", b));
    }

    /** Every document of a command's cursor, paged with getMore. */
    private List<Document> cursor(Document cmd) {
        return CommandCursor.all(client, cmd);
    }

    private List<Document> log(String json) {
        return cursor(doc(json));
    }

    private List<Document> conflicts(Document cmd) {
        return cursor(cmd.append("preview", true));
    }

    @Test
    void logListsCommitsWithCommentsActorsAndCounts() {
        try (MongoClient app = MongoClients.create(uri() + "?appName=labeler")) {
            MongoCollection<Document> c = app.getDatabase("lg").getCollection("labels");
            c.insertOne(doc("{_id: 1, label: 'cat'}"), new InsertOneOptions().comment("first label"));
            c.updateOne(Filters.eq("_id", 1), Updates.set("label", "dog"), new UpdateOptions().comment("relabel batch 7"));
            c.insertOne(doc("{_id: 2, label: 'cat'}"));
        }
        db("lg").getCollection("other").insertOne(doc("{_id: 9}"));
        List<Document> all = log("{branchLog: 'main', ns: 'lg.labels'}");
        assertEquals(3, all.size());
        assertTrue(all.get(0).getLong("lsn") > all.get(1).getLong("lsn"), "newest first");
        Document relabel = all.get(1);
        assertEquals("relabel batch 7", relabel.getString("comment"));
        assertEquals("labeler", relabel.getString("actor"));
        assertEquals(1, relabel.get("counts", Document.class).get("lg.labels", Document.class).getInteger("update"));
        assertEquals(2, log("{branchLog: 'main', ns: 'lg.labels', id: 1}").size());
        assertEquals(3, log("{branchLog: 'main', actor: 'labeler'}").size());
        List<Document> page = log("{branchLog: 'main', ns: 'lg.labels', skip: 1, limit: 1}");
        assertEquals(List.of(relabel.getLong("lsn")), List.of(page.get(0).getLong("lsn")));
        long lsn = relabel.getLong("lsn");
        assertEquals(1, cursor(new Document("branchLog", "main").append("fromLsn", lsn).append("toLsn", lsn)).size());
    }

    @Test
    void diffReportsAddedRemovedAndChangedFieldsLikeGitDiff() {
        MongoCollection<Document> main = db("df").getCollection("c");
        main.insertMany(List.of(doc("{_id: 1, a: 1, b: 1}"), doc("{_id: 2, a: 2}"), doc("{_id: 3, a: 3}")));
        admin("{createBranch: 'df-x'}");
        MongoCollection<Document> x = db("df~df-x").getCollection("c");
        x.updateOne(Filters.eq("_id", 1), Updates.combine(Updates.set("a", 10), Updates.unset("b"), Updates.set("c", 1)));
        x.deleteOne(Filters.eq("_id", 2));
        x.insertOne(doc("{_id: 4}"));
        List<Document> ch = changes("main", "df-x");
        assertEquals(3, ch.size());
        assertEquals("changed", ch.get(0).getString("kind"));
        assertEquals(List.of("a", "b", "c"), ch.get(0).getList("fields", String.class));
        assertEquals("removed", ch.get(1).getString("kind"));
        assertEquals(2, ch.get(1).getInteger("id"));
        assertEquals("added", ch.get(2).getString("kind"));
        assertEquals("df.c", ch.get(2).getString("ns"));
        List<Document> reverse = changes("df-x", "main");
        assertEquals("added", reverse.get(1).getString("kind"));
        assertEquals("removed", reverse.get(2).getString("kind"));
        Document full = cursor(new Document("diff", "main").append("to", "df-x").append("full", true)).get(0);
        assertEquals(doc("{_id: 1, a: 1, b: 1}"), full.get("from", Document.class));
        assertEquals(doc("{_id: 1, a: 10, c: 1}"), full.get("to", Document.class));
        long before = head("main");
        main.insertOne(doc("{_id: 5}"));
        assertEquals(1, changes("main@" + before, "main").size());
        assertTrue(changes("df-x", "df-x").isEmpty());
    }

    @Test
    void diffReadsOnlyWhatChanged() {
        MongoCollection<Document> main = db("dbig").getCollection("c");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            docs.add(new Document("_id", i).append("v", i));
        }
        main.insertMany(docs);
        admin("{createBranch: 'dbig-x'}");
        MongoCollection<Document> x = db("dbig~dbig-x").getCollection("c");
        for (int i = 0; i < 10; i++) {
            x.updateOne(Filters.eq("_id", i * 1000), Updates.set("v", -1));
        }
        Document r = admin(new Document("diff", "main").append("to", "dbig-x"));
        assertEquals(10, r.get("cursor", Document.class).getList("firstBatch", Document.class).size());
        assertTrue(r.getInteger("entriesRead") <= 10, "log entries read: " + r.getInteger("entriesRead"));
    }

    @Test
    void mergeCombinesDisjointFieldsAndAppliesAsOneCommit() {
        MongoCollection<Document> main = db("mg").getCollection("items");
        main.insertMany(List.of(doc("{_id: 1, label: 'cat', score: 1}"), doc("{_id: 2, label: 'dog'}"), doc("{_id: 3, label: 'cow'}")));
        admin("{createBranch: 'mg-relabel'}");
        MongoCollection<Document> br = db("mg~mg-relabel").getCollection("items");
        br.updateOne(Filters.eq("_id", 1), Updates.set("label", "lion"));
        br.insertOne(doc("{_id: 4, label: 'new'}"));
        br.deleteOne(Filters.eq("_id", 3));
        br.createIndex(Indexes.ascending("label"), new IndexOptions().unique(true));
        db("mg~mg-relabel").getCollection("extra").insertOne(doc("{_id: 1}"));
        main.updateOne(Filters.eq("_id", 1), Updates.set("score", 5));

        Document preview = admin("{mergeBranch: 'mg-relabel', into: 'main', preview: true}");
        assertEquals(0L, preview.getLong("conflictCount"));
        assertTrue(preview.get("cursor", Document.class).getList("firstBatch", Document.class).isEmpty());
        Document counts = preview.get("counts", Document.class).get("mg.items", Document.class);
        assertEquals(1, counts.getInteger("insert"));
        assertEquals(1, counts.getInteger("update"));
        assertEquals(1, counts.getInteger("delete"));
        assertEquals(doc("{_id: 1, label: 'cat', score: 5}"), main.find(Filters.eq("_id", 1)).first(), "a preview changes nothing");

        long headBefore = head("main");
        Document applied = admin(new Document("mergeBranch", "mg-relabel").append("into", "main").append("expectHeadLsn", headBefore)
                .append("comment", "merge relabel"));
        assertEquals(true, applied.getBoolean("applied"));
        assertEquals(doc("{_id: 1, label: 'lion', score: 5}"), main.find(Filters.eq("_id", 1)).first());
        assertEquals(List.of(1, 2, 4), main.find().map(d -> d.getInteger("_id")).into(new ArrayList<>()));
        assertEquals(2, main.listIndexes().into(new ArrayList<>()).size(), "the source's index is merged");
        assertEquals(1, db("mg").getCollection("extra").countDocuments(), "the source's new collection is merged");
        List<Document> log = log("{branchLog: 'main', limit: 1}");
        assertEquals("merge relabel", log.get(0).getString("comment"));
        assertEquals(applied.getLong("headLsn"), log.get(0).getLong("lsn"));

        br.updateOne(Filters.eq("_id", 2), Updates.set("label", "wolf"));
        Document second = admin("{mergeBranch: 'mg-relabel', into: 'main', preview: true}");
        assertEquals(1, second.get("counts", Document.class).get("mg.items", Document.class).getInteger("update"),
                "the next merge starts where the last one stopped: " + second.toJson());
    }

    @Test
    void conflictsFailByDefaultAndStrategiesSettleThem() {
        MongoCollection<Document> main = db("mc").getCollection("c");
        main.insertMany(List.of(doc("{_id: 1, v: 'base'}"), doc("{_id: 2, v: 'base'}")));
        admin("{createBranch: 'mc-a'}");
        admin("{createBranch: 'mc-b'}");
        db("mc~mc-a").getCollection("c").updateOne(Filters.eq("_id", 1), Updates.set("v", "theirs"));
        db("mc~mc-a").getCollection("c").deleteOne(Filters.eq("_id", 2));
        main.updateOne(Filters.eq("_id", 1), Updates.set("v", "ours"));
        main.updateOne(Filters.eq("_id", 2), Updates.set("v", "changed"));

        List<Document> conflicts = conflicts(doc("{mergeBranch: 'mc-a', into: 'main'}"));
        assertEquals(2, conflicts.size());
        assertEquals(List.of("v"), conflicts.get(0).getList("fields", String.class));
        assertEquals("base", conflicts.get(0).get("base", Document.class).getString("v"));
        assertEquals("ours", conflicts.get(0).get("ours", Document.class).getString("v"));
        assertEquals("theirs", conflicts.get(0).get("theirs", Document.class).getString("v"));
        assertNull(conflicts.get(1).get("theirs"), "deleted on the source");

        MongoCommandException fail = assertThrows(MongoCommandException.class, () -> admin("{mergeBranch: 'mc-a', into: 'main'}"));
        assertEquals(96, fail.getErrorCode());
        assertEquals(2, fail.getResponse().getArray("conflicts").size());
        assertEquals("ours", main.find(Filters.eq("_id", 1)).first().getString("v"), "nothing applied");

        MongoCommandException moved = assertThrows(MongoCommandException.class,
                () -> admin(new Document("mergeBranch", "mc-a").append("into", "main").append("strategy", "ours").append("expectHeadLsn", 1L)));
        assertEquals(112, moved.getErrorCode());

        admin("{mergeBranch: 'mc-a', into: 'main', strategy: 'ours'}");
        assertEquals("ours", main.find(Filters.eq("_id", 1)).first().getString("v"));
        assertEquals("changed", main.find(Filters.eq("_id", 2)).first().getString("v"));

        db("mc~mc-b").getCollection("c").updateOne(Filters.eq("_id", 1), Updates.set("v", "b-wins"));
        admin("{mergeBranch: 'mc-b', into: 'main', strategy: 'theirs'}");
        assertEquals("b-wins", main.find(Filters.eq("_id", 1)).first().getString("v"));

        MongoCommandException bad = assertThrows(MongoCommandException.class, () -> admin("{mergeBranch: 'mc-b', into: 'main', strategy: 'mine'}"));
        assertEquals(2, bad.getErrorCode());
    }

    @Test
    void mergeIntoABranchThatIsNotTheParent() {
        db("sib").getCollection("c").insertOne(doc("{_id: 1}"));
        admin("{createBranch: 'sib-a'}");
        admin("{createBranch: 'sib-b'}");
        db("sib~sib-a").getCollection("c").insertOne(doc("{_id: 2}"));
        admin("{mergeBranch: 'sib-a', into: 'sib-b'}");
        assertEquals(2, db("sib~sib-b").getCollection("c").countDocuments());
        assertEquals(1, db("sib").getCollection("c").countDocuments());
    }

    @Test
    void tagsAreImmutableReadOnlyViews() {
        MongoCollection<Document> c = db("tg").getCollection("train");
        c.insertMany(List.of(doc("{_id: 1}"), doc("{_id: 2}")));
        Document t = admin("{createTag: 'trainset-v3', ref: 'main'}");
        assertEquals("main", t.getString("branch"));
        c.insertOne(doc("{_id: 3}"));
        MongoCollection<Document> tagged = db("tg~trainset-v3").getCollection("train");
        assertEquals(2, tagged.countDocuments());
        MongoServerException w = assertThrows(MongoServerException.class, () -> tagged.insertOne(doc("{_id: 9}")));
        assertEquals(166, w.getCode());
        assertTrue(admin("{listTags: 1}").getList("tags", Document.class).stream().anyMatch(x -> x.getString("name").equals("trainset-v3")));
        assertEquals(48, assertThrows(MongoCommandException.class, () -> admin("{createTag: 'main'}")).getErrorCode());
        assertEquals(48, assertThrows(MongoCommandException.class, () -> admin("{createBranch: 'trainset-v3'}")).getErrorCode());
        admin("{createBranch: 'from-tag', from: 'trainset-v3'}");
        assertEquals(2, db("tg~from-tag").getCollection("train").countDocuments());
        assertEquals(1, changes("trainset-v3", "main").size());
        admin("{dropTag: 'trainset-v3'}");
        assertEquals(26, assertThrows(MongoCommandException.class, () -> admin("{dropTag: 'trainset-v3'}")).getErrorCode());
    }

    @Test
    void resetAbandonsARangeForGoodButKeepsItForAudit() {
        admin("{createBranch: 'rs'}");
        MongoCollection<Document> c = db("rs~rs").getCollection("c");
        c.insertOne(doc("{_id: 1}"));
        long good = head("rs");
        c.insertOne(doc("{_id: 2}"));
        c.insertOne(doc("{_id: 3}"));
        long bad = head("rs");
        admin("{createTag: 'rs-bad', ref: 'rs'}");
        admin("{createBranch: 'rs-kid', from: 'rs'}");

        Document r = admin(new Document("resetBranch", "rs").append("to", good).append("backup", "rs-backup"));
        assertEquals(2, r.get("abandoned", Document.class).getInteger("commits"));
        assertEquals(List.of(1), c.find().map(d -> d.getInteger("_id")).into(new ArrayList<>()));
        c.insertOne(doc("{_id: 4}"));
        assertEquals(List.of(1, 4), c.find().map(d -> d.getInteger("_id")).into(new ArrayList<>()), "the abandoned range stays invisible after new writes");
        assertEquals(3, db("rs~rs-backup").getCollection("c").countDocuments());
        assertEquals(3, db("rs~rs-bad").getCollection("c").countDocuments());
        assertEquals(3, db("rs~rs-kid").getCollection("c").countDocuments());
        assertEquals(3, db("rs~rs@" + bad).getCollection("c").countDocuments(), "name@point shows what the name showed then");
        assertTrue(log("{branchLog: 'rs-backup'}").size() >= 3);
    }

    @Test
    void revertAppendsTheInverseAndReportsConflicts() {
        MongoCollection<Document> c = db("rv").getCollection("c");
        c.insertMany(List.of(doc("{_id: 1, v: 1}"), doc("{_id: 2, v: 1}")));
        c.updateMany(Filters.exists("v"), Updates.set("v", 2));
        long bulk = head("main");
        c.updateOne(Filters.eq("_id", 2), Updates.set("v", 3));
        Document r = admin(new Document("revert", "main").append("lsn", bulk));
        assertEquals(1, r.getInteger("reverted"));
        assertEquals(1, r.getList("conflicts", Document.class).size());
        assertEquals(2, r.getList("conflicts", Document.class).get(0).getInteger("id"));
        assertEquals(1, c.find(Filters.eq("_id", 1)).first().getInteger("v"));
        assertEquals(3, c.find(Filters.eq("_id", 2)).first().getInteger("v"));

        try (MongoClient agent = MongoClients.create(uri() + "?appName=agent-7")) {
            MongoCollection<Document> ac = agent.getDatabase("rv").getCollection("c");
            ac.insertOne(doc("{_id: 10}"));
            ac.deleteOne(Filters.eq("_id", 1));
        }
        Document undo = admin("{revert: 'main', actor: 'agent-7'}");
        assertEquals(2, undo.getInteger("reverted"));
        assertNull(c.find(Filters.eq("_id", 10)).first());
        assertEquals(1, c.find(Filters.eq("_id", 1)).first().getInteger("v"));
        assertEquals(2, assertThrows(MongoCommandException.class, () -> admin("{revert: 'main', lsn: 999999}")).getErrorCode());
    }

    @Test
    void protectedBranchesChangeOnlyThroughMergeResetAndRevert() {
        db("pb").getCollection("c").insertOne(doc("{_id: 1}"));
        admin("{createBranch: 'pb-main'}");
        admin("{createBranch: 'pb-feature', from: 'pb-main'}");
        admin("{protectBranch: 'pb-main', protect: true}");
        assertEquals(13, assertThrows(MongoServerException.class,
                () -> db("pb~pb-main").getCollection("c").insertOne(doc("{_id: 2}"))).getCode());
        db("pb~pb-feature").getCollection("c").insertOne(doc("{_id: 2}"));
        admin("{mergeBranch: 'pb-feature', into: 'pb-main'}");
        assertEquals(2, db("pb~pb-main").getCollection("c").countDocuments());
        long lsn = log("{branchLog: 'pb-main', limit: 1}").get(0).getLong("lsn");
        admin(new Document("revert", "pb-main").append("lsn", lsn));
        assertEquals(1, db("pb~pb-main").getCollection("c").countDocuments());
    }

    @Test
    void dropsOnTheSourceAreMergedAndDiffed() {
        db("dr").getCollection("gone").insertMany(List.of(doc("{_id: 1}"), doc("{_id: 2}")));
        MongoCollection<Document> kept = db("dr").getCollection("kept");
        kept.insertOne(doc("{_id: 1, k: 1}"));
        kept.createIndex(Indexes.ascending("k"));
        admin("{createBranch: 'dr-x'}");
        db("dr~dr-x").getCollection("gone").drop();
        db("dr~dr-x").getCollection("kept").dropIndex("k_1");
        List<Document> ch = changes("main", "dr-x");
        assertEquals(2, ch.size(), ch.toString());
        assertTrue(ch.stream().allMatch(c -> c.getString("kind").equals("removed") && c.getString("ns").equals("dr.gone")));
        admin("{mergeBranch: 'dr-x', into: 'main'}");
        assertTrue(!db("dr").listCollectionNames().into(new ArrayList<>()).contains("gone"));
        assertEquals(1, kept.listIndexes().into(new ArrayList<>()).size(), "the index drop is merged");
        assertEquals(1, kept.countDocuments());
    }
}
