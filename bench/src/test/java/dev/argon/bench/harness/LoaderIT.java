package dev.argon.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The load against an in-process Argon: cold alone without a warm-up, a cold pass and then the measured load with one. */
class LoaderIT {
    private static List<WorkloadResult> run(double warmup) {
        BenchConfig c = BenchConfig.defaults(true).withRecords(2_500).withWorkloads(List.of("C")).withSeconds(0.2).withWarmupSeconds(warmup);
        BenchRun r = new Harness(c, new PrintStream(new ByteArrayOutputStream()), false).run();
        assertEquals(0, r.errors(), () -> String.valueOf(r.results()));
        return r.resultsOf("argon");
    }

    @Test
    void withoutAWarmUpTheLoadIsTheColdFigure() {
        List<WorkloadResult> r = run(0);
        assertEquals(List.of(Loader.NAME, "C"), r.stream().map(WorkloadResult::workload).toList());
        WorkloadResult load = r.get(0);
        assertTrue(load.description().contains("cold"), load.description());
        assertEquals(3, load.ops().get(0).count(), "2,500 records in batches of 1,000");
    }

    @Test
    void aWarmUpLoadsAScratchCollectionOnceAndReportsThatPassAsCold() {
        List<WorkloadResult> r = run(10);
        assertEquals(List.of(Loader.COLD, Loader.NAME, "C"), r.stream().map(WorkloadResult::workload).toList());
        WorkloadResult cold = r.get(0);
        assertTrue(cold.notes().get(0).endsWith("documents/s"), String.valueOf(cold.notes()));
        assertTrue(cold.notes().contains("2,500 documents loaded and dropped before the measured load"), String.valueOf(cold.notes()));
        WorkloadResult load = r.get(1);
        assertEquals(3, load.ops().get(0).count());
        assertTrue(load.description().contains("after the same load into a scratch collection (at most 10 s)"), load.description());
    }
}
