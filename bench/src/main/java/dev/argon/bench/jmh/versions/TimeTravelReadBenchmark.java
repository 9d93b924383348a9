package dev.argon.bench.jmh.versions;

import dev.argon.wal.Branch;
import dev.argon.wal.ReadView;
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

/**
 * A point read on main at the head against one at the LSN where the records were first loaded, after every
 * record was overwritten {@code laterVersions} times: the old read must find the oldest of several versions.
 * The goal (issue 5): time travel within 1.5x of a head read.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TimeTravelReadBenchmark {
    @Param({"head", "old"})
    public String at;

    @Param({"100000"})
    public int records;

    @Param({"4"})
    public int laterVersions;

    private VersionedStore store;
    private ReadView view;

    @Setup(Level.Trial)
    public void build() {
        store = new VersionedStore(records, 100);
        long loadedLsn = store.wal.lastLsn();
        for (int v = 0; v < laterVersions; v++) {
            store.overwriteAll(Branch.MAIN_ID);
        }
        store.settle();
        view = "old".equals(at) ? store.wal.viewAt(Branch.MAIN_ID, loadedLsn) : store.wal.headView(Branch.MAIN_ID);
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
    }

    @Benchmark
    public byte[] pointRead() {
        return store.wal.get(view, store.keys[ThreadLocalRandom.current().nextInt(records)]);
    }
}
