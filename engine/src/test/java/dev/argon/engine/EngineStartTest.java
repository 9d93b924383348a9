package dev.argon.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.wal.Wal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A start that fails leaves nothing running behind it. */
class EngineStartTest {
    private static Set<Thread> reapers() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("argon-cursor-reaper"))
                .collect(Collectors.toSet());
    }

    @Test
    void aFailedStartLeavesNoReaperThread() throws Exception {
        Path dir = Files.createTempDirectory("argon-start-");
        Set<Thread> before = reapers();
        // The data directory is already open (RocksDB holds its lock), so the engine cannot open it.
        try (Wal holder = Wal.open(dir)) {
            assertThrows(RuntimeException.class, () -> new Engine(dir, new ServerStats()));
        }
        List<Thread> started = reapers().stream().filter(t -> !before.contains(t)).toList();
        for (Thread t : started) {
            t.join(5_000);
        }
        assertTrue(started.stream().noneMatch(Thread::isAlive), "a cursor reaper outlived the failed start: " + started);
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
