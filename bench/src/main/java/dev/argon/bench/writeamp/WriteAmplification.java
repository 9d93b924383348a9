package dev.argon.bench.writeamp;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import dev.argon.bench.BenchData;
import dev.argon.proxy.ArgonServer;
import dev.argon.wal.StorageStats;
import dev.argon.wal.Wal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

/**
 * Measures bytes written to RocksDB per inserted and per updated document, and bytes on disk, for each document
 * size and index setting asked for. Each case gets a fresh data directory and an in-process server on a loopback
 * port, written to through the Java driver as a client would: {@code insertMany} in batches, then one
 * {@code $inc} of the field {@code n} per document (updateOne statements, a batch per command), with and without
 * a secondary index on {@code n} (so an indexed update also moves one index entry).
 *
 * <p>Documents are YCSB-like: an int64 {@code _id}, {@code n}, and string fields of random lowercase letters,
 * sized so the whole BSON document is about the size asked for. Random letters are the pessimistic case for
 * compression (about 4.7 bits of entropy per byte).
 *
 * <p>Usage: {@code WriteAmplification [--docs N] [--sizes 100,1000] [--index none,n] [--batch 1000] [--compact]}.
 * RocksDB's statistics are switched on for the run ({@code argon.wal.statistics}); the compression of the versions
 * family follows {@code -Dargon.wal.versionsCompression}. Not thread-safe; run it alone.
 */
public final class WriteAmplification {
    private long docs = 100_000;
    private List<Integer> sizes = List.of(100, 1000);
    private List<String> indexes = List.of("none", "n");
    private int batch = 1000;
    private boolean compact;

    private WriteAmplification() {}

