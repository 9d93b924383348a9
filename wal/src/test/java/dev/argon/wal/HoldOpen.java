package dev.argon.wal;

import java.nio.file.Files;
import java.nio.file.Path;

/** A child process that keeps a data directory open (as a running server would) until it is killed. */
public final class HoldOpen {
    private HoldOpen() {}

    public static void main(String[] args) throws Exception {
        try (Wal wal = Wal.open(Path.of(args[0]))) {
            Files.writeString(Path.of(args[1]), "open");
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
