package dev.argon.bench.jmh.keys;

import dev.argon.engine.bson.KeyEncoder;
import java.math.BigDecimal;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Encoding one value (or a two-field compound key) into its order-preserving bytes. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class KeyEncodeBenchmark {
    /** Values cycled through, so the benchmark does not measure one branch-predicted value. */
    private static final int VALUES = 1024;

    @Param({"int32", "int64", "double", "decimal128", "string", "objectId", "document", "compound"})
    public String kind;

    private BsonValue[] values;
    private int next;

    @Setup
    public void build() {
        Random rnd = new Random(11);
        values = new BsonValue[VALUES];
        for (int i = 0; i < VALUES; i++) {
            values[i] = value(rnd, i);
        }
    }

    private BsonValue value(Random rnd, int i) {
        return switch (kind) {
            case "int32" -> new BsonInt32(rnd.nextInt());
            case "int64" -> new BsonInt64(rnd.nextLong());
            case "double" -> new BsonDouble(rnd.nextGaussian() * 1e6);
            case "decimal128" -> new BsonDecimal128(new Decimal128(new BigDecimal(rnd.nextInt(1_000_000)).movePointLeft(2)));
            case "string" -> new BsonString(String.format("user%010d", rnd.nextInt(1_000_000)));
            case "objectId" -> new BsonObjectId(new ObjectId());
            case "document", "compound" -> new BsonDocument("country", new BsonString("DE")).append("score", new BsonInt32(rnd.nextInt(1000)));
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        };
    }

    @Benchmark
    public byte[] encode() {
        BsonValue v = values[next++ & (VALUES - 1)];
        if ("compound".equals(kind)) {
            // A compound index key {country: 1, score: -1}: two components, the second descending.
            BsonDocument d = v.asDocument();
            return KeyEncoder.encodeCompound(List.of(d.get("country"), d.get("score")), new boolean[] {false, true});
        }
        return KeyEncoder.encode(v);
    }
}
