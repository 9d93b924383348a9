package dev.argon.bench.archive;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.argon.bench.BenchData;
import dev.argon.bench.writeamp.WriteAmplification;
import dev.argon.proxy.ArgonServer;
import dev.argon.storage.object.LocalFolderStore;
import dev.argon.wal.archive.ArchiveProgress;
import dev.argon.wal.archive.Restore;
import dev.argon.wal.archive.RestoreReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.bson.BsonDocument;
import org.bson.Document;

/**
 * Issue 12's storage figure: a data set of {@code --docs} documents of about {@code --size} bytes on main, then
 * {@code --branches} branches each changing its own {@code --share} of the documents ({@code updateMany} of an
 * {@code _id} range, {@code $inc} of one field, so every changed document gets a new version on its branch). Reports,
 * against the raw BSON size of the data set (one version of each document): the bytes in RocksDB after a flush
 * ({@code argonStorage}), a full backup into a local folder ({@code argonBackup}, the bucket figure) with its
 * speed, and a restore from that folder into a new directory with its speed. Everything goes through an in-process
 * server on a loopback port and the Java driver, as a client would do it.
 *
 * <p>Usage: {@code BranchStorage [--docs 1000000] [--size 1000] [--branches 10] [--share 0.1]}. Not thread-safe;
 * run it alone.
 */
public final class BranchStorage {
    private long docs = 1_000_000;
    private int size = 1000;
    private int branches = 10;
    private double share = 0.1;

    private BranchStorage() {}

