package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.argon.engine.gc.GcSettings;
import dev.argon.engine.store.StoreChecker;
import dev.argon.wal.FsckReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.function.Executable;

/**
 * History GC over the wire: dropped branches, a reset older than the reflog window and a dropped collection are
 * reclaimed by {@code {gc: 1}} (a dry run first counts the same and changes nothing); every remaining ref reads
 * exactly as before; the abandoned range is refused with 239 SnapshotTooOld; with a history retention, reads,
 * branches and tags below the horizon are refused naming it; fsck stays clean.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GcIT extends ArgonTestBase {
    /** Keep all history, a one-second reflog window, no background pass (the test runs gc itself). */
    private GcSettings settings = new GcSettings(-1, 1000, 0, 5000);
    private final Map<String, List<Document>> before = new LinkedHashMap<>();
    private long abandonedPoint;

    @Override
    protected GcSettings gcSettings() {
        return settings;
    }

    private Document admin(Document command) {
        return db("admin").runCommand(command);
    }

    private long head() {
        return ((Number) admin(new Document("argonStatus", 1)).get("headLsn")).longValue();
    }

    private List<Document> read(String ref) {
        return db("shop~" + ref).getCollection("items").find().sort(new Document("_id", 1)).into(new ArrayList<>());
    }

    private static void assertGone(Executable e, String... words) {
        MongoCommandException x = assertThrows(MongoCommandException.class, e);
        assertEquals(239, x.getErrorCode(), x.getMessage());
        assertEquals("SnapshotTooOld", x.getErrorCodeName());
        for (String w : words) {
            assertTrue(x.getErrorMessage().contains(w), "'" + w + "' in: " + x.getErrorMessage());
        }
    }

    @Test
    @Order(1)
    void gcReclaimsWhatNoNameReachesAndEveryRefReadsTheSame() throws Exception {
        MongoCollection<Document> items = db("shop").getCollection("items");
        for (int i = 1; i <= 5; i++) {
            items.insertOne(new Document("_id", i).append("v", 0));
        }
        items.updateMany(new Document(), Updates.set("v", 1));
        long mainEarly = head();
        db("shop").getCollection("old").insertMany(List.of(new Document("_id", 1), new Document("_id", 2)));

        admin(new Document("createBranch", "exp"));
        db("shop~exp").getCollection("items").updateMany(new Document(), Updates.set("v", "exp"));
        admin(new Document("createBranch", "exp2").append("from", "exp"));
        db("shop~exp2").getCollection("items").deleteMany(Filters.lt("_id", 3));
        admin(new Document("dropBranch", "exp2"));
        admin(new Document("dropBranch", "exp"));

        admin(new Document("createBranch", "keep"));
        db("shop~keep").getCollection("items").updateOne(Filters.eq("_id", 1), Updates.set("v", "keep-1"));
        long keepMid = head();
        admin(new Document("createTag", "v1").append("ref", "keep"));
        db("shop~keep").getCollection("items").deleteOne(Filters.eq("_id", 2));

        admin(new Document("createBranch", "agent"));
        MongoCollection<Document> agent = db("shop~agent").getCollection("items");
        agent.updateOne(Filters.eq("_id", 3), Updates.set("v", "agent-1"));
        long agentFirst = head();
        for (int i = 2; i <= 4; i++) {
            agent.updateOne(Filters.eq("_id", 3), Updates.set("v", "agent-" + i));
        }
        abandonedPoint = head();
        admin(new Document("resetBranch", "agent").append("to", agentFirst));

        db("shop").getCollection("old").drop();
        items.updateOne(Filters.eq("_id", 5), Updates.set("v", 2));

        for (String ref : List.of("main", "keep", "v1", "agent", "main@" + mainEarly, "keep@" + keepMid, "agent@" + agentFirst)) {
            before.put(ref, read(ref));
        }
        assertEquals("agent-4", read("agent@" + abandonedPoint).get(2).get("v"), "inside the reflog window the abandoned range reads");
        Thread.sleep(1500);

        Document dry = admin(new Document("gc", 1).append("dryRun", true));
        assertEquals(Boolean.TRUE, dry.getBoolean("dryRun"));
        assertTrue(((Number) dry.get("versions")).longValue() > 0, dry.toJson());
        assertTrue(((Number) dry.get("logEntries")).longValue() > 0, dry.toJson());
        assertTrue(((Number) dry.get("commits")).longValue() > 0, dry.toJson());
        assertEquals(2, ((Number) dry.get("branchRecords")).longValue(), "exp and exp2 go with their records: " + dry.toJson());
        assertEquals("agent-4", read("agent@" + abandonedPoint).get(2).get("v"), "a dry run changes nothing");
        Document dry2 = admin(new Document("gc", 1).append("dryRun", true));
        assertEquals(dry.get("versions"), dry2.get("versions"));

        Document real = admin(new Document("gc", 1));
        assertFalse(real.getBoolean("deferred"), real.toJson());
        for (String f : List.of("versions", "logEntries", "commits", "branchRecords", "bytes")) {
            assertEquals(dry.get(f), real.get(f), f + ": the dry run counted what the pass reclaimed");
        }
        for (Map.Entry<String, List<Document>> e : before.entrySet()) {
            assertEquals(e.getValue(), read(e.getKey()), e.getKey() + " reads as before GC");
        }
        assertGone(() -> read("agent@" + abandonedPoint), "reclaimed");
        assertGone(() -> admin(new Document("createBranch", "late").append("from", "agent@" + abandonedPoint)), "reclaimed");

        Document again = admin(new Document("gc", 1));
        assertEquals(0L, ((Number) again.get("versions")).longValue(), again.toJson());
        assertEquals(0L, ((Number) again.get("commits")).longValue(), again.toJson());
        checkOffline();
        for (Map.Entry<String, List<Document>> e : before.entrySet()) {
            assertEquals(e.getValue(), read(e.getKey()), e.getKey() + " reads as before GC, after a restart");
        }
    }

    @Test
    @Order(2)
    void belowTheHorizonReadsBranchesAndTagsAreRefusedNamingIt() throws Exception {
        settings = new GcSettings(2000, 1000, 0, 5000);
        restart();
        MongoCollection<Document> items = db("shop").getCollection("items");
        items.updateOne(Filters.eq("_id", 4), Updates.set("v", "old"));
        long old = head();
        Thread.sleep(2500);
        items.updateOne(Filters.eq("_id", 4), Updates.set("v", "new"));
        List<Document> mainNow = read("main");

        Document r = admin(new Document("gc", 1));
        long horizon = ((Number) r.get("horizonLsn")).longValue();
        assertTrue(horizon >= old, "the horizon moved to the last commit older than the retention: " + r.toJson());
        assertTrue(((Number) r.get("versions")).longValue() > 0, "superseded versions and the dropped collection went: " + r.toJson());
        assertEquals(horizon, ((Number) admin(new Document("argonStatus", 1)).get("horizonLsn")).longValue());

        String below = "main@" + (horizon - 1);
        assertGone(() -> read(below), "horizon", "lsn " + horizon);
        assertGone(() -> admin(new Document("createBranch", "past").append("from", below)), "horizon");
        assertGone(() -> admin(new Document("createTag", "past").append("ref", below)), "horizon");
        assertGone(() -> admin(new Document("revert", "main").append("lsn", old)), "horizon");
        assertEquals(mainNow, read("main"), "the head reads as before");
        assertEquals(mainNow, read("main@" + head()));
        assertEquals(before.get("v1"), read("v1"), "a tag below the horizon stays readable");
        assertEquals(before.get("keep"), read("keep"));
        checkOffline();
        assertGone(() -> read(below), "horizon");
    }

    /** Stops the server, runs fsck on the directory (clean), starts it again. */
    private void checkOffline() {
        int port = server.port();
        client.close();
        server.close();
        FsckReport report = StoreChecker.check(dataDir);
        assertTrue(report.clean(), "fsck after GC: " + report.problems());
        server = dev.argon.proxy.ArgonServer.start(dataDir, "127.0.0.1", port, null, false, settings);
        client = com.mongodb.client.MongoClients.create(uri());
    }
}
