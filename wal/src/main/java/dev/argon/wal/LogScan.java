package dev.argon.wal;

/**
 * The log entries with LSN in {@code [from, to]} (inclusive), oldest first or newest first, optionally of one
 * branch id only, decoded one at a time so that a large commit never sits in memory whole. A streamed commit's
 * range holds other branches' entries too, so readers of one commit filter by its branch id. Entries of one commit
 * share one read of its record (time, actor, comment). Entries at or below the tier catalog's {@code logCutoff}
 * are read from the log segments ({@link ColdLog}), the rest from RocksDB; the catalog is read after the iterator
 * is made, so a compaction batch landing in between only makes local entries the scan skips (they are in the
 * segments it reads). Not thread-safe; close it (it holds a RocksDB iterator).
 */
public final class LogScan extends RecordScan<LogRecord> {
    private final int branchId;
    private final long from;
    private final long to;
    private final boolean backward;
    private final LogImages images;
    private final long logCutoff;
    private final ColdLog cold;
    private LogImages.Commit commit;

    /** @param branchId only this branch id's entries, or 0 for all */
    LogScan(WalDb db, LogImages images, int branchId, long from, long to, boolean backward) {
        super(db.db().newIterator(db.log()));
        this.images = images;
        this.branchId = branchId;
        this.from = from;
        this.to = to;
        this.backward = backward;
        TierCatalog catalog = TierCatalog.read(db);
        this.logCutoff = catalog.logCutoff();
        this.cold = from <= logCutoff ? new ColdLog(db, null, catalog, from, Math.min(to, logCutoff), backward) : null;
        if (backward) {
            it.seekForPrev(Bytes.longKey(to));
        } else {
            it.seek(Bytes.longKey(Math.max(from, logCutoff + 1)));
        }
        start();
    }

    @Override
    protected boolean more() {
        return it.isValid() || cold != null;
    }

    @Override
    protected LogRecord read() {
        while (true) {
            byte[] key;
            byte[] value;
            // Forward: the cold part first, then RocksDB; backward: RocksDB down to logCutoff, then the cold part.
            boolean fromCold = cold != null && (backward ? !it.isValid() || Bytes.getLong(it.key(), 0) <= logCutoff
                    : cold.hasNext());
            if (fromCold) {
                if (!cold.hasNext()) {
                    return null;
                }
                byte[][] e = cold.next();
                key = e[0];
                value = e[1];
            } else {
                if (!it.isValid()) {
                    return null;
                }
                key = it.key();
                value = it.value();
                if (backward) {
                    it.prev();
                } else {
                    it.next();
                }
            }
            long lsn = Bytes.getLong(key, 0);
            if (backward ? lsn < from : lsn > to) {
                return null;
            }
            if (!fromCold && lsn <= logCutoff) {
                continue;
            }
            LogRecord r = LogRecord.decode(lsn, Bson.document(value), images, commit);
            if (branchId == 0 || r.branchId() == branchId) {
                commit = r.commitIfRead(commit);
                return r;
            }
        }
    }
}
