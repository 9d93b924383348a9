package dev.argon.bench.jmh.wal;

import dev.argon.bench.BenchData;
import dev.argon.engine.store.Keys;
import dev.argon.wal.Bson;
import dev.argon.wal.CommitRequest;
import dev.argon.wal.KeyWrite;
import dev.argon.wal.LogEntry;
import dev.argon.wal.Wal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Commits of {@code batchSize} document inserts, each entry carrying its post-image and one versioned key, as the
 * engine writes them. {@code append} is one client; {@code appendEightClients} shows how far group commit lets
 * concurrent durable writers share an fsync.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class WalAppendBenchmark {
    /** Prepared commits are reused round-robin; 64 is enough that RocksDB sees many distinct keys. */
    private static final int RING = 64;

    @Param({"1", "16", "256"})
    public int batchSize;

    @Param({"false", "true"})
    public boolean sync;

    private Path dir;
    private Wal wal;
    private List<List<LogEntry>> ring;

    /** Entries written, reported by JMH as entries per second next to commits per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Entries {
        public long entries;
        int next;
    }

    @Setup(Level.Trial)
    public void open() {
        dir = BenchData.tempDir("argon-jmh-wal-");
        wal = Wal.open(dir);
        Random rnd = new Random(42);
        ring = new ArrayList<>(RING);
        long id = 0;
        for (int r = 0; r < RING; r++) {
            List<LogEntry> batch = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize; i++) {
                BsonDocument doc = BenchData.sampleDocument(rnd, id++);
                byte[] key = Keys.document(1, doc.get("_id"));
                batch.add(LogEntry.versioned("bench.docs", LogEntry.INSERT, doc.get("_id"), false,
                        List.of(KeyWrite.put(key, Bson.bytes(doc)))));
            }
            ring.add(batch);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        wal.close();
        BenchData.deleteTree(dir);
    }

    @Benchmark
    public long append(Entries counter) {
        return commit(counter);
    }

    @Benchmark
    @Threads(8)
    public long appendEightClients(Entries counter) {
        return commit(counter);
    }

    private long commit(Entries counter) {
        List<LogEntry> batch = ring.get(counter.next++ & (RING - 1));
        counter.entries += batch.size();
        return wal.commit(new CommitRequest(1, "bench", null, sync, batch)).endLsn();
    }
}
