package dev.argon.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * The machine-readable report: parameters, machine, every result and every ratio, as relaxed Extended JSON
 * (plain JSON numbers and strings; dates as {@code {"$date": ...}}). Missing figures are null. Stateless.
 */
public final class JsonReport {
    private static final JsonWriterSettings JSON = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).indent(true).build();

    private JsonReport() {}

    public static void write(Path file, BenchRun run) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toJson(run) + System.lineSeparator(), StandardCharsets.UTF_8);
    }

    public static String toJson(BenchRun run) {
        return document(run).toJson(JSON);
    }

    static Document document(BenchRun run) {
        BenchConfig c = run.config();
        MachineInfo m = run.machine();
        Document params = new Document("uri", c.uri()).append("peers", c.peers()).append("workloads", c.workloads())
                .append("records", c.records()).append("docSize", c.docSize()).append("threads", c.threads())
                .append("seconds", c.seconds()).append("warmupSeconds", c.warmupSeconds()).append("durableThreads", c.durableThreads())
                .append("diffDocs", c.diffDocs()).append("maxScanLength", c.maxScanLength()).append("distribution", c.distribution())
                .append("database", c.database()).append("seed", c.seed()).append("quick", c.quick()).append("loadBatch", BenchConfig.LOAD_BATCH);
        Document machine = new Document("cores", m.cores()).append("memoryBytes", m.memoryBytes()).append("cpu", m.cpu())
                .append("jvm", m.jvm()).append("os", m.os()).append("gitCommit", m.gitCommit()).append("gitDirty", m.gitDirty());
        List<Document> results = new ArrayList<>();
        for (WorkloadResult r : run.results()) {
            List<Document> ops = new ArrayList<>();
            for (OpStats o : r.ops()) {
                ops.add(new Document("op", o.op()).append("count", o.count()).append("opsPerSec", finite(o.opsPerSec()))
                        .append("p50Micros", finite(o.p50Micros())).append("p95Micros", finite(o.p95Micros()))
                        .append("p99Micros", finite(o.p99Micros())).append("maxMicros", finite(o.maxMicros())).append("errors", o.errors()));
            }
            results.add(new Document("target", r.target()).append("workload", r.workload()).append("description", r.description())
                    .append("skipped", r.skipped()).append("seconds", r.seconds()).append("errors", r.errors()).append("ops", ops)
                    .append("notes", r.notes()));
        }
        List<Document> ratios = new ArrayList<>();
        for (Ratio x : run.ratios()) {
            ratios.add(new Document("workload", x.workload()).append("op", x.op()).append("peer", x.peer())
                    .append("throughput", finite(x.throughput())).append("p50", finite(x.p50())).append("p99", finite(x.p99())));
        }
        return new Document("tool", "argon bench").append("startedAt", Date.from(run.startedAt()))
                .append("finishedAt", Date.from(run.finishedAt())).append("machine", machine).append("parameters", params)
                .append("sut", run.sut()).append("targets", run.targets()).append("results", results).append("ratios", ratios)
                .append("errors", run.errors());
    }

    private static Double finite(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }
}
