package dev.argon.bench.harness;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs a {@link BenchConfig}: the system under test first, then each peer, one target alive at a time. On each
 * target it loads the records and runs the workloads in the configured order; a workload that throws becomes a
 * failed result (one error) and the next workload still runs. Used from one thread.
 */
public final class Harness {
    private final BenchConfig config;
    private final ProgressLine progress;

    /**
     * @param log where progress and per-workload summaries go (stderr for the CLI)
     * @param terminal true to rewrite the progress line in place
     */
    public Harness(BenchConfig config, PrintStream log, boolean terminal) {
        this.config = config;
        this.progress = new ProgressLine(log, terminal);
    }

    public BenchRun run() {
        Instant started = Instant.now();
        MachineInfo machine = MachineInfo.collect();
        List<Peers.TargetSpec> specs = new ArrayList<>();
        String sut;
        if (config.uri() == null) {
            sut = "argon";
            specs.add(new Peers.TargetSpec(sut, ArgonTarget::start));
        } else {
            UriTarget external = new UriTarget(config.uri());
            sut = external.name();
            specs.add(new Peers.TargetSpec(sut, () -> external));
        }
        for (String peer : config.peers()) {
            specs.addAll(Peers.expand(peer));
        }
        List<WorkloadResult> results = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Peers.TargetSpec spec : specs) {
            names.add(spec.name());
            runTarget(spec, results);
        }
        return new BenchRun(config, machine, started, Instant.now(), sut, names, results);
    }

    private void runTarget(Peers.TargetSpec spec, List<WorkloadResult> out) {
        progress.line("== " + spec.name());
        Target target;
        try {
            target = spec.start().get();
        } catch (RuntimeException e) {
            out.add(failed(spec.name(), "start", e));
            return;
        }
        try (Session s = new Session(target, config, progress)) {
            LoadRunner runner = new LoadRunner(progress);
            for (WorkloadResult load : Loader.load(s, runner)) {
                out.add(load);
                announce(load);
            }
            for (String name : config.workloads()) {
                Workload w = Workloads.create(name);
                WorkloadResult r;
                try {
                    r = w.run(s, runner);
                } catch (RuntimeException e) {
                    r = failed(spec.name(), w.name(), e);
                }
                out.add(r);
                announce(r);
            }
        } catch (RuntimeException e) {
            out.add(failed(spec.name(), Loader.NAME, e));
            announce(out.get(out.size() - 1));
        } finally {
            target.close();
        }
    }

    private static WorkloadResult failed(String target, String workload, RuntimeException e) {
        OpStats none = new OpStats(workload, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 1);
        return new WorkloadResult(target, workload, "failed", List.of(none), 0,
                List.of("failed: " + e.getClass().getSimpleName() + ": " + e.getMessage()), false);
    }

    private void announce(WorkloadResult r) {
        StringBuilder sb = new StringBuilder(r.target()).append(' ').append(r.workload()).append(':');
        if (r.skipped()) {
            sb.append(" skipped, ").append(r.notes().get(0));
        } else {
            for (OpStats o : r.ops()) {
                sb.append(String.format(Locale.ROOT, " %s %s/s p50 %s µs;", o.op(), TableReport.rate(o.opsPerSec()), TableReport.micros(o.p50Micros())));
            }
            sb.append(' ').append(r.errors()).append(" errors");
        }
        progress.line(sb.toString());
    }
}
