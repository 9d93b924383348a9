package dev.argon.wal;

import java.nio.ByteBuffer;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Puts keys into a {@code WriteBatch} through two reused direct buffers, building each key and value in place.
 *
 * <p>Why: a put of two {@code byte[]} has the JNI layer copy both arrays into fresh native memory before RocksDB
 * copies them again into the batch, and the caller has usually just built those arrays for the put alone (a version
 * value is {@code flag | payload}, a {@code latest} value {@code lsn | flag | payload}: two copies of every document
 * payload). Through direct buffers the bytes are written once, where RocksDB reads them, and no array is allocated.
 * A key or value larger than a buffer goes through the {@code byte[]} put instead.
 *
 * <p>Not thread-safe: one per {@link CommitWriter}, used under its commit lock.
 */
final class DirectPuts {
    static final int KEY_BYTES = 8 << 10;
    static final int VALUE_BYTES = 256 << 10;

    private final ByteBuffer key = ByteBuffer.allocateDirect(KEY_BYTES);
    private final ByteBuffer value = ByteBuffer.allocateDirect(VALUE_BYTES);

    /** Puts key → the first {@code length} bytes of value. */
    void put(WriteBatch batch, ColumnFamilyHandle cf, byte[] k, byte[] v, int length) throws RocksDBException {
        if (k.length > KEY_BYTES || length > VALUE_BYTES) {
            batch.put(cf, k, length == v.length ? v : java.util.Arrays.copyOf(v, length));
            return;
        }
        key.clear();
        key.put(k).flip();
        value.clear();
        value.put(v, 0, length).flip();
        batch.put(cf, key, value);
    }

    void put(WriteBatch batch, ColumnFamilyHandle cf, byte[] k, byte[] v) throws RocksDBException {
        put(batch, cf, k, v, v.length);
    }

    /** Puts the first {@code length} bytes of value under an 8-byte big-endian key (a {@code log} entry's LSN). */
    void putAt(WriteBatch batch, ColumnFamilyHandle cf, long k, byte[] v, int length) throws RocksDBException {
        if (length > VALUE_BYTES) {
            batch.put(cf, Bytes.longKey(k), java.util.Arrays.copyOf(v, length));
            return;
        }
        key.clear();
        key.putLong(k).flip();
        value.clear();
        value.put(v, 0, length).flip();
        batch.put(cf, key, value);
    }

    /** Puts the first {@code length} bytes of value under the key {@code a (4) | b (8)} (a commit record's). */
    void putAt(WriteBatch batch, ColumnFamilyHandle cf, int a, long b, byte[] v, int length) throws RocksDBException {
        if (length > VALUE_BYTES) {
            byte[] k = new byte[12];
            Bytes.putInt(k, 0, a);
            Bytes.putLong(k, 4, b);
            batch.put(cf, k, java.util.Arrays.copyOf(v, length));
            return;
        }
        key.clear();
        key.putInt(a).putLong(b).flip();
        value.clear();
        value.put(v, 0, length).flip();
        batch.put(cf, key, value);
    }

    /** Puts an empty value under the key {@code a (8) | b (8)} (a time index entry). */
    void putEmpty(WriteBatch batch, ColumnFamilyHandle cf, long a, long b) throws RocksDBException {
        key.clear();
        key.putLong(a).putLong(b).flip();
        value.clear().flip();
        batch.put(cf, key, value);
    }

    /** Puts an 8-byte big-endian number under key. */
    void putLong(WriteBatch batch, ColumnFamilyHandle cf, byte[] k, long v) throws RocksDBException {
        if (k.length > KEY_BYTES) {
            batch.put(cf, k, Bytes.longKey(v));
            return;
        }
        key.clear();
        key.put(k).flip();
        value.clear();
        value.putLong(v).flip();
        batch.put(cf, key, value);
    }

    /**
     * Puts one version of userKey ({@link VersionKeys}: {@code userKey | ~branchId | ~lsn} → {@code flag | payload})
     * and the branch's {@code latest} entry for it ({@link LatestKeys}: {@code userKey | ~branchId} →
     * {@code lsn | flag | payload}); a null payload is a tombstone.
     */
    void putVersion(WriteBatch batch, ColumnFamilyHandle versions, ColumnFamilyHandle latest, byte[] userKey, int branchId,
                    long lsn, byte[] payload) throws RocksDBException {
        int n = payload == null ? 0 : payload.length;
        if (userKey.length + VersionKeys.SUFFIX > KEY_BYTES || 9 + n > VALUE_BYTES) {
            batch.put(versions, VersionKeys.key(userKey, branchId, lsn), VersionKeys.value(payload));
            batch.put(latest, LatestKeys.key(userKey, branchId), LatestKeys.value(lsn, payload));
            return;
        }
        value.clear();
        value.putLong(lsn).put(payload == null ? VersionKeys.TOMBSTONE : VersionKeys.LIVE);
        if (payload != null) {
            value.put(payload);
        }
        value.flip();
        key.clear();
        key.put(userKey).putInt(~branchId).putLong(~lsn).flip();
        // The versions value is the latest value without its leading LSN.
        value.position(8);
        batch.put(versions, key, value);
        key.position(0).limit(userKey.length + LatestKeys.SUFFIX);
        value.position(0);
        batch.put(latest, key, value);
    }
}
