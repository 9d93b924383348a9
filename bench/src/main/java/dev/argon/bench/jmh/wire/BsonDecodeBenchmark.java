package dev.argon.bench.jmh.wire;

import dev.argon.bench.BenchData;
import dev.argon.proxy.wire.BsonParser;
import dev.argon.wal.Bson;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bson.BsonArray;
import org.bson.BsonBinaryReader;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.ByteBufNIO;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.DecoderContext;
import org.bson.io.ByteBufferBsonInput;
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
 * One insert command body held in a pooled direct buffer (what the server's allocator hands out) or a heap
 * buffer. {@code size}: {@code small} is an insert of one ~300-byte document, {@code batch} an insert of 100 of
 * them, {@code large} one ~16 KB nested document.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class BsonDecodeBenchmark {
    private static final BsonDocumentCodec CODEC = new BsonDocumentCodec();

    @Param({"small", "batch", "large"})
    public String size;

    @Param({"direct", "heap"})
    public String buffer;

    private ByteBuf buf;
    private int length;

    @Setup(Level.Trial)
    public void build() {
        Random rnd = new Random(3);
        BsonArray docs = new BsonArray();
        switch (size) {
            case "small" -> docs.add(BenchData.sampleDocument(rnd, 1));
            case "batch" -> {
                for (int i = 0; i < 100; i++) {
                    docs.add(BenchData.sampleDocument(rnd, i));
                }
            }
            case "large" -> docs.add(BenchData.largeDocument(rnd, 16 * 1024));
            default -> throw new IllegalArgumentException("unknown size " + size);
        }
        BsonDocument command = new BsonDocument("insert", new BsonString("usertable")).append("documents", docs)
                .append("ordered", org.bson.BsonBoolean.TRUE).append("$db", new BsonString("ycsb"));
        byte[] bytes = Bson.bytes(command);
        length = bytes.length;
        buf = "direct".equals(buffer) ? PooledByteBufAllocator.DEFAULT.directBuffer(length) : Unpooled.buffer(length);
        buf.writeBytes(bytes);
    }

    @TearDown(Level.Trial)
    public void release() {
        buf.release();
    }

    @Benchmark
    public BsonDocument argonParser() {
        return BsonParser.parse(buf, 0, length);
    }

    @Benchmark
    public BsonDocument driverCodec() {
        ByteBufferBsonInput in = new ByteBufferBsonInput(new ByteBufNIO(buf.nioBuffer(0, length).order(ByteOrder.LITTLE_ENDIAN)));
        try (BsonBinaryReader reader = new BsonBinaryReader(in)) {
            return CODEC.decode(reader, DecoderContext.builder().build());
        }
    }

    /** Copies the bytes once and reads a single field lazily: the floor for a parser that stays raw. */
    @Benchmark
    public BsonValue rawFieldLookup() {
        byte[] copy = new byte[length];
        buf.getBytes(0, copy);
        return new RawBsonDocument(copy).get("$db");
    }
}
