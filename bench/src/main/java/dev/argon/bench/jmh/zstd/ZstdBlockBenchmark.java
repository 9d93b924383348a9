package dev.argon.bench.jmh.zstd;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdDictTrainer;
import dev.argon.bench.BenchData;
import dev.argon.wal.Bson;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Compress and decompress one block. The dictionary is trained on documents drawn from a different seed than
 * the block, as a segment writer would train on an earlier sample. Setup prints the compression ratio, which is
 * half of what a dictionary is for.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ZstdBlockBenchmark {
    /** zstd's default level; segments are written once and read many times, so it is a fair middle. */
    private static final int LEVEL = 3;
    private static final int DICTIONARY_BYTES = 16 * 1024;
    private static final int TRAINING_DOCUMENTS = 4000;

    @Param({"4096", "32768", "65536"})
    public int blockSize;

    @Param({"none", "trained"})
    public String dictionary;

    private byte[] block;
    private byte[] compressed;
    private byte[] restored;
    private ZstdCompressCtx compressor;
    private ZstdDecompressCtx decompressor;

    @Setup(Level.Trial)
    public void build() {
        compressor = new ZstdCompressCtx().setLevel(LEVEL);
        decompressor = new ZstdDecompressCtx();
        if ("trained".equals(dictionary)) {
            byte[] dict = train();
            compressor.loadDict(dict);
            decompressor.loadDict(dict);
        }
        block = block(new Random(99), blockSize);
        compressed = compressor.compress(block);
        restored = new byte[block.length];
        System.out.printf("%nzstd level %d, block %d bytes, dictionary %s: %d -> %d bytes (ratio %.2f)%n", LEVEL, blockSize,
                dictionary, block.length, compressed.length, (double) block.length / compressed.length);
    }

    private static byte[] train() {
        Random rnd = new Random(1);
        ZstdDictTrainer trainer = new ZstdDictTrainer(TRAINING_DOCUMENTS * 400, DICTIONARY_BYTES);
        for (int i = 0; i < TRAINING_DOCUMENTS; i++) {
            trainer.addSample(Bson.bytes(BenchData.sampleDocument(rnd, 1_000_000 + i)));
        }
        return trainer.trainSamples();
    }

    /** Whole documents up to the block size, as a segment block holds them. */
    private static byte[] block(Random rnd, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        for (long i = 0; ; i++) {
            byte[] doc = Bson.bytes(BenchData.sampleDocument(rnd, i));
            if (out.size() + doc.length > size) {
                return out.toByteArray();
            }
            out.writeBytes(doc);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        compressor.close();
        decompressor.close();
    }

    @Benchmark
    public byte[] compress() {
        return compressor.compress(block);
    }

    @Benchmark
    public int decompress() {
        return decompressor.decompressByteArray(restored, 0, restored.length, compressed, 0, compressed.length);
    }
}
