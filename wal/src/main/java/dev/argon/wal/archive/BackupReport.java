package dev.argon.wal.archive;

/**
 * What one backup did.
 *
 * @param target          the archive, as {@code ObjectStore.describe()} says
 * @param sequence        the manifest it published
 * @param parent          the manifest it extends (0: a full backup)
 * @param coversLsn       every commit up to this LSN is archived
 * @param sinceLsn        the new segments hold entries above this LSN (the parent's {@code coversLsn})
 * @param entries         entries written into new segments
 * @param rawBytes        their keys and values, uncompressed
 * @param segmentsStored  segments uploaded
 * @param bytesStored     their bytes
 * @param segmentsReused  segments the target had already (same content address)
 * @param segmentsTotal   segments the manifest names
 * @param archiveBytes    bytes of every segment the manifest names
 * @param millis          wall time taken
 */
public record BackupReport(String target, long sequence, long parent, long coversLsn, long sinceLsn, long entries,
                           long rawBytes, int segmentsStored, long bytesStored, int segmentsReused, int segmentsTotal,
                           long archiveBytes, long millis) {
}
