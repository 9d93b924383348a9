package dev.argon.wal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Damages a closed data directory with RocksDB directly, bypassing every invariant the WAL keeps, so that
 * tests can show {@code fsck} finds each kind. Not thread-safe; close it before checking.
 */
final class Damage implements AutoCloseable {
    private final WalDb db;

    Damage(Path dir) {
        this.db = new WalDb(dir);
    }

    /** Deletes every stored version written at lsn; returns how many. */
    int deleteVersionsAt(long lsn) throws RocksDBException {
        int n = 0;
        try (RocksIterator it = db.db().newIterator(db.versions())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                if (VersionKeys.lsn(it.key()) == lsn) {
                    db.db().delete(db.versions(), it.key());
                    n++;
                }
            }
        }
        return n;
    }

    /** Deletes the latest-version entries of the versions written at lsn; returns how many. */
    int deleteLatestOf(long lsn) throws RocksDBException {
        int n = 0;
        try (RocksIterator it = db.db().newIterator(db.versions())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                if (VersionKeys.lsn(it.key()) == lsn) {
                    db.db().delete(db.latest(), LatestKeys.key(VersionKeys.userKey(it.key()), VersionKeys.branchId(it.key())));
                    n++;
                }
            }
        }
        return n;
    }

    /** Writes a log entry at lsn that no commit covers. */
    void putLogEntry(long lsn, int branchId) throws RocksDBException {
        LogEntry e = new LogEntry("db.c", LogEntry.INSERT, new org.bson.BsonInt32(99), null, null, List.of());
        db.db().put(db.log(), Bytes.longKey(lsn), Bson.bytes(LogCodec.encode(e, branchId)));
    }

    /** Deletes a metadata key (a record the WAL keeps in the default column family). */
    void deleteMeta(byte[] key) throws RocksDBException {
        db.db().delete(db.meta(), key);
    }

    /** Rewrites a branch record with another head. */
    void setHead(int branchId, long headLsn) throws RocksDBException {
        byte[] key = Bytes.concat("branch/".getBytes(java.nio.charset.StandardCharsets.UTF_8), intKey(branchId));
        BsonDocument d = Bson.document(db.db().get(db.meta(), key));
        d.put("headLsn", new BsonInt64(headLsn));
        db.db().put(db.meta(), key, Bson.bytes(d));
    }

    /** Writes a version of userKey at lsn for branchId (with or without a log entry there). */
    void putVersion(byte[] userKey, long lsn, int branchId, byte[] payload) throws RocksDBException {
        db.db().put(db.versions(), VersionKeys.key(userKey, branchId, lsn), VersionKeys.value(payload));
    }

    /** Moves everything from memtables and RocksDB's WAL into SST files. */
    void flush() throws RocksDBException {
        try (FlushOptions o = new FlushOptions().setWaitForFlush(true)) {
            db.db().flush(o, List.of(db.meta(), db.log(), db.versions(), db.commits(), db.times()));
        }
    }

    private static byte[] intKey(int v) {
        byte[] b = new byte[4];
        Bytes.putInt(b, 0, v);
        return b;
    }

    @Override
    public void close() {
        db.close();
    }

    /** Flips one byte inside the first data block of the largest SST file of a closed directory. */
    static Path corruptLargestSst(Path dir) throws IOException {
        Path sst;
        try (Stream<Path> s = Files.list(dir)) {
            sst = s.filter(p -> p.toString().endsWith(".sst")).max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(sst.toFile(), "rw")) {
            f.seek(20);
            int b = f.read();
            f.seek(20);
            f.write(b ^ 0x5A);
        }
        return sst;
    }
}
