package dev.argon.wal;

import java.nio.file.Path;

/** An offline tool was pointed at a data directory that a running server (or another tool) has open. */
public final class DataDirInUseException extends RuntimeException {
    private final Path dir;

    public DataDirInUseException(Path dir, String why) {
        super("the data directory " + dir + " is in use (" + why + "); stop the server that has it open and try again");
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }
}
