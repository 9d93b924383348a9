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
 * Reads against the history a versioned store accumulates, next to the same reads of untouched data in the same
 * data directory (same files, same compaction debt), so each ratio isolates what history costs:
 * <ul>
 *   <li>{@code untouched}: a point read on main of a document written once;</li>
 *   <li>{@code siblingHot}: a point read on main of the document a sibling branch ({@code agent}) then updated
 *       {@code hotUpdates} times;</li>
 *   <li>{@code ownHotHead} / {@code ownHotMiddle}: a document main itself updated {@code hotUpdates} times, read
 *       at the head and at an LSN halfway through those updates;</li>
 *   <li>{@code interleaved}: a document that ten sibling branches updated in turn, {@code hotUpdates / 10}
 *       times each, read on main and ({@code interleavedOnSibling}) on the first sibling;</li>
 *   <li>{@code deep}: a point read at the head of a branch 20 levels deep, each level overwriting 1% of the
 *       documents;</li>
 *   <li>{@code missing}: a point read of a key never written, between existing ones (an insert's uniqueness
 *       check);</li>
 *   <li>{@code scanFresh} / {@code scanOverwritten}: a full scan of {@code records} documents right after the
 *       load, and of another {@code records} documents after {@code rounds} full overwrite rounds.</li>
 * </ul>
 * The goals of issue 9: every point read within 1.5x of {@code untouched}, {@code scanOverwritten} within 2x of
 * {@code scanFresh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HistoryReadBenchmark {
    private static final int DEPTH = 20;
    private static final int SIBLINGS = 10;

    @Param({"100000"})
    public int records;

    @Param({"20000"})
    public int hotUpdates;

    @Param({"10"})
    public int rounds;

    /**
     * Whether to compact both data directories fully before measuring: the state a directory reaches once RocksDB
     * has merged away overwritten entries, as an old directory is; false measures right after the writes.
     */
    @Param({"false"})
    public boolean compacted;

    private VersionedStore store;
    private VersionedStore scanned;
    private ReadView main;
    private ReadView middle;
    private ReadView deep;
    private ReadView sibling;
    private int cold;
    private byte[][] missingKeys;

    @Setup(Level.Trial)
    public void build() {
        store = new VersionedStore(records, 100);
        // Documents 0..2 are the hot ones; untouched reads pick from the rest.
        int agent = store.wal.createBranch("agent", Branch.MAIN_ID, store.wal.branch(Branch.MAIN_ID).headLsn(), "bench").id();
        store.rewrite(agent, 0, hotUpdates);
        long before = store.wal.branch(Branch.MAIN_ID).headLsn();
        store.rewrite(Branch.MAIN_ID, 1, hotUpdates / 2);
        long half = store.wal.branch(Branch.MAIN_ID).headLsn();
        store.rewrite(Branch.MAIN_ID, 1, hotUpdates - hotUpdates / 2);
        int[] siblings = new int[SIBLINGS];
        long fork = store.wal.branch(Branch.MAIN_ID).headLsn();
        for (int s = 0; s < SIBLINGS; s++) {
            siblings[s] = store.wal.createBranch("sibling" + s, Branch.MAIN_ID, fork, "bench").id();
        }
        for (int round = 0; round < hotUpdates / SIBLINGS; round++) {
            for (int s = 0; s < SIBLINGS; s++) {
                store.rewrite(siblings[s], 2, 1);
            }
        }
        int deepest = store.branchChain(DEPTH, 0.01);
        // One more write on main after all of that, as in the report that opened issue 9.
        store.rewrite(Branch.MAIN_ID, 3, 1);
        main = store.wal.headView(Branch.MAIN_ID);
        middle = store.wal.viewAt(Branch.MAIN_ID, half);
        deep = store.wal.headView(deepest);
        sibling = store.wal.headView(siblings[0]);
        cold = 4;
        missingKeys = new byte[1024][];
        for (int i = 0; i < missingKeys.length; i++) {
            missingKeys[i] = dev.argon.engine.store.Keys.document(VersionedStore.COLLECTION_ID,
                    new org.bson.BsonString(String.format("user%010dx", i * 97)));
        }
        assert before < half;

        scanned = new VersionedStore(records, 100);
        for (int r = 0; r < rounds; r++) {
            scanned.overwriteAll(Branch.MAIN_ID);
        }
        if (compacted) {
            store.wal.flush(true);
            scanned.wal.flush(true);
        }
        store.settle();
        scanned.settle();
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
        scanned.close();
    }

    private byte[] coldKey() {
        return store.keys[cold + ThreadLocalRandom.current().nextInt(records - cold)];
    }

    @Benchmark
    public byte[] untouched() {
        return store.wal.get(main, coldKey());
    }

    /**
     * A key that was never written (an insert's {@code _id} uniqueness check): with no Bloom filter it probes
     * every level whose key range covers it.
     */
    @Benchmark
    public byte[] missing() {
        return store.wal.get(main, missingKeys[ThreadLocalRandom.current().nextInt(missingKeys.length)]);
    }

    @Benchmark
    public byte[] siblingHot() {
        return store.wal.get(main, store.keys[0]);
    }

    @Benchmark
    public byte[] ownHotHead() {
        return store.wal.get(main, store.keys[1]);
    }

    @Benchmark
    public byte[] ownHotMiddle() {
        return store.wal.get(middle, store.keys[1]);
    }

    @Benchmark
    public byte[] interleaved() {
        return store.wal.get(main, store.keys[2]);
    }

    @Benchmark
    public byte[] interleavedOnSibling() {
        return store.wal.get(sibling, store.keys[2]);
    }

    @Benchmark
    public byte[] deep() {
        return store.wal.get(deep, coldKey());
    }

    @Benchmark
    @Measurement(iterations = 5, time = 4)
    public long scanFresh(Blackhole bh) {
        return scanAll(store, main, bh);
    }

    @Benchmark
    @Measurement(iterations = 5, time = 4)
    public long scanOverwritten(Blackhole bh) {
        return scanAll(scanned, scanned.wal.headView(Branch.MAIN_ID), bh);
    }

    private static long scanAll(VersionedStore s, ReadView view, Blackhole bh) {
        long n = 0;
        try (VersionScan scan = s.wal.scan(view, VersionedStore.collectionPrefix(), null)) {
            while (scan.hasNext()) {
                bh.consume(scan.next());
                n++;
            }
        }
        return n;
    }
}
