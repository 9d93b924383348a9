package dev.argon.wal.archive;

/** Told how far a backup or restore got, from the thread doing it; implementations must be quick. */
@FunctionalInterface
public interface ArchiveProgress {
    ArchiveProgress NONE = (done, total) -> { };

    /**
     * @param done  bytes handled so far (segment bytes written or read)
     * @param total the expected total (an estimate for a backup), at least {@code done}
     */
    void update(long done, long total);
}
