package dev.argon.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchConfigTest {
    @Test
    void workloadAliasesBecomeCanonicalNames() {
        BenchConfig c = BenchConfig.defaults(true).withWorkloads(List.of("a", "c", "time-travel", "merge", "branch"));
        assertEquals(List.of("A", "C", "timetravel", "diffmerge", "branch"), c.workloads());
    }

    @Test
    void unknownNamesAreRefusedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchConfig.defaults(true).withWorkloads(List.of("Z")));
        assertEquals("unknown workload 'Z'; known: " + String.join(",", Workloads.ALL), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BenchConfig.defaults(true).withPeers(List.of("mongod")));
        assertThrows(IllegalArgumentException.class, () -> BenchConfig.defaults(true).withDistribution("hotspot"));
    }
}
