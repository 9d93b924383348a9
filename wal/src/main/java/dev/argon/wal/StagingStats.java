package dev.argon.wal;

/**
 * Streamed commits since the data directory was opened ({@link StagedCommit}): chunks staged, commits published,
 * commits aborted, and unpublished ones found and retired when the directory was opened.
 */
public record StagingStats(long chunks, long published, long aborted, long recovered) {}
