package dev.argon.bench.jmh.versions;

import dev.argon.wal.Branch;
import dev.argon.wal.ReadView;
import dev.argon.wal.VersionScan;
import java.util.concurrent.ThreadLocalRandom;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * A point read and a short scan at the head of a branch {@code depth} levels deep ({@code depth = 1} is main).
 * Each level below main overwrote {@code overwritePercent} of the records, so a read finds its version at a
 * random level of the ancestry, as on a real branch stack. The goal (issue 3): depth 20 within 1.5x of main.
 * The {@code *OnMain} methods read main's head in the same data directory, so the ratio between a deep read and a
 * main read is taken over identical RocksDB state (same files, same compaction debt).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BranchDepthReadBenchmark {
    /** Scan length of YCSB workload E's typical short scan. */
    static final int SCAN_LENGTH = 10;

    @Param({"1", "5", "20"})
    public int depth;

    @Param({"100000"})
    public int records;

    @Param({"1"})
    public double overwritePercent;

    @Param({"100"})
    public int fieldSize;

    private VersionedStore store;
    private ReadView view;
    private ReadView mainView;
    private byte[] prefix;

    @Setup(Level.Trial)
    public void build() {
        store = new VersionedStore(records, fieldSize);
        int branch = store.branchChain(depth, overwritePercent / 100.0);
        store.settle();
        view = store.wal.headView(branch);
        mainView = store.wal.headView(Branch.MAIN_ID);
        prefix = VersionedStore.collectionPrefix();
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
    }

    @Benchmark
    public byte[] pointRead() {
        return read(view);
    }

    @Benchmark
    public byte[] pointReadOnMain() {
        return read(mainView);
    }

    @Benchmark
    public void shortScan(Blackhole bh) {
        scan(view, bh);
    }

    @Benchmark
    public void shortScanOnMain(Blackhole bh) {
        scan(mainView, bh);
    }

    private byte[] read(ReadView v) {
        return store.wal.get(v, store.keys[ThreadLocalRandom.current().nextInt(records)]);
    }

    private void scan(ReadView v, Blackhole bh) {
        byte[] start = store.keys[ThreadLocalRandom.current().nextInt(records)];
        try (VersionScan scan = store.wal.scan(v, prefix, start)) {
            for (int i = 0; i < SCAN_LENGTH && scan.hasNext(); i++) {
                bh.consume(scan.next());
            }
        }
    }
}
