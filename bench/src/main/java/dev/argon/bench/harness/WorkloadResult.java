package dev.argon.bench.harness;

import java.util.List;

/**
 * What one workload measured on one target: per-operation figures, the measured time, and notes (why it was
 * skipped, the first error, fsync counts, misses). A skipped result has no operations and is not an error.
 */
public record WorkloadResult(String target, String workload, String description, List<OpStats> ops, double seconds,
                             List<String> notes, boolean skipped) {
    public WorkloadResult {
        ops = List.copyOf(ops);
        notes = List.copyOf(notes);
    }

    static WorkloadResult skipped(String target, Workload w, String why) {
        return new WorkloadResult(target, w.name(), w.description(), List.of(), 0, List.of(why), true);
    }

    public long errors() {
        return ops.stream().mapToLong(OpStats::errors).sum();
    }

    /** The figures of one operation, or null. */
    public OpStats op(String name) {
        return ops.stream().filter(o -> o.op().equals(name)).findFirst().orElse(null);
    }
}
