package dev.argon.bench.harness;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The human report: parameters, one row per operation, notes, and the ratios against each peer. Stateless. */
public final class TableReport {
    private TableReport() {}

    public static void print(PrintStream out, BenchRun run) {
        BenchConfig c = run.config();
        MachineInfo m = run.machine();
        out.printf(Locale.ROOT, "argon bench: %s%s%n", run.sut(), run.targets().size() > 1
                ? " vs " + String.join(", ", run.targets().subList(1, run.targets().size())) : "");
        out.printf(Locale.ROOT, "records %,d x ~%d B, %d threads (durable: %d), %s s per workload after %s s warm-up, %s keys%n",
                c.records(), c.docSize(), c.threads(), c.durableThreads(), num(c.seconds()), num(c.warmupSeconds()), c.distribution());
        out.printf(Locale.ROOT, "machine: %d cores, %.1f GiB, %s; %s; commit %s%s%n%n", m.cores(), m.memoryBytes() / (double) (1L << 30),
                m.cpu() == null ? "cpu unknown" : m.cpu(), m.jvm(), m.gitCommit() == null ? "unknown" : m.gitCommit().substring(0, Math.min(12, m.gitCommit().length())),
                Boolean.TRUE.equals(m.gitDirty()) ? " (uncommitted changes)" : "");
        List<List<String>> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (WorkloadResult r : run.results()) {
            if (r.skipped()) {
                rows.add(List.of(r.target(), r.workload(), "(skipped)", "-", "-", "-", "-", "-", "-"));
            }
            for (OpStats o : r.ops()) {
                rows.add(List.of(r.target(), r.workload(), o.op(), rate(o.opsPerSec()), micros(o.p50Micros()),
                        micros(o.p95Micros()), micros(o.p99Micros()), micros(o.maxMicros()), Long.toString(o.errors())));
            }
            for (String n : r.notes()) {
                notes.add(r.target() + " " + r.workload() + ": " + n);
            }
        }
        table(out, List.of("TARGET", "WORKLOAD", "OP", "OPS/S", "P50 µs", "P95 µs", "P99 µs", "MAX µs", "ERRORS"), rows);
        if (!notes.isEmpty()) {
            out.println();
            notes.forEach(n -> out.println("  " + n));
        }
        List<Ratio> ratios = run.ratios();
        if (!ratios.isEmpty()) {
            out.println();
            out.println(run.sut() + " / peer (throughput above 1 and latency below 1 favour " + run.sut() + ")");
            List<List<String>> rr = new ArrayList<>();
            for (Ratio r : ratios) {
                rr.add(List.of(r.workload(), r.op(), r.peer(), ratio(r.throughput()), ratio(r.p50()), ratio(r.p99())));
            }
            table(out, List.of("WORKLOAD", "OP", "PEER", "THROUGHPUT", "P50", "P99"), rr);
        }
        out.printf(Locale.ROOT, "%n%d errors%n", run.errors());
    }

    static String micros(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, v < 100 ? "%,.1f" : "%,.0f", v);
    }

    /** Slow operations (copies, big merges) run less than once a second; keep their rate readable. */
    static String rate(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%,.0f" : "%.2f", v);
    }

    private static String ratio(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, "%.2fx", v);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static void table(PrintStream out, List<String> headers, List<List<String>> rows) {
        int[] w = new int[headers.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        for (List<String> r : all) {
            for (int i = 0; i < w.length; i++) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        for (List<String> r : all) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < w.length; i++) {
                String cell = r.get(i);
                // Text columns left-aligned, figures right-aligned so magnitudes line up.
                boolean text = i < 3 || (headers.get(0).equals("WORKLOAD") && i < 3);
                sb.append(text ? cell + " ".repeat(w[i] - cell.length()) : " ".repeat(w[i] - cell.length()) + cell).append("  ");
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
