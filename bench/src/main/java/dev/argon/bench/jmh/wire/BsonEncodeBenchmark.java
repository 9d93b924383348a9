package dev.argon.bench.jmh.wire;

import dev.argon.bench.BenchData;
import dev.argon.wal.Bson;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding one document to the bytes a write stores: {@link Bson#bytes} (the WAL's encoder, on every stored
 * version, catalog entry and log entry) against the driver's {@code BsonDocumentCodec} with a
 * {@code BsonBinaryWriter}, which it replaced. {@code doc}: {@code ycsb} is a YCSB record of ten 100-character
 * fields (the workload harness's shape), {@code sample} an application-like ~300-byte document with nesting.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class BsonEncodeBenchmark {
    private static final BsonDocumentCodec CODEC = new BsonDocumentCodec();

    @Param({"ycsb", "sample"})
    public String doc;

    private BsonDocument document;

    @Setup(Level.Trial)
    public void build() {
        Random rnd = new Random(5);
        document = "ycsb".equals(doc) ? BenchData.ycsbRecord(rnd, "user1234567890", 100) : BenchData.sampleDocument(rnd, 7);
        if (!Arrays.equals(Bson.bytes(document), driver())) {
            throw new IllegalStateException("the two encoders disagree on " + document.toJson());
        }
    }

    @Benchmark
    public byte[] walEncoder() {
        return Bson.bytes(document);
    }

    @Benchmark
    public byte[] driverCodec() {
        return driver();
    }

    private byte[] driver() {
        BasicOutputBuffer out = new BasicOutputBuffer(256);
        try (BsonBinaryWriter w = new BsonBinaryWriter(out)) {
            CODEC.encode(w, document, EncoderContext.builder().build());
        }
        return Arrays.copyOf(out.getInternalBuffer(), out.getPosition());
    }
}
