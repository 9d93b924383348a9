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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.bson.BsonDocument;
import org.bson.Document;

/**
 * Issue 12's tiering figures: {@code --docs} documents of about {@code --size} bytes on main, {@code --branches}
 * branches each rewriting its own {@code --share} of them {@code --rewrites} times (history), then one
 * {@code compactHistory} pass with a hot window of 0. Reports the versions family's bytes in RocksDB before and after
 * (flushed and compacted), the tier's bytes under {@code <data>/objects}, and the latency through the Java driver of
 * point reads by {@code _id}: at a branch head, at an old point of the branch before compaction (local history),
 * and after compaction from a segment with the cache emptied before each read (cold) and again right after (warm),
 * once with the cache keeping decoded blocks (the default) and once keeping compressed ranges only.
 * The kinds are measured alternately, key by key, so that a change in machine load hits them alike.
 *
 * Then times a full {@code argonBackup} of the compacted directory into a local folder (its history read from the
 * tier). {@code --tier URL} puts the tier elsewhere ({@code s3://bucket/prefix} through {@code AWS_ENDPOINT_URL} and
 * the standard AWS variables, or {@code file:///path}): cold reads then fetch their block from there.
 *
 * <p>Usage: {@code TieredHistory [--docs 100000] [--size 1000] [--branches 10] [--share 0.1] [--rewrites 5] [--reads 2000]
 * [--tier URL]}.
 * Not thread-safe; run it alone.
 */
public final class TieredHistory {
    private long docs = 100_000;
    private int size = 1000;
    private int branches = 10;
    private double share = 0.1;
    private int rewrites = 5;
    private int reads = 2000;
    /** Where the tier lives ({@code --tier}): null, the folder {@code <data>/objects}. */
    private String tier;

    private TieredHistory() {}

