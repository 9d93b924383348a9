package dev.argon.bench.harness;

/**
 * The system under test against one peer for one operation of one workload. {@code throughput} above 1 and
 * latency ratios below 1 favour the system under test.
 */
public record Ratio(String workload, String op, String peer, double throughput, double p50, double p99) {
    static Ratio of(String workload, OpStats sut, OpStats peer, String peerName) {
        return new Ratio(workload, sut.op(), peerName, sut.opsPerSec() / peer.opsPerSec(), sut.p50Micros() / peer.p50Micros(),
                sut.p99Micros() / peer.p99Micros());
    }
}