    public static void main(String[] args) throws Exception {
        BranchStorage b = new BranchStorage();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--docs" -> b.docs = Long.parseLong(args[++i]);
                case "--size" -> b.size = Integer.parseInt(args[++i]);
                case "--branches" -> b.branches = Integer.parseInt(args[++i]);
                case "--share" -> b.share = Double.parseDouble(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: [--docs N] [--size B] [--branches N] [--share 0.1]");
            }
        }
        b.run();
    }

    private void run() throws Exception {
        Path dir = BenchData.tempDir("argon-branchstorage-");
        Path archive = BenchData.tempDir("argon-branchstorage-archive-");
        Path restored = BenchData.tempDir("argon-branchstorage-restored-");
        try {
            long raw = 0;
            long changed = (long) (docs * share);
            try (ArgonServer server = ArgonServer.start(dir, "127.0.0.1", 0, null);
                 MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.port())) {
                MongoCollection<BsonDocument> c = client.getDatabase("bs").getCollection("docs", BsonDocument.class);
                Random rnd = new Random(42);
                long t0 = System.nanoTime();
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
                System.out.printf(Locale.ROOT, "loaded %,d documents, %.1f MB raw BSON, in %.1f s%n", docs, raw / 1e6, (System.nanoTime() - t0) / 1e9);
                Document admin0 = storage(client);
                t0 = System.nanoTime();
                for (int b = 0; b < branches; b++) {
                    String name = "agent-" + b;
                    client.getDatabase("admin").runCommand(new Document("createBranch", name).append("from", "main"));
                    long lo = (b * changed) % docs;
                    client.getDatabase("bs~" + name).getCollection("docs", BsonDocument.class)
                            .updateMany(Filters.and(Filters.gte("_id", lo), Filters.lt("_id", lo + changed)), Updates.inc("n", 1));
                }
                System.out.printf(Locale.ROOT, "%d branches each updated %,d documents in %.1f s%n", branches, changed, (System.nanoTime() - t0) / 1e9);
                Document after = storage(client);
                t0 = System.nanoTime();
                Document backup = client.getDatabase("admin").runCommand(new Document("argonBackup", 1).append("to", archive.toUri().toString()));
                double backupSeconds = (System.nanoTime() - t0) / 1e9;
                long bucket = WriteAmplification.dirBytes(archive);
                long rawArchived = ((Number) backup.get("rawBytes")).longValue();
                // History compaction with a hot window of 0: what local disk keeps is what no pass may move (each
                // branch's current state and the fork points its children read), measured flushed and compacted.
                t0 = System.nanoTime();
                Document pass = client.getDatabase("admin").runCommand(new Document("compactHistory", 1).append("hotWindowSeconds", 0));
                double passSeconds = (System.nanoTime() - t0) / 1e9;
                server.engine().store().walForTests().flush(true);
                Document compacted = storage(client);
                long tierBytes = WriteAmplification.dirBytes(dir.resolve("objects"));
                System.out.println();
                System.out.println("| where | bytes | / raw data set |");
                System.out.println("|---|---:|---:|");
                row("raw BSON of the data set (one version per document)", raw, raw);
                row("RocksDB after the load (live SST + memtables, flushed)", rocks(admin0), raw);
                row("RocksDB after the branches", rocks(after), raw);
                row("data directory files after the branches", after.get("rocksdb", Document.class).get("fileBytes", Number.class).longValue(), raw);
                row("bucket: full backup in a local folder", bucket, raw);
                row("RocksDB after compactHistory (hot window 0), flushed and compacted", rocks(compacted), raw);
                row("tier segments under <data>/objects after that pass", tierBytes, raw);
                System.out.printf(Locale.ROOT, "%ncompactHistory: %s moved in %.1f s%n", pass.get("versions") + " versions and " + pass.get("logEntries") + " log entries", passSeconds);
                Document versions = after.get("versions", Document.class);
                System.out.printf(Locale.ROOT, "%nversions: %,d stored, %.1f MB raw -> %.1f MB stored (compression %.2fx)%n",
                        versions.get("count", Number.class).longValue(), versions.get("rawBytes", Number.class).longValue() / 1e6,
                        versions.get("storedBytes", Number.class).longValue() / 1e6, versions.get("compressionRatio", Number.class).doubleValue());
                for (Document br : after.getList("branches", Document.class)) {
                    if (br.getString("name").equals("main") || br.getString("name").equals("agent-0")) {
                        System.out.printf(Locale.ROOT, "branch %s: %,d versions, unique %.1f MB raw%n", br.getString("name"),
                                br.get("versions", Number.class).longValue(), br.get("uniqueBytes", Number.class).longValue() / 1e6);
                    }
                }
                System.out.printf(Locale.ROOT, "backup: %.1f MB raw entries -> %.1f MB in the folder in %.2f s: %.1f MB/s raw, %.1f MB/s stored%n",
                        rawArchived / 1e6, bucket / 1e6, backupSeconds, rawArchived / 1e6 / backupSeconds, bucket / 1e6 / backupSeconds);
            }
            Files.deleteIfExists(restored);
            long t1 = System.nanoTime();
            RestoreReport r;
            try (LocalFolderStore store = new LocalFolderStore(archive)) {
                r = Restore.run(store, restored, null, null, ArchiveProgress.NONE);
            }
            double rs = (System.nanoTime() - t1) / 1e9;
            System.out.printf(Locale.ROOT, "restore: %,d entries, %.1f MB read in %.2f s: %.1f MB/s read%n", r.entries(), r.bytesRead() / 1e6, rs,
                    r.bytesRead() / 1e6 / rs);
            System.out.printf(Locale.ROOT, "load average at the end: %.1f on %d cores%n",
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    Runtime.getRuntime().availableProcessors());
        } finally {
            BenchData.deleteTree(dir);
            BenchData.deleteTree(archive);
            BenchData.deleteTree(restored);
        }
    }

    private static Document storage(MongoClient client) {
        return client.getDatabase("admin").runCommand(new Document("argonStorage", 1).append("flush", true));
    }

    private static long rocks(Document storage) {
        return storage.get("rocksdb", Document.class).get("bytes", Number.class).longValue();
    }

    private static void row(String what, long bytes, long raw) {
        System.out.printf(Locale.ROOT, "| %s | %,d | %.2fx |%n", what, bytes, bytes / (double) raw);
    }
}
