package dev.argon.bench.archive;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.argon.bench.BenchData;
import dev.argon.bench.writeamp.WriteAmplification;
import dev.argon.proxy.ArgonServer;
import dev.argon.wal.tier.TierSegments;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.bson.BsonDocument;
import org.bson.Document;

/**
 * The segment rewrite pass on TieredHistory-like data: {@code --docs} documents of about {@code --size} bytes on main,
 * {@code --branches} branches each rewriting its own {@code --share} of them {@code --rewrites} times, with a
 * {@code compactHistory} pass (hot window 0) after every rewrite, so the tier collects many small segments. Then
 * {@code compactHistory {mergeSegments: true}}, then a branch is dropped and {@code gc} runs (and merges). Reports
 * the tier's segments, their bytes and the objects in the store after each step, and counts (not times) what a cold
 * time-travel read costs: blocks fetched from the store per point read of {@code agent-0@old} with the segment cache emptied before each.
 *
 * <p>Usage: {@code TierMerge [--docs 20000] [--size 1000] [--branches 10] [--share 0.1] [--rewrites 5] [--reads 300]}.
 * Not thread-safe; run it alone.
 */
public final class TierMerge {
    private long docs = 20_000;
    private int size = 1000;
    private int branches = 10;
    private double share = 0.1;
    private int rewrites = 5;
    private int reads = 300;

    private TierMerge() {}

    public static void main(String[] args) throws Exception {
        TierMerge b = new TierMerge();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--docs" -> b.docs = Long.parseLong(args[++i]);
                case "--size" -> b.size = Integer.parseInt(args[++i]);
                case "--branches" -> b.branches = Integer.parseInt(args[++i]);
                case "--share" -> b.share = Double.parseDouble(args[++i]);
                case "--rewrites" -> b.rewrites = Integer.parseInt(args[++i]);
                case "--reads" -> b.reads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: [--docs N] [--size B] [--branches N] [--share 0.1] [--rewrites N] [--reads N]");
            }
        }
        b.run();
    }

    private void run() throws Exception {
        Path dir = BenchData.tempDir("argon-tiermerge-");
        try (ArgonServer server = ArgonServer.start(dir, "127.0.0.1", 0, null);
             MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.port())) {
            MongoCollection<BsonDocument> c = client.getDatabase("bs").getCollection("docs", BsonDocument.class);
            Random rnd = new Random(42);
            long raw = 0;
            List<BsonDocument> buf = new ArrayList<>(1000);
            for (long i = 0; i < docs; i++) {
                BsonDocument d = WriteAmplification.doc(i, size, rnd);
                raw += WriteAmplification.bsonSize(d);
                buf.add(d);
                if (buf.size() == 1000 || i == docs - 1) {
                    c.insertMany(buf);
                    buf.clear();
                }
            }
            long changed = (long) (docs * share);
            long oldPoint = 0;
            int passes = 0;
            for (int b = 0; b < branches; b++) {
                String name = "agent-" + b;
                admin(client, new Document("createBranch", name).append("from", "main"));
                long lo = (b * changed) % docs;
                for (int r = 0; r < rewrites; r++) {
                    client.getDatabase("bs~" + name).getCollection("docs", BsonDocument.class)
                            .updateMany(Filters.and(Filters.gte("_id", lo), Filters.lt("_id", lo + changed)), Updates.inc("n", 1));
                    if (b == 0 && r == 0) {
                        oldPoint = ((Number) admin(client, new Document("argonStatus", 1)).get("headLsn")).longValue();
                    }
                    admin(client, new Document("compactHistory", 1).append("hotWindowSeconds", 0));
                    passes++;
                }
            }
            System.out.printf(Locale.ROOT, "%,d documents (%.1f MB raw BSON), %d branches each rewrote %,d documents %d times, "
                    + "%d compactHistory passes%n", docs, raw / 1e6, branches, changed, rewrites, passes);
            long[] ids = new long[reads];
            for (int i = 0; i < reads; i++) {
                ids[i] = (long) (rnd.nextDouble() * changed);
            }
            TierSegments segments = (TierSegments) server.engine().store().walForTests().tier();
            MongoCollection<BsonDocument> old = client.getDatabase("bs~agent-0@" + oldPoint).getCollection("docs", BsonDocument.class);
            List<BsonDocument> answers = new ArrayList<>();
            System.out.println();
            System.out.println("| after | tier segments | their bytes | objects in the store | their bytes | block fetches per cold read |");
            System.out.println("|---|---:|---:|---:|---:|---:|");
            row("many small passes", client, cold(segments, old, ids, answers));
            Document merged = admin(client, new Document("compactHistory", 1).append("hotWindowSeconds", 0).append("mergeSegments", true));
            List<BsonDocument> again = new ArrayList<>();
            row("compactHistory {mergeSegments: true}", client, cold(segments, old, ids, again));
            admin(client, new Document("dropBranch", "agent-" + (branches - 1)));
            Document gc = admin(client, new Document("gc", 1));
            List<BsonDocument> third = new ArrayList<>();
            row("dropBranch agent-" + (branches - 1) + ", gc (merges)", client, cold(segments, old, ids, third));
            if (!answers.equals(again) || !answers.equals(third)) {
                throw new IllegalStateException("a time-travel read answered differently after a merge");
            }
            System.out.println();
            System.out.println("merge of compactHistory: " + merged.get("merge", Document.class).toJson());
            System.out.println("merge of gc:             " + gc.get("merge", Document.class).toJson());
        } finally {
            BenchData.deleteTree(dir);
        }
    }

    /** Store reads per point read of old, the segment cache emptied before each. */
    private static double cold(TierSegments segments, MongoCollection<BsonDocument> old, long[] ids, List<BsonDocument> keep) {
        long misses = 0;
        for (long id : ids) {
            segments.cache().clear();
            long m0 = segments.readsAndMisses()[1];
            BsonDocument d = old.find(Filters.eq("_id", id)).first();
            misses += segments.readsAndMisses()[1] - m0;
            if (d == null) {
                throw new IllegalStateException("no document " + id);
            }
            keep.add(d);
        }
        return (double) misses / ids.length;
    }

    private static void row(String what, MongoClient client, double coldReads) {
        Document t = admin(client, new Document("argonStorage", 1)).get("tier", Document.class);
        System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d | %.2f |%n", what, ((Number) t.get("segments")).longValue(),
                ((Number) t.get("segmentBytes")).longValue(), ((Number) t.get("storeObjects")).longValue(),
                ((Number) t.get("storeBytes")).longValue(), coldReads);
    }

    private static Document admin(MongoClient client, Document command) {
        return client.getDatabase("admin").runCommand(command);
    }
}
