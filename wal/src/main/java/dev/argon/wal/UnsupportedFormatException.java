package dev.argon.wal;

import java.nio.file.Path;

/**
 * A data directory written in another on-disk format than the one this build reads ({@link WalDb#FORMAT_VERSION},
 * recorded under {@code formatVersion} in the metadata). Nothing converts between formats: a directory of
 * another version is refused before anything is read or written.
 */
public final class UnsupportedFormatException extends RuntimeException {
    private final Path dir;
    private final int found;

    UnsupportedFormatException(Path dir, int found) {
        super("the data directory " + dir + " has on-disk format version " + (found == 0 ? "1 (it records none)" : found)
                + ", and this build reads format version " + WalDb.FORMAT_VERSION + " only; no conversion exists."
                + " Start with another --data directory (or move this one aside); see docs/FORMATS.md");
        this.dir = dir;
        this.found = found;
    }

    public Path dir() {
        return dir;
    }

    /** The version found, 0 when the directory records none (the first format). */
    public int found() {
        return found;
    }
}