    public static void main(String[] args) {
        WriteAmplification w = new WriteAmplification();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--docs" -> w.docs = Long.parseLong(args[++i]);
                case "--sizes" -> w.sizes = Stream.of(args[++i].split(",")).map(Integer::valueOf).toList();
                case "--index" -> w.indexes = List.of(args[++i].split(","));
                case "--batch" -> w.batch = Integer.parseInt(args[++i]);
                case "--compact" -> w.compact = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: [--docs N] [--sizes 100,1000] [--index none,n] [--batch 1000] [--compact]");
            }
        }
        System.setProperty("argon.wal.statistics", "true");
        System.out.printf(Locale.ROOT, "versions compression: %s; %d documents per case%n",
                System.getProperty("argon.wal.versionsCompression", "default"), w.docs);
        System.out.println("| doc | index | phase | BSON B/doc | batch B/doc | RocksDB log B/doc | flush B/doc | compaction B/doc"
                + " | SST after (B/doc) | docs/s | CPU µs/doc |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (int size : w.sizes) {
            for (String index : w.indexes) {
                w.runCase(size, index);
            }
        }
    }

    private void runCase(int size, String index) {
        Path dir = BenchData.tempDir("argon-writeamp-");
        try (ArgonServer server = ArgonServer.start(dir, "127.0.0.1", 0, null);
             MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.port())) {
            Wal wal = server.engine().store().walForTests();
            MongoCollection<BsonDocument> c = client.getDatabase("wa").getCollection("docs", BsonDocument.class);
            c.insertOne(doc(-1, size, new Random(0)));
            if (index.equals("n")) {
                c.createIndex(Indexes.ascending("n"));
            }
            c.deleteOne(Filters.eq("_id", -1L));
            wal.flush(false);
            Random rnd = new Random(42);
            long rawBytes = 0;
            StorageStats before = wal.storageStats();
            long t0 = System.nanoTime();
            long cpu0 = cpuNanos();
            List<BsonDocument> buf = new ArrayList<>(batch);
            for (long i = 0; i < docs; i++) {
                BsonDocument d = doc(i, size, rnd);
                rawBytes += bsonSize(d);
                buf.add(d);
                if (buf.size() == batch || i == docs - 1) {
                    c.insertMany(buf);
                    buf.clear();
                }
            }
            long insertNanos = System.nanoTime() - t0;
            wal.flush(false);
            long insertCpu = cpuNanos() - cpu0;
            StorageStats inserted = wal.storageStats();
            row(size, index, "insert", rawBytes, before, inserted, insertNanos, insertCpu);

            t0 = System.nanoTime();
            cpu0 = cpuNanos();
            List<WriteModel<BsonDocument>> ups = new ArrayList<>(batch);
            for (long i = 0; i < docs; i++) {
                ups.add(new UpdateOneModel<>(Filters.eq("_id", i), Updates.inc("n", 1)));
                if (ups.size() == batch || i == docs - 1) {
                    c.bulkWrite(ups);
                    ups.clear();
                }
            }
            long updateNanos = System.nanoTime() - t0;
            wal.flush(false);
            long updateCpu = cpuNanos() - cpu0;
            StorageStats updated = wal.storageStats();
            row(size, index, "update", rawBytes, inserted, updated, updateNanos, updateCpu);
            if (compact) {
                wal.flush(true);
                StorageStats compacted = wal.storageStats();
                System.out.printf(Locale.ROOT, "| %d B | %s | full compaction | | | | | | %s | | |%n", size, index,
                        perDoc(compacted.totalSstBytes(), docs));
            }
            StorageStats end = wal.storageStats();
            long dirBytes = dirBytes(dir);
            System.out.printf(Locale.ROOT, "  %d B, index %s: one version's raw BSON %s MB; SST %s MB (%.2fx: log %s, versions %s);"
                    + " data directory %s MB (%.2fx)%n", size, index, mb(rawBytes), mb(end.totalSstBytes()),
                    end.totalSstBytes() / (double) rawBytes, mb(end.liveSstBytes().get("log")), mb(end.liveSstBytes().get("versions")),
                    mb(dirBytes), dirBytes / (double) rawBytes);
        } finally {
            BenchData.deleteTree(dir);
        }
    }

    private void row(int size, String index, String phase, long rawBytes, StorageStats a, StorageStats b, long nanos, long cpuNanos) {
        System.out.printf(Locale.ROOT, "| %d B | %s | %s | %s | %s | %s | %s | %s | %s | %.0f | %.0f |%n", size, index, phase,
                perDoc(rawBytes, docs), perDoc(b.batchBytes() - a.batchBytes(), docs), perDoc(b.walFileBytes() - a.walFileBytes(), docs),
                perDoc(b.flushBytes() - a.flushBytes(), docs), perDoc(b.compactionWriteBytes() - a.compactionWriteBytes(), docs),
                perDoc(b.totalSstBytes(), docs), docs / (nanos / 1e9), cpuNanos / 1e3 / docs);
    }

    /**
     * CPU time of this whole process (client, server, RocksDB's background flushes and compactions): on a shared
     * machine a steadier cost figure than wall-clock throughput.
     */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String perDoc(long bytes, long docs) {
        return String.format(Locale.ROOT, "%.0f", bytes / (double) docs);
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }

    /** A document of about {@code size} bytes of BSON: {@code _id}, {@code n} and fields of random letters. */
    public static BsonDocument doc(long id, int size, Random rnd) {
        BsonDocument d = new BsonDocument("_id", new BsonInt64(id)).append("n", new BsonInt32(0));
        // _id and n take 24 bytes with the document's framing; each field costs 7 + letters + 1 (name field<k>).
        int left = size - 24;
        int fields = Math.max(1, left / 100);
        int letters = Math.max(1, left / fields - 13);
        for (int f = 0; f < fields; f++) {
            d.append("field" + f, new BsonString(BenchData.letters(rnd, letters)));
        }
        return d;
    }

    public static int bsonSize(BsonDocument d) {
        return new RawBsonDocument(d, new BsonDocumentCodec()).getByteBuffer().remaining();
    }

    public static long dirBytes(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
