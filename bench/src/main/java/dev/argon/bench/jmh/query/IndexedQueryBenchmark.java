package dev.argon.bench.jmh.query;

import dev.argon.engine.Engine;
import dev.argon.engine.ServerStats;
import dev.argon.engine.command.ClientContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
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
 * An equality find returning 10 documents and a range find with a sort and limit 20, each through its index
 * ({@code plan=index}) and with {@code hint: {$natural: 1}} ({@code plan=scan}), over {@code records} documents
 * that are fresh or were each updated {@code updates} times ({@code history}). Issue 10's goals: the indexed
 * equality find at least 100x faster than the scan; the range+sort+limit examines no more than limit keys.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class IndexedQueryBenchmark {
    @Param({"100000"})
    public int records;

    @Param({"index", "scan"})
    public String plan;

    @Param({"fresh", "history"})
    public String history;

    /** Updates per document in the history variant: every version stays readable by time travel. */
    @Param({"10"})
    public int updates;

    private Path dir;
    private Engine engine;
    private final ClientContext client = new ClientContext(1, "127.0.0.1:50000", "localhost", 27017);

    @Setup(Level.Trial)
    public void build() throws IOException {
        dir = Files.createTempDirectory("argon-jmh-query-");
        engine = new Engine(dir, new ServerStats());
        int labels = records / 10;
        BsonArray batch = new BsonArray();
        for (int i = 0; i < records; i++) {
            batch.add(new BsonDocument("_id", new BsonInt32(i)).append("label", new BsonString("l" + (i % labels)))
                    .append("score", new BsonDouble((i * 7919L % records) / (double) records)).append("v", new BsonInt32(0)));
            if (batch.size() == 5_000) {
                run(new BsonDocument("insert", new BsonString("c")).append("documents", batch));
                batch = new BsonArray();
            }
        }
        if (!batch.isEmpty()) {
            run(new BsonDocument("insert", new BsonString("c")).append("documents", batch));
        }
        run(BsonDocument.parse("{createIndexes: 'c', indexes: [{key: {label: 1}, name: 'label_1'}, {key: {score: 1}, name: 'score_1'}]}"));
        if (history.equals("history")) {
            for (int u = 1; u <= updates; u++) {
                run(BsonDocument.parse("{update: 'c', updates: [{q: {}, u: {$set: {v: " + u + "}}, multi: true}]}"));
            }
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        engine.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private BsonDocument run(BsonDocument command) {
        BsonDocument reply = engine.commands().execute(command.append("$db", new BsonString("bench")), client);
        if (reply.getNumber("ok").intValue() != 1) {
            throw new IllegalStateException(reply.toJson());
        }
        return reply;
    }

    private BsonDocument find(BsonDocument filter, BsonDocument sort, int limit) {
        BsonDocument cmd = new BsonDocument("find", new BsonString("c")).append("filter", filter).append("batchSize", new BsonInt32(1000));
        if (sort != null) {
            cmd.append("sort", sort);
        }
        if (limit > 0) {
            cmd.append("limit", new BsonInt32(limit));
        }
        if (plan.equals("scan")) {
            cmd.append("hint", new BsonDocument("$natural", new BsonInt32(1)));
        }
        return run(cmd);
    }

    @Benchmark
    public BsonValue equalityTenMatches() {
        String label = "l" + ThreadLocalRandom.current().nextInt(records / 10);
        return find(new BsonDocument("label", new BsonString(label)), null, 0).getDocument("cursor").get("firstBatch");
    }

    @Benchmark
    public BsonValue rangeSortLimit20() {
        double lo = ThreadLocalRandom.current().nextDouble(0.8);
        BsonDocument filter = new BsonDocument("score", new BsonDocument("$gte", new BsonDouble(lo)).append("$lt", new BsonDouble(lo + 0.1)));
        return find(filter, new BsonDocument("score", new BsonInt32(1)), 20).getDocument("cursor").get("firstBatch");
    }
}
