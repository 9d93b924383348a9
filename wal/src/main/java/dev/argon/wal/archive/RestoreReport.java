package dev.argon.wal.archive;

/**
 * What one restore or clone did.
 *
 * @param source      the archive, as {@code ObjectStore.describe()} says
 * @param sequence    the manifest it read
 * @param coversLsn   the LSN that manifest covers
 * @param restoredLsn the LSN the new directory ends at (the cut, or {@code coversLsn})
 * @param branch      the branch a clone holds, or null for a whole restore
 * @param branches    named branches in the new directory
 * @param entries     entries written
 * @param segments    segments read
 * @param bytesRead   their bytes
 * @param millis      wall time taken
 */
public record RestoreReport(String source, long sequence, long coversLsn, long restoredLsn, String branch, int branches,
                            long entries, int segments, long bytesRead, long millis) {
}
