package dev.argon.wal;

/**
 * How often the WAL's sync thread waited for more journaled writes before an fsync ({@code rounds}), and how many
 * of those waits ended at the bound rather than with the writers it expected ({@code timeouts}); see
 * {@code WalSyncer}. Reported in {@code serverStatus.argon.walSyncGathers}.
 */
public record SyncGathers(long rounds, long timeouts) {}
