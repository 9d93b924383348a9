package dev.argon.wal;

import java.util.List;

/**
 * One atomic commit on one branch: its entries get a contiguous LSN range and are written in one batch.
 *
 * @param sync true when the client asked for a journaled write ({@code j: true}): the commit returns only
 *             after the RocksDB WAL is fsynced
 * @param metaWrites extra metadata written in the same batch (a merge records its source head this way)
 * @param origin the session of a retryable write or transaction, {@code {lsid, txnNumber}}, copied into the commit
 *               record (change streams report it); null for none
 */
public record CommitRequest(int branchId, String actor, String comment, boolean sync, List<LogEntry> entries,
                            List<KeyWrite> metaWrites, org.bson.BsonDocument origin) {
    public CommitRequest(int branchId, String actor, String comment, boolean sync, List<LogEntry> entries,
                         List<KeyWrite> metaWrites) {
        this(branchId, actor, comment, sync, entries, metaWrites, null);
    }

    public CommitRequest(int branchId, String actor, String comment, boolean sync, List<LogEntry> entries) {
        this(branchId, actor, comment, sync, entries, List.of());
    }
}
