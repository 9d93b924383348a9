package dev.argon.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.argon.engine.gc.GcSettings;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Local disk stays bounded while history grows: rounds that rewrite every document on main and on a branch, each
 * followed by a compaction pass with a hot window of 0 and a RocksDB flush and compaction; after every round the
 * bytes of the families that hold history ({@code versions} and {@code log}) stay within a small factor of the
 * first round's, while the tier's segment bytes grow by about a round's history each time (the whole of RocksDB grows
 * only by the per-commit metadata, a small share of that), and reads at the LSN
 * after every earlier round (history now living only in segments) still answer what they answered then.
 */
class LocalDiskBoundIT extends ArgonTestBase {
    private static final int DOCS = 300;
    private static final int ROUNDS = 6;
    /** Local history bytes may grow this much over the first round's (stubs, RocksDB's per-file overhead). */
    private static final double FACTOR = 2.0;

    @Override
    protected GcSettings gcSettings() {
        return new GcSettings(-1, GcSettings.DEFAULTS.reflogWindowMillis(), 0, 5000);
    }

    private Document admin(Document command) {
        return db("admin").runCommand(command);
    }

    private List<Document> read(String ref) {
        return db("shop~" + ref).getCollection("items").find().sort(new Document("_id", 1)).into(new ArrayList<>());
    }

    /** Bytes of a family once RocksDB has flushed and compacted it (deletes are tombstones until then). */
    private static long family(Document storage, String name) {
        Document fam = storage.get("rocksdb", Document.class).get("families", Document.class).get(name, Document.class);
        return ((Number) fam.get("sstBytes")).longValue() + ((Number) fam.get("memtableBytes")).longValue();
    }

    @Test
    void localHistoryBytesStayBoundedWhileTheTierGrows() {
        Random rnd = new Random(12);
        MongoCollection<Document> main = db("shop").getCollection("items");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < DOCS; i++) {
            docs.add(new Document("_id", i).append("round", 0).append("pad", pad(rnd)));
        }
        main.insertMany(docs);
        admin(new Document("createBranch", "exp"));
        MongoCollection<Document> exp = db("shop~exp").getCollection("items");

        Map<String, List<Document>> seen = new LinkedHashMap<>();
        long firstLocal = -1;
        long lastTier = 0;
        long secondRocksdb = 0;
        long secondTier = 0;
        List<String> figures = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            for (int i = 0; i < DOCS; i++) {
                main.updateOne(Filters.eq("_id", i), Updates.combine(Updates.set("round", round), Updates.set("pad", pad(rnd))));
            }
            exp.updateMany(Filters.exists("_id"), Updates.set("round", -round));
            long lsn = ((Number) admin(new Document("argonStatus", 1)).get("headLsn")).longValue();
            seen.put("main@" + lsn, read("main@" + lsn));
            seen.put("exp@" + lsn, read("exp@" + lsn));

            Document pass = admin(new Document("compactHistory", 1).append("hotWindowSeconds", 0));
            // Round 1 moves only the log: main's first versions are exp's fork point, and the others are the newest.
            assertTrue(round == 1 || ((Number) pass.get("versions")).longValue() >= 2 * DOCS, "round " + round + ": " + pass.toJson());
            server.engine().store().walForTests().flush(true);
            Document s = admin(new Document("argonStorage", 1).append("flush", true));
            long local = family(s, "versions") + family(s, "log");
            long tier = ((Number) s.get("tier", Document.class).get("segmentBytes")).longValue();
            figures.add("round " + round + ": local history " + local + " B, tier " + tier + " B, rocksdb "
                    + ((Number) s.get("rocksdb", Document.class).get("bytes")).longValue() + " B");
            long rocksdb = ((Number) s.get("rocksdb", Document.class).get("bytes")).longValue();
            if (round == 1) {
                firstLocal = local;
            }
            // From the second round on (the first pass moves no versions: they are the fork point), what stays local
            // for good is per-commit metadata (the commits and times families), far less than the history that moves.
            if (round == 2) {
                secondRocksdb = rocksdb;
                secondTier = tier;
            } else if (round > 2) {
                assertTrue((rocksdb - secondRocksdb) * 4 <= tier - secondTier, "RocksDB grows far less than the tier: " + figures);
            }
            assertTrue(local <= firstLocal * FACTOR, "local history bytes stay within " + FACTOR + "x of the first round's: " + figures);
            assertTrue(tier > lastTier, "the tier grows each round: " + figures);
            lastTier = tier;
        }
        System.out.println(String.join("\n", figures));
        // Every earlier round's state, read at its LSN, now from segments.
        for (Map.Entry<String, List<Document>> e : seen.entrySet()) {
            assertEquals(e.getValue(), read(e.getKey()), e.getKey());
        }
        assertEquals(ROUNDS, read("main").get(0).getInteger("round"));
        assertEquals(-ROUNDS, read("exp").get(0).getInteger("round"));
    }

    /** 200 bytes that do not compress, so that each round's history has a size of its own. */
    private static String pad(Random rnd) {
        byte[] b = new byte[100];
        rnd.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
