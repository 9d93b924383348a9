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
 * commit boundaries ({@link #roundToCommit}, from the commit records) and metadata keys. Owns the invariant "a read
 * sees exactly one commit boundary of each ancestry level" together with {@link BranchRegistry#view}. Writes
 * nothing. Thread-safe; the scans it returns are not (one reader each).
 */
final class HistoryReader {
    /** A commit record's first element: type int64, name {@code startLsn}; its value follows. */
    private static final byte[] START_FIELD = "\u0012startLsn\u0000".getBytes(StandardCharsets.UTF_8);
    private static final int START_AT = 4 + START_FIELD.length;

    private final WalDb db;
    private final LogImages images;
    /** The data directory's last LSN: points past it are capped at it. */
    private final LongSupplier lastLsn;

    HistoryReader(WalDb db, LogImages images, LongSupplier lastLsn) {
        this.db = db;
        this.images = images;
        this.lastLsn = lastLsn;
    }

    /** The key of the commit record of branchId ending at lsn in the {@code commits} family. */
    static byte[] commitKey(int branchId, long lsn) {
        byte[] k = new byte[12];
        Bytes.putInt(k, 0, branchId);
        Bytes.putLong(k, 4, lsn);
        return k;
    }

    /**
     * The {@code startLsn} of an encoded commit record. Every record is written with it first (an int64 at a fixed
     * offset, read without decoding the rest); anything else is decoded.
     */
    static long commitStart(byte[] record) {
        if (record.length >= START_AT + 8 && Arrays.equals(record, 4, START_AT, START_FIELD, 0, START_FIELD.length)) {
            long v = 0;
            for (int i = 7; i >= 0; i--) {
                v = (v << 8) | (record[START_AT + i] & 0xFF);
            }
            return v;
        }
        return Bson.document(record).getInt64("startLsn").getValue();
    }

    /**
     * See {@link Wal#roundToCommit}: the commit record of branchId with the lowest end at or above the point (one
     * seek in {@code commits}, keyed by branch id and last LSN) says whether the point lies inside it.
     */
    long roundToCommit(int branchId, long lsn) {
        long x = Math.min(lsn, lastLsn.getAsLong());
        if (x <= 0) {
            return 0;
        }
        try (RocksIterator it = db.db().newIterator(db.commits())) {
            it.seek(commitKey(branchId, x));
            if (it.isValid()) {
                byte[] k = it.key();
                if (k.length == 12 && Bytes.getInt(k, 0) == branchId) {
                    long end = Bytes.getLong(k, 4);
                    long start = commitStart(it.value());
                    if (start <= x && x < end) {
                        return start - 1;
                    }
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
