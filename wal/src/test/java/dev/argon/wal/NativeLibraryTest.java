package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * RocksDB's native library, unpacked by processes that die without a normal exit: each child JVM loads it and
 * halts (as {@code kill -9} would: no shutdown hooks, so RocksJava's delete-on-exit never runs); the next one
 * removes what the dead one left, so the temporary folder holds one copy per live process, not one per crash.
 */
class NativeLibraryTest {

    /** A process that loads the library, prints its pid and halts. */
    public static final class LoadAndHalt {
        public static void main(String[] args) {
            NativeLibrary.load();
            System.out.println(ProcessHandle.current().pid());
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
    }

    @Test
    void aKilledProcessLeavesOneCopyThatTheNextRemoves() throws Exception {
        Path tmp = Files.createTempDirectory("argon-native-test-");
        try {
            long first = run(tmp);
            assertEquals(List.of(first + "/"), contents(tmp), "the halted process's own copy");
            assertTrue(Files.size(only(tmp.resolve(NativeLibrary.FOLDER).resolve(Long.toString(first)))) > 1_000_000);
            long second = run(tmp);
            assertEquals(List.of(second + "/"), contents(tmp), "the next process removed the dead one's copy");
        } finally {
            try (Stream<Path> walk = Files.walk(tmp)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static long run(Path tmp) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                LoadAndHalt.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        // Wait until the process is gone, so that the next one sees it dead.
        ProcessHandle.of(p.pid()).ifPresent(h -> h.onExit().join());
        return Long.parseLong(out.lines().reduce((a, b) -> b).orElseThrow());
    }

    /** The folders under argon-native (with a slash) and any library file left in the temporary folder itself. */
    private static List<String> contents(Path tmp) throws Exception {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(tmp)) {
            s.filter(f -> f.getFileName().toString().startsWith("librocksdbjni")).forEach(f -> out.add(f.getFileName().toString()));
        }
        try (Stream<Path> s = Files.list(tmp.resolve(NativeLibrary.FOLDER))) {
            s.forEach(f -> out.add(f.getFileName() + "/"));
        }
        return out;
    }

    private static Path only(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findFirst().orElseThrow();
        }
    }
}
