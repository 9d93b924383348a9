package dev.argon.tools;

import dev.argon.bench.harness.BenchConfig;
import dev.argon.bench.harness.BenchRun;
import dev.argon.bench.harness.Harness;
import dev.argon.bench.harness.JsonReport;
import dev.argon.bench.harness.TableReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code argon bench}: the workload harness of the bench module. Without {@code --uri} it starts its own Argon
 * in this process; {@code --peer} runs the same workloads against mongo-java-server right after. Options left
 * out take the defaults of a full run, or of the smoke mode with {@code --quick}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure YCSB-style and Argon workloads (in-process Argon unless --uri), optionally side by side with a peer.")
public final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--quick", description = "smoke mode: small data set, about a second per workload")
    boolean quick;

    @Option(names = "--uri", description = "drive this mongodb:// server instead of starting Argon")
    String uri;

    @Option(names = "--peer", split = ",", description = "also run against: mongo-java-server (memory and H2 backends), "
            + "mongo-java-server/memory, mongo-java-server/h2")
    List<String> peers;

    @Option(names = "--workloads", split = ",", description = "workloads in run order (default: all): A,B,C,D,E,F,branch,depth,timetravel,diffmerge,durable")
    List<String> workloads;

    @Option(names = "--records", description = "records loaded first (0: empty data set)")
    Integer records;

    @Option(names = "--doc-size", description = "approximate record size in bytes (ten fields)")
    Integer docSize;

    @Option(names = "--threads", description = "client threads")
    Integer threads;

    @Option(names = "--seconds", description = "measured seconds per workload")
    Double seconds;

    @Option(names = "--warmup", description = "unmeasured seconds before each workload (for the load: one pass of it into a scratch collection first, reported as load-cold)")
    Double warmup;

    @Option(names = "--durable-threads", description = "client threads of the durable insert workload")
    Integer durableThreads;

    @Option(names = "--diff-docs", description = "documents changed per diff/merge round")
    Integer diffDocs;

    @Option(names = "--scan-length", description = "longest scan of workload E")
    Integer scanLength;

    @Option(names = "--distribution", description = "key popularity: zipfian or uniform")
    String distribution;

    @Option(names = "--db", description = "database the harness loads and drops")
    String database;

    @Option(names = "--seed", description = "random seed")
    Long seed;

    @Option(names = "--json", description = "also write the report as JSON to this file")
    Path json;

    @Option(names = "--verbose", description = "keep the servers' own log lines")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        BenchConfig config = config();
        if (!verbose) {
            BenchLogging.quiet();
        }
        BenchRun run = new Harness(config, System.err, System.console() != null).run();
        TableReport.print(System.out, run);
        if (json != null) {
            JsonReport.write(json, run);
            System.err.println("argon: wrote " + json);
        }
        if (run.errors() > 0) {
            throw new CliException(CliException.SERVER, run.errors() + " operations failed; see the notes above");
        }
        return 0;
    }

    private BenchConfig config() {
        try {
            BenchConfig c = BenchConfig.defaults(quick);
            c = uri == null ? c : c.withUri(uri);
            c = peers == null ? c : c.withPeers(peers);
            c = workloads == null ? c : c.withWorkloads(workloads);
            c = records == null ? c : c.withRecords(records);
            c = docSize == null ? c : c.withDocSize(docSize);
            c = threads == null ? c : c.withThreads(threads);
            c = seconds == null ? c : c.withSeconds(seconds);
            c = warmup == null ? c : c.withWarmupSeconds(warmup);
            c = durableThreads == null ? c : c.withDurableThreads(durableThreads);
            c = diffDocs == null ? c : c.withDiffDocs(diffDocs);
            c = scanLength == null ? c : c.withMaxScanLength(scanLength);
            c = distribution == null ? c : c.withDistribution(distribution);
            c = database == null ? c : c.withDatabase(database);
            return seed == null ? c : c.withSeed(seed);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
