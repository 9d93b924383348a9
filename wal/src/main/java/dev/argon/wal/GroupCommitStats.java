package dev.argon.wal;

/**
 * How commits have been grouped since the data directory was opened: {@code groups} RocksDB writes carried
 * {@code commits} commits, and each group's leader stopped taking requests because the group was
 * {@code full} (it hit {@link GroupCommit#MAX_GROUP_REQUESTS} or {@link GroupCommit#MAX_GROUP_BYTES}) or the
 * queue was {@code idle} (nothing else was waiting). A journaled request never ends a group (there is no
 * "sync requested" break): the fsync runs after the group's write and covers every member at once.
 * {@code full + idle} can exceed {@code groups} by the groups whose every member was refused alone.
 */
public record GroupCommitStats(long groups, long commits, long full, long idle) {}
