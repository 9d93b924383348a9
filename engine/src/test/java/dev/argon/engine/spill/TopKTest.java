package dev.argon.engine.spill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.engine.ArgonException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TopK} (and the {@link ExternalSorter} it spills through) against a plain stable sort of random documents, in
 * memory, spilled and refused.
 */
class TopKTest {
    private static final Comparator<BsonDocument> BY_K = Comparator.comparingInt(d -> d.getInt32("k").getValue());

    @TempDir
    Path dir;

    private static List<BsonDocument> docs(int n, long seed) {
        Random rnd = new Random(seed);
        List<BsonDocument> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // Few distinct keys: many ties, whose input order (i) the answer must keep.
            out.add(new BsonDocument("i", new BsonInt32(i)).append("k", new BsonInt32(rnd.nextInt(40)))
                    .append("pad", new BsonString("x".repeat(50 + rnd.nextInt(100)))));
        }
        return out;
    }

    private static List<BsonDocument> expected(List<BsonDocument> in, int k) {
        List<BsonDocument> sorted = new ArrayList<>(in);
        sorted.sort(BY_K); // List.sort is stable
        return sorted.subList(0, Math.min(k, sorted.size()));
    }

    private static List<BsonDocument> run(List<BsonDocument> in, int k, Spill spill) {
        TopK top = new TopK(BY_K, k, spill);
        in.forEach(top::add);
        List<BsonDocument> out = new ArrayList<>();
        top.sorted().forEachRemaining(out::add);
        return out;
    }

    private List<Path> files() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void equalsAStableSortWhetherHeldOrSpilled() throws IOException {
        Random rnd = new Random(42);
        for (int round = 0; round < 20; round++) {
            List<BsonDocument> in = docs(rnd.nextInt(2000), rnd.nextLong());
            int k = 1 + rnd.nextInt(600);
            assertEquals(expected(in, k), run(in, k, Spill.inMemory()), "in memory, k=" + k);
            // 2 KiB holds a dozen documents: most rounds spill, some (small k) never do.
            try (Spill spill = new Spill(dir, 2048, Long.MAX_VALUE)) {
                TopK top = new TopK(BY_K, k, spill);
                in.forEach(top::add);
                List<BsonDocument> out = new ArrayList<>();
                top.sorted().forEachRemaining(out::add);
                assertEquals(expected(in, k), out, "spilled, k=" + k + ", n=" + in.size());
                if (k > 50 && in.size() > 50) {
                    assertTrue(top.spilled(), "a heap of " + k + " documents past 2 KiB spills");
                }
            }
            assertEquals(List.of(), files());
        }
    }

    @Test
    void aSortOfManyMoreRunsThanTheMergeFanInKeepsEveryRun() throws IOException {
        // ~1,000 runs: merged into one run every 64, so the folder's file list shrinks and grows many times; every
        // run keeps its own file (a name reused while its run is read lost documents).
        List<BsonDocument> in = docs(6000, 3);
        try (Spill spill = new Spill(dir, 1024, Long.MAX_VALUE)) {
            ExternalSorter sorter = new ExternalSorter(BY_K, spill, 1024, spill::sortRefused);
            in.forEach(sorter::add);
            List<BsonDocument> out = new ArrayList<>();
            sorter.sorted().forEachRemaining(out::add);
            assertEquals(expected(in, in.size()), out);
            assertTrue(spill.spills() > 2 * ExternalSorter.MAX_RUNS, "runs: " + spill.spills());
        }
        assertEquals(List.of(), files());
    }

    @Test
    void withoutDiskAHeapPastTheLimitIs292AndOneCandidateNeverIs() {
        List<BsonDocument> in = docs(500, 7);
        Spill noDisk = new Spill(null, 2048, Long.MAX_VALUE);
        ArgonException e = assertThrows(ArgonException.class, () -> run(in, 100, noDisk));
        assertEquals(292, e.code());
        assertEquals(expected(in, 5), run(in, 5, noDisk));
        // A limit below one document: the single best candidate is still found, in memory.
        Spill tiny = new Spill(null, 10, Long.MAX_VALUE);
        TopK one = new TopK(BY_K, 1, tiny);
        in.forEach(one::add);
        assertEquals(expected(in, 1), List.of(one.sorted().next()));
        assertFalse(one.spilled());
    }
}
