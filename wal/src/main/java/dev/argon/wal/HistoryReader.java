package dev.argon.wal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import org.bson.BsonDocument;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Reads of what was committed: commit records, log ranges, the time index ({@link #lsnAtTime}), the per-branch
 * commit boundaries ({@code commitEnd/}, {@link #roundToCommit}) and metadata keys. Owns the invariant "a read
 * sees exactly one commit boundary of each ancestry level" together with {@link BranchRegistry#view}. Writes
 * nothing. Thread-safe; the scans it returns are not (one reader each).
 */
final class HistoryReader {
    private static final byte[] COMMIT_END = "commitEnd/".getBytes(StandardCharsets.UTF_8);

    private final WalDb db;
    private final LogImages images;
    /** The data directory's last LSN: points past it are capped at it. */
    private final LongSupplier lastLsn;

    HistoryReader(WalDb db, LogImages images, LongSupplier lastLsn) {
        this.db = db;
        this.images = images;
        this.lastLsn = lastLsn;
    }

    /** The metadata key recording that the commit of branchId ending at lsn started at its value. */
    static byte[] commitEndKey(int branchId, long lsn) {
        byte[] k = Arrays.copyOf(COMMIT_END, COMMIT_END.length + 12);
        Bytes.putInt(k, COMMIT_END.length, branchId);
        Bytes.putLong(k, COMMIT_END.length + 4, lsn);
        return k;
    }

    /** See {@link Wal#roundToCommit}. */
    long roundToCommit(int branchId, long lsn) {
        long x = Math.min(lsn, lastLsn.getAsLong());
        if (x <= 0) {
            return 0;
        }
        byte[] prefix = Arrays.copyOf(commitEndKey(branchId, 0), COMMIT_END.length + 4);
        try (RocksIterator it = db.db().newIterator(db.meta())) {
            it.seek(commitEndKey(branchId, x));
            if (it.isValid() && Bytes.startsWith(it.key(), prefix)) {
                long end = Bytes.getLong(it.key(), prefix.length);
                long start = Bytes.getLong(it.value(), 0);
                if (start <= x && x < end) {
                    return start - 1;
                }
            }
        }
        return x;
    }

    List<BsonDocument> commits(int branchId, long lo, long hi) {
        List<BsonDocument> out = new ArrayList<>();
        try (CommitScan s = scanCommits(branchId, lo, hi)) {
            s.forEachRemaining(out::add);
        }
        return out;
    }

    CommitScan scanCommits(int branchId, long lo, long hi) {
        return new CommitScan(db, branchId, lo, hi);
    }

    List<LogRecord> logRange(long from, long to) {
        List<LogRecord> out = new ArrayList<>();
        try (LogScan s = scanLog(0, from, to, false)) {
            s.forEachRemaining(out::add);
        }
        return out;
    }

    /** Branch id 0: every branch's entries. */
    LogScan scanLog(int branchId, long from, long to, boolean backward) {
        return new LogScan(db, images, branchId, from, to, backward);
    }

    /** The last LSN committed at or before a wall-clock time (epoch millis); 0 if none. */
    long lsnAtTime(long millis) {
        byte[] probe = new byte[16];
        Bytes.putLong(probe, 0, millis);
        Bytes.putLong(probe, 8, -1L);
        try (RocksIterator it = db.db().newIterator(db.times())) {
            it.seekForPrev(probe);
            return it.isValid() ? Bytes.getLong(it.key(), 8) : 0;
        }
    }

    byte[] meta(byte[] key) {
        try {
            return db.db().get(db.meta(), key);
        } catch (RocksDBException e) {
            throw new WalException("cannot read metadata: " + e.getMessage(), -1, -1, e);
        }
    }

    List<KeyWrite> metaScan(byte[] prefix) {
        List<KeyWrite> out = new ArrayList<>();
        try (RocksIterator it = db.db().newIterator(db.meta())) {
            for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                out.add(KeyWrite.put(it.key(), it.value()));
            }
        }
        return out;
    }
}
