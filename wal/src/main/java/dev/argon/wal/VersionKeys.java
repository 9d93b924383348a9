package dev.argon.wal;

import java.util.Arrays;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;

/**
 * Layout of the {@code versions} column family: key {@code userKey | ~lsn}, value
 * {@code branchId (4) | flag (1) | payload}. Inverting the LSN puts the newest version of a key first, so a
 * bounded read seeks to {@code userKey | ~bound} and walks forward. Stateless.
 */
final class VersionKeys {
    static final byte LIVE = 0;
    static final byte TOMBSTONE = 1;

    private VersionKeys() {}

    static byte[] key(byte[] userKey, long lsn) {
        byte[] k = Arrays.copyOf(userKey, userKey.length + 8);
        Bytes.putLong(k, userKey.length, ~lsn);
        return k;
    }

    static long lsn(byte[] key) {
        return ~Bytes.getLong(key, key.length - 8);
    }

    /** True if key is a version of exactly this user key (user keys are prefix-free). */
    static boolean isVersionOf(byte[] key, byte[] userKey) {
        return key.length == userKey.length + 8 && Arrays.equals(key, 0, userKey.length, userKey, 0, userKey.length);
    }

    static boolean sameUserKey(byte[] a, byte[] b) {
        return a.length == b.length && Arrays.equals(a, 0, a.length - 8, b, 0, b.length - 8);
    }

    static byte[] userKey(byte[] key) {
        return Arrays.copyOf(key, key.length - 8);
    }

    static byte[] value(int branchId, byte[] payload) {
        byte[] v = new byte[5 + (payload == null ? 0 : payload.length)];
        Bytes.putInt(v, 0, branchId);
        v[4] = payload == null ? TOMBSTONE : LIVE;
        if (payload != null) {
            System.arraycopy(payload, 0, v, 5, payload.length);
        }
        return v;
    }

    static int branchId(byte[] value) {
        return Bytes.getInt(value, 0);
    }

    static boolean isTombstone(byte[] value) {
        return value[4] == TOMBSTONE;
    }

    /** The payload of userKey visible in view, or null if absent or deleted: one seek and a short walk. */
    static byte[] read(WalDb db, ReadOptions options, ReadView view, byte[] userKey) {
        try (RocksIterator it = db.db().newIterator(db.versions(), options)) {
            for (it.seek(key(userKey, view.maxBound())); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (!isVersionOf(key, userKey)) {
                    return null;
                }
                byte[] value = it.value();
                if (view.visible(branchId(value), lsn(key))) {
                    return isTombstone(value) ? null : payload(value);
                }
            }
        }
        return null;
    }

    static byte[] payload(byte[] value) {
        return Arrays.copyOfRange(value, 5, value.length);
    }
}
