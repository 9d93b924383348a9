package dev.argon.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Everything a run depends on; recorded whole in the JSON report so two runs can be compared.
 *
 * @param uri the server under test, or null to start an in-process Argon
 * @param peers peer names (see {@link Peers}); each runs the same workloads after the system under test
 * @param workloads workload names in run order (see {@link Workloads})
 * @param records records loaded before the workloads (0 gives an empty data set)
 * @param docSize approximate document size in bytes: ten string fields of {@code docSize / 10} characters
 * @param threads client threads of the YCSB and time-travel workloads (and of loading)
 * @param seconds measured time per workload
 * @param warmupSeconds unmeasured time before each workload, so the JIT and caches settle
 * @param durableThreads client threads of the durable-insert workload
 * @param diffDocs documents changed on a branch per diff/merge round
 * @param maxScanLength longest short scan of workload E (lengths are uniform in 1..max, as in YCSB)
 * @param distribution {@code zipfian} (YCSB's default, skewed to hot keys) or {@code uniform}
 * @param database database the harness loads and drops
 * @param seed random seed: the same seed produces the same keys and values on every target
 * @param quick the smoke mode: small data set, short workloads
 */
public record BenchConfig(String uri, List<String> peers, List<String> workloads, int records, int docSize, int threads,
                          double seconds, double warmupSeconds, int durableThreads, int diffDocs, int maxScanLength,
                          String distribution, String database, long seed, boolean quick) {
    /** Rows per insertMany while loading: the driver's batches stay far below the 48 MB message limit. */
    public static final int LOAD_BATCH = 1000;

    public BenchConfig {
        peers = List.copyOf(peers);
        workloads = List.copyOf(workloads);
        if (records < 0 || docSize < 10 || threads < 1 || durableThreads < 1 || diffDocs < 1 || maxScanLength < 1
                || seconds <= 0 || warmupSeconds < 0) {
            throw new IllegalArgumentException("records >= 0, doc size >= 10, threads >= 1, seconds > 0 and warm-up >= 0 are required");
        }
        if (!distribution.equals("zipfian") && !distribution.equals("uniform")) {
            throw new IllegalArgumentException("distribution must be zipfian or uniform, not " + distribution);
        }
        for (String w : workloads) {
            Workloads.create(w);
        }
        for (String p : peers) {
            Peers.require(p);
        }
    }

    /** The defaults of a full run, or of the smoke mode when quick is true (finishes well under a minute). */
    public static BenchConfig defaults(boolean quick) {
        return quick
                ? new BenchConfig(null, List.of(), Workloads.ALL, 1_000, 200, 4, 1, 0.2, 32, 20, 20, "zipfian", "ycsb", 42, true)
                : new BenchConfig(null, List.of(), Workloads.ALL, 100_000, 1000, 8, 10, 2, 32, 100, 100, "zipfian", "ycsb", 42, false);
    }

    public int fieldSize() {
        return Math.max(1, docSize / 10);
    }

    public BenchConfig withUri(String v) {
        return new BenchConfig(v, peers, workloads, records, docSize, threads, seconds, warmupSeconds, durableThreads, diffDocs, maxScanLength, distribution, database, seed, quick);
    }

    public BenchConfig withPeers(List<String> v) {
        return new BenchConfig(uri, v, workloads, records, docSize, threads, seconds, warmupSeconds, durableThreads, diffDocs, maxScanLength, distribution, database, seed, quick);
    }

    public BenchConfig withWorkloads(List<String> v) {
        List<String> names = new ArrayList<>();
        for (String s : v) {
            names.add(Workloads.canonical(s.trim()));
        }
        return new BenchConfig(uri, peers, names, records, docSize, threads, seconds, warmupSeconds, durableThreads, diffDocs, maxScanLength, distribution, database, seed, quick);
    }

    public BenchConfig withRecords(int v) {
        return new BenchConfig(uri, peers, workloads, v, docSize, threads, seconds, warmupSeconds, durableThreads, diffDocs, maxScanLength, distribution, database, seed, quick);
    }

    public BenchConfig withDocSize(int v) {
        return new BenchConfig(uri, peers, workloads, records, v, threads, seconds, warmupSeconds, durableThreads, diffDocs, maxScanLength, distribution, database, seed, quick);
    }

    public BenchConfig withThreads(int v) {
        return new BenchConfig(uri, peers, workloads, records, docSize, v, seconds, warmupSeconds, durableThreads, diffDocs, maxScanLength, distribution, database, seed, quick);
    }

    public BenchConfig withSeconds(double v) {
        return new BenchConfig(uri, peers, workloads, records, docSize, threads, v, warmupSeconds, durableThreads, diffDocs, maxScanLength, distribution, database, seed, quick);
    }

    public BenchConfig withWarmupSeconds(double v) {
        return new BenchConfig(uri, peers, workloads, records, docSize, threads, seconds, v, durableThreads, diffDocs, maxScanLength, distribution, database, seed, quick);
    }

    public BenchConfig withDurableThreads(int v) {
        return new BenchConfig(uri, peers, workloads, records, docSize, threads, seconds, warmupSeconds, v, diffDocs, maxScanLength, distribution, database, seed, quick);
    }

    public BenchConfig withDiffDocs(int v) {
        return new BenchConfig(uri, peers, workloads, records, docSize, threads, seconds, warmupSeconds, durableThreads, v, maxScanLength, distribution, database, seed, quick);
    }

    public BenchConfig withMaxScanLength(int v) {
        return new BenchConfig(uri, peers, workloads, records, docSize, threads, seconds, warmupSeconds, durableThreads, diffDocs, v, distribution, database, seed, quick);
    }

    public BenchConfig withDistribution(String v) {
        return new BenchConfig(uri, peers, workloads, records, docSize, threads, seconds, warmupSeconds, durableThreads, diffDocs, maxScanLength, v.toLowerCase(Locale.ROOT), database, seed, quick);
    }

    public BenchConfig withDatabase(String v) {
        return new BenchConfig(uri, peers, workloads, records, docSize, threads, seconds, warmupSeconds, durableThreads, diffDocs, maxScanLength, distribution, v, seed, quick);
    }

    public BenchConfig withSeed(long v) {
        return new BenchConfig(uri, peers, workloads, records, docSize, threads, seconds, warmupSeconds, durableThreads, diffDocs, maxScanLength, distribution, database, v, quick);
    }
}
