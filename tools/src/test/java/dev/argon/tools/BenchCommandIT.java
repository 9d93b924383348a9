package dev.argon.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.bench.harness.Workloads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smoke mode of {@code argon bench}, in-process, with the peer: every workload produces figures on Argon,
 * the peers run everything they can and skip the Argon-only workloads with a note, and nothing fails. No timing is
 * asserted: this guards the harness against rot, not the server's speed.
 */
class BenchCommandIT {
    private static final Set<String> ARGON_ONLY = Set.of("depth", "timetravel", "history", "diffmerge");
    /** The peer answers neither sessions nor {@code $changeStream}: these skip there, saying so. */
    private static final Set<String> PEER_UNSUPPORTED = Set.of("txn", "changestream");

    @Test
    void quickModeMeasuresEveryWorkloadOnArgonAndOnThePeers(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        CliRun run = CliRun.of("bench", "--quick", "--peer", "mongo-java-server", "--records", "500", "--seconds", "1",
                "--warmup", "0.2", "--json", json.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("argon / peer"), run.out());

        Document report = Document.parse(Files.readString(json));
        assertEquals(0L, ((Number) report.get("errors")).longValue(), run.out());
        assertEquals(List.of("argon", "mongo-java-server/memory", "mongo-java-server/h2"), report.getList("targets", String.class));
        assertNotNull(report.get("machine", Document.class).get("cores"));
        List<Document> results = report.getList("results", Document.class);
        for (String target : report.getList("targets", String.class)) {
            List<String> expected = new ArrayList<>(List.of("load"));
            expected.addAll(Workloads.ALL);
            for (String workload : expected) {
                Document r = results.stream().filter(x -> x.getString("target").equals(target) && x.getString("workload").equals(workload))
                        .findFirst().orElseThrow(() -> new AssertionError("no result for " + target + " " + workload));
                boolean peer = !target.equals("argon");
                if (peer && (ARGON_ONLY.contains(workload) || PEER_UNSUPPORTED.contains(workload))) {
                    assertTrue(r.getBoolean("skipped"), target + " " + workload);
                    assertTrue(r.getList("notes", String.class).get(0).contains("not available on this server"), r.toJson());
                    continue;
                }
                assertFalse(r.getBoolean("skipped"), r.toJson());
                List<Document> ops = r.getList("ops", Document.class);
                assertFalse(ops.isEmpty(), r.toJson());
                for (Document op : ops) {
                    assertEquals(0L, ((Number) op.get("errors")).longValue(), r.toJson());
                }
                assertTrue(ops.stream().anyMatch(op -> ((Number) op.get("count")).longValue() > 0), r.toJson());
            }
        }
        assertFalse(report.getList("ratios", Document.class).isEmpty());
    }
}
