package dev.argon.wal;

/** The inclusive LSN range {@code [startLsn, endLsn]} a commit was given, and its commit time. */
public record CommitResult(long startLsn, long endLsn, long timeMillis) {}
