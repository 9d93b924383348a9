package dev.argon.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.rocksdb.NativeLibraryLoader;
import org.rocksdb.RocksDB;

/**
 * Loads RocksDB's native library once per JVM. RocksJava unpacks it (about 17 MB) from its jar into the temporary
 * folder under a random name and removes it only at a normal exit, so every process killed with {@code kill -9}
 * (a crash, an OOM kill, a crash test) left one behind for good. Here each JVM unpacks it into a folder of its own,
 * {@code <java.io.tmpdir>/argon-native/<pid>}, and first removes the folders of processes that no longer run, so
 * what killed processes leave is bounded by the processes alive. {@code ROCKSDB_SHAREDLIB_DIR}, RocksJava's own
 * setting, wins when set; if the folder cannot be used, RocksJava's default applies. Thread-safe.
 */
final class NativeLibrary {
    static final String FOLDER = "argon-native";
    private static boolean loaded;

    private NativeLibrary() {
    }

    static synchronized void load() {
        if (loaded) {
            return;
        }
        if (System.getenv("ROCKSDB_SHAREDLIB_DIR") == null) {
            try {
                Path root = Path.of(System.getProperty("java.io.tmpdir"), FOLDER);
                removeDead(root);
                Path own = Files.createDirectories(root.resolve(Long.toString(ProcessHandle.current().pid())));
                NativeLibraryLoader.getInstance().loadLibrary(own.toString());
            } catch (IOException | RuntimeException e) {
                // RocksDB.loadLibrary below falls back to a temporary file of RocksJava's choosing.
            }
        }
        RocksDB.loadLibrary();
        loaded = true;
    }

    /** Removes the folders under {@code root} named by the pid of a process that no longer runs. */
    static void removeDead(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        List<Path> dead;
        try (Stream<Path> s = Files.list(root)) {
            dead = s.filter(p -> {
                String name = p.getFileName().toString();
                return !name.isEmpty() && name.chars().allMatch(Character::isDigit) && name.length() < 19
                        && ProcessHandle.of(Long.parseLong(name)).isEmpty();
            }).toList();
        }
        for (Path d : dead) {
            try (Stream<Path> walk = Files.walk(d)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                // another process removes it at the same time, or it is not ours to remove: leave it
            }
        }
    }
}
