package dev.argon.wal;

/** An immutable name for a branch at an LSN. Shares the namespace of branch names. */
public record Tag(String name, int branchId, long lsn, long createdAt, String createdBy) {}
