package dev.argon.bench.harness;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole run: its parameters, the machine, and every result, the system under test's first.
 *
 * @param sut the target name of the system under test; every other target is a peer
 */
public record BenchRun(BenchConfig config, MachineInfo machine, Instant startedAt, Instant finishedAt, String sut,
                       List<String> targets, List<WorkloadResult> results) {
    public BenchRun {
        targets = List.copyOf(targets);
        results = List.copyOf(results);
    }

    public long errors() {
        return results.stream().mapToLong(WorkloadResult::errors).sum();
    }

    public List<WorkloadResult> resultsOf(String target) {
        return results.stream().filter(r -> r.target().equals(target)).toList();
    }

    /** System under test against each peer, for every operation both measured. */
    public List<Ratio> ratios() {
        List<Ratio> out = new ArrayList<>();
        for (WorkloadResult mine : resultsOf(sut)) {
            for (String peer : targets) {
                if (peer.equals(sut)) {
                    continue;
                }
                for (WorkloadResult theirs : resultsOf(peer)) {
                    if (!theirs.workload().equals(mine.workload())) {
                        continue;
                    }
                    for (OpStats o : mine.ops()) {
                        OpStats p = theirs.op(o.op());
                        if (p != null && o.count() > 0 && p.count() > 0) {
                            out.add(Ratio.of(mine.workload(), o, p, peer));
                        }
                    }
                }
            }
        }
        return out;
    }
}
