package dev.argon.bench.archive;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdDictTrainer;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.argon.bench.BenchData;
import dev.argon.bench.writeamp.WriteAmplification;
import dev.argon.proxy.ArgonServer;
import dev.argon.storage.manifest.Manifest;
import dev.argon.storage.manifest.ManifestStore;
import dev.argon.storage.manifest.SegmentRef;
import dev.argon.storage.object.LocalFolderStore;
import dev.argon.storage.object.ObjectInfo;
import dev.argon.storage.segment.SegmentEntry;
import dev.argon.storage.segment.SegmentReader;
import dev.argon.storage.segment.SegmentWriter;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.Document;

/**
 * Whether a trained zstd dictionary pays for segments at the block size they use (32 KiB), measured on real
 * segments: for each document shape (random letters, the BranchStorage and TieredHistory shape; application-like
 * documents of about 300 bytes, the ZstdBlockBenchmark shape) a server loads {@code --docs} documents, {@code
 * --branches} branches rewrite their own 10% {@code --rewrites} times, {@code compactHistory} moves the history into
 * tier segments and {@code argonBackup} writes an archive; then each segment's entries are read back and cut into
 * blocks exactly as {@link SegmentWriter} cuts them (same entry encoding, same size), and every block is compressed
 * at level 3 without and with a dictionary trained on the segment's first entries (what a writer that buffers the
 * start of its segment could do). Reports stored bytes (the dictionary counted once per segment), and decompression
 * CPU time per block (thread CPU time, the two alternating round by round, median of the rounds).
 *
 * <p>Usage: {@code SegmentDictionary [--docs 10000] [--branches 5] [--rewrites 5] [--dict 16384] [--rounds 15]}.
 * Not thread-safe; run it alone.
 */
public final class SegmentDictionary {
    private static final int LEVEL = SegmentWriter.DEFAULT_LEVEL;
    private static final int BLOCK = SegmentWriter.DEFAULT_BLOCK_SIZE;
    /** Entry bytes given to the trainer: about 100 times the dictionary, zstd's advice. */
    private static final int TRAINING_BYTES = 2 << 20;

    private long docs = 10_000;
    private int branches = 5;
    private int rewrites = 5;
    private int dictBytes = 16 * 1024;
    private int rounds = 15;

    private SegmentDictionary() {}