    public static void main(String[] args) throws Exception {
        TieredHistory b = new TieredHistory();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--docs" -> b.docs = Long.parseLong(args[++i]);
                case "--size" -> b.size = Integer.parseInt(args[++i]);
                case "--branches" -> b.branches = Integer.parseInt(args[++i]);
                case "--share" -> b.share = Double.parseDouble(args[++i]);
                case "--rewrites" -> b.rewrites = Integer.parseInt(args[++i]);
                case "--reads" -> b.reads = Integer.parseInt(args[++i]);
                case "--tier" -> b.tier = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: [--docs N] [--size B] [--branches N] [--share 0.1] [--rewrites N] [--reads N] [--tier URL]");
            }
        }
        b.run();
    }

    private void run() throws Exception {
        Path dir = BenchData.tempDir("argon-tiered-");
        dev.argon.engine.gc.TierSettings settings = tier == null ? dev.argon.engine.gc.TierSettings.DEFAULTS
                : dev.argon.engine.gc.TierSettings.DEFAULTS.withTier(dev.argon.wal.archive.ArchiveLocation.of(tier));
        try (ArgonServer server = ArgonServer.start(dir, "127.0.0.1", 0, null, false, dev.argon.engine.gc.GcSettings.DEFAULTS, settings);
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
            long t0 = System.nanoTime();
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
                }
            }
            System.out.printf(Locale.ROOT, "%,d documents (%.1f MB raw BSON), %d branches each rewrote %,d documents %d times in %.1f s%n",
                    docs, raw / 1e6, branches, changed, rewrites, (System.nanoTime() - t0) / 1e9);

            long[] ids = new long[reads];
            for (int i = 0; i < reads; i++) {
                ids[i] = (long) (rnd.nextDouble() * changed);
            }
            MongoCollection<BsonDocument> head = client.getDatabase("bs~agent-0").getCollection("docs", BsonDocument.class);
            MongoCollection<BsonDocument> old = client.getDatabase("bs~agent-0@" + oldPoint).getCollection("docs", BsonDocument.class);
            long before = versionsBytes(server, client);
            settle(server, head, old, ids);
            long[][] local = new long[2][reads];
            List<BsonDocument> answers = new ArrayList<>();
            for (int i = 0; i < reads; i++) {
                local[0][i] = time(head, ids[i], null);
                local[1][i] = time(old, ids[i], i < 100 ? answers : null);
            }
            t0 = System.nanoTime();
            Document pass = admin(client, new Document("compactHistory", 1).append("hotWindowSeconds", 0));
            double passSeconds = (System.nanoTime() - t0) / 1e9;
            long after = versionsBytes(server, client);
            long tierBytes = tier == null ? WriteAmplification.dirBytes(dir.resolve("objects"))
                    : ((Number) pass.get("segmentBytes")).longValue();
            TierSegments segments = (TierSegments) server.engine().store().walForTests().tier();
            settle(server, head, old, ids);
            long[][] tiered = new long[5][reads];
            List<BsonDocument> again = new ArrayList<>();
            List<BsonDocument> compressed = new ArrayList<>();
            for (int i = 0; i < reads; i++) {
                // The cache keeping decoded blocks (the server's default), then keeping compressed ranges only.
                segments.cache().decodeBlocks(true);
                segments.cache().clear();
                tiered[0][i] = time(old, ids[i], i < 100 ? again : null);
                tiered[1][i] = time(old, ids[i], null);
                tiered[2][i] = time(head, ids[i], null);
                segments.cache().decodeBlocks(false);
                segments.cache().clear();
                tiered[3][i] = time(old, ids[i], i < 100 ? compressed : null);
                tiered[4][i] = time(old, ids[i], null);
            }
            // Warm reads again, in a pass of their own once every key's block is cached: no fetch runs between them,
            // so nothing a cold read set going (the store's threads, S3Proxy's JVM) competes with them.
            segments.cache().decodeBlocks(true);
            segments.cache().clear();
            for (int i = 0; i < reads; i++) {
                time(old, ids[i], null);
            }
            long[][] warmPass = new long[2][reads];
            for (int i = 0; i < reads; i++) {
                warmPass[0][i] = time(old, ids[i], null);
                warmPass[1][i] = time(head, ids[i], null);
            }
            if (!answers.equals(again) || !answers.equals(compressed)) {
                throw new IllegalStateException("a time-travel read answered differently after compaction");
            }
            System.out.printf(Locale.ROOT, "compactHistory: %s versions (%.1f MB raw) into %s segments in %.1f s%n",
                    pass.get("versions"), ((Number) pass.get("bytes")).longValue() / 1e6, pass.get("segments"), passSeconds);
            System.out.println();
            System.out.println("| where | bytes | / raw data set |");
            System.out.println("|---|---:|---:|");
            row("raw BSON of the data set (one version per document)", raw, raw);
            row("versions family in RocksDB before compaction", before, raw);
            row("versions family in RocksDB after compaction", after, raw);
            row(tier == null ? "tier segments under <data>/objects" : "tier segments in " + tier, tierBytes, raw);
            System.out.println();
            System.out.println("| point read by _id through the driver | median µs | p90 µs | p99 µs |");
            System.out.println("|---|---:|---:|---:|");
            lat("head of agent-0, before compaction", local[0]);
            lat("agent-0@old, local history (before compaction)", local[1]);
            lat("head of agent-0, after compaction", tiered[2]);
            lat("agent-0@old from a segment, cache emptied (cold)", tiered[0]);
            lat("agent-0@old from a segment, cached decoded block (warm)", tiered[1]);
            lat("agent-0@old from a segment, compressed-range cache, emptied (cold)", tiered[3]);
            lat("agent-0@old from a segment, cached compressed block (warm, decompressed per read)", tiered[4]);
            lat("agent-0@old, cached decoded block, in a pass without cold reads", warmPass[0]);
            lat("head of agent-0, in that pass", warmPass[1]);
            // A full backup of the compacted directory into a local folder: most of its history comes from the tier.
            Path archive = dir.resolveSibling(dir.getFileName() + "-backup");
            long c0 = cpu();
            t0 = System.nanoTime();
            Document bk = admin(client, new Document("argonBackup", 1).append("to", archive.toUri().toString()));
            double bs = (System.nanoTime() - t0) / 1e9;
            double bc = (cpu() - c0) / 1e9;
            long bkRaw = ((Number) bk.get("rawBytes")).longValue();
            System.out.printf(Locale.ROOT, "%nbackup of the compacted directory to a folder: %,d entries, %.1f MB raw -> %.1f MB, %.2f s,"
                            + " %.1f MB/s raw; %.2f CPU s (process), %.1f MB raw per CPU s%n",
                    ((Number) bk.get("entries")).longValue(), bkRaw / 1e6, ((Number) bk.get("bytesStored")).longValue() / 1e6, bs,
                    bkRaw / 1e6 / bs, bc, bkRaw / 1e6 / bc);
            BenchData.deleteTree(archive);
            System.out.printf(Locale.ROOT, "%nload average at the end: %.1f on %d cores%n",
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    Runtime.getRuntime().availableProcessors());
        } finally {
            BenchData.deleteTree(dir);
        }
    }

    /** CPU time of the whole process (every thread, the server's included). */
    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Waits for RocksDB's background work and warms the JIT and the driver, so phases start alike. */
    private static void settle(ArgonServer server, MongoCollection<BsonDocument> head, MongoCollection<BsonDocument> old, long[] ids)
            throws InterruptedException {
        while (server.engine().store().walForTests().backgroundWorkPending()) {
            Thread.sleep(100);
        }
        for (int i = 0; i < Math.min(500, ids.length); i++) {
            time(head, ids[i], null);
            time(old, ids[ids.length - 1 - i], null);
        }
    }

    private static long time(MongoCollection<BsonDocument> c, long id, List<BsonDocument> keep) {
        long t = System.nanoTime();
        BsonDocument d = c.find(Filters.eq("_id", id)).first();
        long ns = System.nanoTime() - t;
        if (d == null) {
            throw new IllegalStateException("no document " + id);
        }
        if (keep != null) {
            keep.add(d);
        }
        return ns;
    }

    /** The versions family's bytes once flushed and compacted (deletes are tombstones until RocksDB compacts). */
    private static long versionsBytes(ArgonServer server, MongoClient client) {
        server.engine().store().walForTests().flush(true);
        Document s = admin(client, new Document("argonStorage", 1).append("flush", true));
        Document fam = s.get("rocksdb", Document.class).get("families", Document.class).get("versions", Document.class);
        return ((Number) fam.get("sstBytes")).longValue() + ((Number) fam.get("memtableBytes")).longValue();
    }

    private static Document admin(MongoClient client, Document command) {
        return client.getDatabase("admin").runCommand(command);
    }

    private static void row(String what, long bytes, long raw) {
        System.out.printf(Locale.ROOT, "| %s | %,d | %.2f× |%n", what, bytes, (double) bytes / raw);
    }

    private static void lat(String what, long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.0f |%n", what, s[s.length / 2] / 1e3, s[(int) (s.length * 0.9)] / 1e3,
                s[(int) (s.length * 0.99)] / 1e3);
    }
}
