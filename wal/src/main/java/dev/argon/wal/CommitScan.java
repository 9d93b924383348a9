package dev.argon.wal;

import org.bson.BsonDocument;
import org.bson.BsonInt32;

/**
 * The commit records of one branch id with {@code lo < lsn <= hi}, newest first, read one at a time so that a
 * long history never sits in memory. Each is the BSON commit record ({@code startLsn, lsn, time, actor,
 * comment, counts}) plus {@code branchId}. Not thread-safe; close it (it holds a RocksDB iterator).
 */
public final class CommitScan extends RecordScan<BsonDocument> {
    private final int branchId;
    private final long lo;

    CommitScan(WalDb db, int branchId, long lo, long hi) {
        super(db.db().newIterator(db.commits()));
        this.branchId = branchId;
        this.lo = lo;
        byte[] top = new byte[12];
        Bytes.putInt(top, 0, branchId);
        Bytes.putLong(top, 4, hi);
        it.seekForPrev(top);
        start();
    }

    @Override
    protected BsonDocument read() {
        byte[] k = it.key();
        if (Bytes.getInt(k, 0) != branchId || Bytes.getLong(k, 4) <= lo) {
            return null;
        }
        BsonDocument d = Bson.document(it.value());
        d.append("branchId", new BsonInt32(branchId));
        it.prev();
        return d;
    }
}