    public static void main(String[] args) throws Exception {
        SegmentDictionary b = new SegmentDictionary();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--docs" -> b.docs = Long.parseLong(args[++i]);
                case "--branches" -> b.branches = Integer.parseInt(args[++i]);
                case "--rewrites" -> b.rewrites = Integer.parseInt(args[++i]);
                case "--dict" -> b.dictBytes = Integer.parseInt(args[++i]);
                case "--rounds" -> b.rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: [--docs N] [--branches N] [--rewrites N] [--dict BYTES] [--rounds N]");
            }
        }
        System.out.println("| shape | segments | entries | raw MB | blocks | stored, no dictionary | stored, trained (+ dictionaries) "
                + "| size change | blocks alone | decompress µs/block none | trained | train ms/segment |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (String shape : List.of("letters", "app")) {
            Map<String, List<List<byte[][]>>> groups = b.segments(shape);
            for (Map.Entry<String, List<List<byte[][]>>> g : groups.entrySet()) {
                b.measure(shape + ", " + g.getKey(), g.getValue());
            }
        }
        System.out.printf(Locale.ROOT, "%nzstd level %d, %d-byte blocks, %d-byte dictionaries; load average at the end: %.1f on %d cores%n",
                LEVEL, BLOCK, b.dictBytes, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
    }

    private BsonDocument doc(String shape, long i, Random rnd) {
        if (shape.equals("letters")) {
            return WriteAmplification.doc(i, 1000, rnd);
        }
        BsonDocument d = BenchData.sampleDocument(rnd, i);
        d.put("_id", new org.bson.BsonInt64(i));
        d.put("n", new BsonInt32(0));
        return d;
    }

    /** The segments of one run by kind: tier segments, then the archive's versions and log segments. */
    private Map<String, List<List<byte[][]>>> segments(String shape) throws Exception {
        Path dir = BenchData.tempDir("argon-dict-");
        Path archive = dir.resolve("archive");
        Map<String, List<List<byte[][]>>> out = new LinkedHashMap<>();
        try {
            try (ArgonServer server = ArgonServer.start(dir.resolve("data"), "127.0.0.1", 0, null);
                 MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.port())) {
                MongoCollection<BsonDocument> c = client.getDatabase("bs").getCollection("docs", BsonDocument.class);
                Random rnd = new Random(42);
                List<BsonDocument> buf = new ArrayList<>();
                for (long i = 0; i < docs; i++) {
                    buf.add(doc(shape, i, rnd));
                    if (buf.size() == 1000 || i == docs - 1) {
                        c.insertMany(buf);
                        buf.clear();
                    }
                }
                long changed = docs / 10;
                for (int br = 0; br < branches; br++) {
                    String name = "agent-" + br;
                    admin(client, new Document("createBranch", name).append("from", "main"));
                    long lo = (br * changed) % docs;
                    for (int r = 0; r < rewrites; r++) {
                        client.getDatabase("bs~" + name).getCollection("docs", BsonDocument.class)
                                .updateMany(Filters.and(Filters.gte("_id", lo), Filters.lt("_id", lo + changed)), Updates.inc("n", 1));
                    }
                }
                admin(client, new Document("compactHistory", 1).append("hotWindowSeconds", 0));
                admin(client, new Document("argonBackup", 1).append("to", archive.toUri().toString()));
            }
            try (LocalFolderStore tier = new LocalFolderStore(dir.resolve("data").resolve("objects"))) {
                List<List<byte[][]>> segs = new ArrayList<>();
                for (ObjectInfo o : tier.list("tier/segments/")) {
                    segs.add(entries(tier, o.key()));
                }
                out.put("tier segments (versions and log)", segs);
            }
            try (LocalFolderStore store = new LocalFolderStore(archive)) {
                Manifest m = new ManifestStore(store).latest().orElseThrow();
                for (String kind : List.of("versions", "log")) {
                    List<List<byte[][]>> segs = new ArrayList<>();
                    for (SegmentRef s : m.segments(kind)) {
                        segs.add(entries(store, s.objectKey()));
                    }
                    out.put("archive " + kind, segs);
                }
            }
        } finally {
            BenchData.deleteTree(dir);
        }
        return out;
    }

    private static List<byte[][]> entries(LocalFolderStore store, String key) {
        List<byte[][]> out = new ArrayList<>();
        for (Iterator<SegmentEntry> it = SegmentReader.open(store, key).scan(null, null, 4 << 20); it.hasNext(); ) {
            SegmentEntry e = it.next();
            out.add(new byte[][] {e.key(), e.value()});
        }
        return out;
    }

    /** The raw blocks {@link SegmentWriter} would cut from these entries: shared-prefix keys, varint lengths. */
    private static List<byte[]> blocks(List<byte[][]> entries) {
        List<byte[]> out = new ArrayList<>();
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        byte[] previous = null;
        for (byte[][] e : entries) {
            byte[] key = e[0];
            int shared = 0;
            if (block.size() > 0) {
                int max = Math.min(previous.length, key.length);
                while (shared < max && previous[shared] == key[shared]) {
                    shared++;
                }
            }
            varint(block, shared);
            varint(block, key.length - shared);
            varint(block, e[1].length);
            block.write(key, shared, key.length - shared);
            block.write(e[1], 0, e[1].length);
            previous = key;
            if (block.size() >= BLOCK) {
                out.add(block.toByteArray());
                block.reset();
            }
        }
        if (block.size() > 0) {
            out.add(block.toByteArray());
        }
        return out;
    }

    private static void varint(ByteArrayOutputStream out, int v) {
        while ((v & ~0x7F) != 0) {
            out.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private void measure(String what, List<List<byte[][]>> segments) {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long entries = 0;
        long raw = 0;
        long blockCount = 0;
        long plain = 0;
        long trained = 0;
        long trainNanos = 0;
        long dictTotal = 0;
        int trainedSegments = 0;
        List<byte[]> allBlocks = new ArrayList<>();
        List<byte[]> plainStored = new ArrayList<>();
        List<byte[]> dictStored = new ArrayList<>();
        List<byte[]> dictOf = new ArrayList<>();
        try (ZstdCompressCtx none = new ZstdCompressCtx().setLevel(LEVEL)) {
            for (List<byte[][]> seg : segments) {
                entries += seg.size();
                List<byte[]> blocks = blocks(seg);
                long t = System.nanoTime();
                byte[] dict = train(seg);
                trainNanos += System.nanoTime() - t;
                trainedSegments++;
                try (ZstdCompressCtx with = new ZstdCompressCtx().setLevel(LEVEL)) {
                    if (dict != null) {
                        with.loadDict(dict);
                        trained += dict.length;
                        dictTotal += dict.length;
                    }
                    for (byte[] b : blocks) {
                        raw += b.length;
                        blockCount++;
                        byte[] p = none.compress(b);
                        byte[] d = with.compress(b);
                        plain += p.length;
                        trained += d.length;
                        allBlocks.add(b);
                        plainStored.add(p);
                        dictStored.add(d);
                        dictOf.add(dict);
                    }
                }
            }
        }
        // Decompression, the cost of every cold read: the two alternate round by round; a reader keeps a segment's
        // dictionary loaded, so it is loaded once per segment here too (not counted).
        long[] nonePerRound = new long[rounds];
        long[] dictPerRound = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            for (int pass = 0; pass < 2; pass++) {
                boolean useDict = (pass == 1) ^ (r % 2 == 1);
                long c0 = cpu.getCurrentThreadCpuTime();
                try (ZstdDecompressCtx d = new ZstdDecompressCtx()) {
                    byte[] loaded = null;
                    for (int i = 0; i < allBlocks.size(); i++) {
                        if (useDict && dictOf.get(i) != loaded && dictOf.get(i) != null) {
                            loaded = dictOf.get(i);
                            d.loadDict(loaded);
                        }
                        byte[] src = useDict ? dictStored.get(i) : plainStored.get(i);
                        byte[] dst = new byte[allBlocks.get(i).length];
                        d.decompressByteArray(dst, 0, dst.length, src, 0, src.length);
                        if (r == 0 && !Arrays.equals(dst, allBlocks.get(i))) {
                            throw new IllegalStateException("block " + i + " does not round-trip");
                        }
                    }
                }
                long ns = cpu.getCurrentThreadCpuTime() - c0;
                (useDict ? dictPerRound : nonePerRound)[r] = ns;
            }
        }
        System.out.printf(Locale.ROOT, "| %s | %d | %,d | %.1f | %,d | %,d (%.2f×) | %,d (%.2f×) | %+.1f%% | %+.1f%% | %.1f | %.1f | %.0f |%n",
                what, segments.size(), entries, raw / 1e6, blockCount, plain, (double) raw / plain, trained, (double) raw / trained,
                100.0 * (trained - plain) / plain, 100.0 * (trained - dictTotal - plain) / plain, median(nonePerRound) / 1e3 / blockCount, median(dictPerRound) / 1e3 / blockCount,
                trainNanos / 1e6 / Math.max(1, trainedSegments));
    }

    /** A dictionary trained on the segment's first entries (key and value each a sample), or null if too few. */
    private byte[] train(List<byte[][]> seg) {
        ZstdDictTrainer trainer = new ZstdDictTrainer(TRAINING_BYTES, dictBytes);
        int n = 0;
        for (byte[][] e : seg) {
            byte[] sample = new byte[e[0].length + e[1].length];
            System.arraycopy(e[0], 0, sample, 0, e[0].length);
            System.arraycopy(e[1], 0, sample, e[0].length, e[1].length);
            if (!trainer.addSample(sample)) {
                break;
            }
            n++;
        }
        if (n < 100) {
            return null;
        }
        try {
            return trainer.trainSamples();
        } catch (RuntimeException e) {
            return null; // zstd refuses to train on too little or too uniform input: the segment goes without
        }
    }

    private static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static Document admin(MongoClient client, Document command) {
        return client.getDatabase("admin").runCommand(command);
    }
}
