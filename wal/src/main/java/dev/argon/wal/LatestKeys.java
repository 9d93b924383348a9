package dev.argon.wal;

import java.util.Arrays;

/**
 * Layout of the {@code latest} column family: key {@code userKey | ~branchId (4)}, value
 * {@code lsn (8) | flag (1) | payload}: for each user key and each branch that wrote it, that branch's newest
 * version, a copy of the newest entry of the branch's group in {@code versions}, written in the same batch.
 * Reads at or near a head find their version here, in a family that holds the current state and none of the
 * history, and fall back to {@code versions} only for a branch whose newest version is above the read's
 * bound. Stateless.
 */
final class LatestKeys {
    static final int SUFFIX = 4;

    private LatestKeys() {}

    static byte[] key(byte[] userKey, int branchId) {
        byte[] k = Arrays.copyOf(userKey, userKey.length + SUFFIX);
        Bytes.putInt(k, userKey.length, ~branchId);
        return k;
    }

    /** The smallest key above every entry of userKey (branch id 0 does not exist). */
    static byte[] pastEntriesOf(byte[] userKey) {
        byte[] k = Arrays.copyOf(userKey, userKey.length + SUFFIX);
        Arrays.fill(k, userKey.length, k.length, (byte) 0xFF);
        return k;
    }

    static int branchId(byte[] key) {
        return ~Bytes.getInt(key, key.length - SUFFIX);
    }

    static boolean isEntryOf(byte[] key, byte[] userKey) {
        return key.length == userKey.length + SUFFIX && Arrays.equals(key, 0, userKey.length, userKey, 0, userKey.length);
    }

    static byte[] userKey(byte[] key) {
        return Arrays.copyOf(key, key.length - SUFFIX);
    }

    static byte[] value(long lsn, byte[] payload) {
        byte[] v = new byte[9 + (payload == null ? 0 : payload.length)];
        Bytes.putLong(v, 0, lsn);
        v[8] = payload == null ? VersionKeys.TOMBSTONE : VersionKeys.LIVE;
        if (payload != null) {
            System.arraycopy(payload, 0, v, 9, payload.length);
        }
        return v;
    }

    static long lsn(byte[] value) {
        return Bytes.getLong(value, 0);
    }

    /** The {@code versions}-family value ({@code flag | payload}) this entry copies. */
    static byte[] versionValue(byte[] value) {
        return Arrays.copyOfRange(value, 8, value.length);
    }

    static boolean wellFormed(byte[] key, byte[] value) {
        return key.length > SUFFIX && value.length >= 9 && (value[8] == VersionKeys.LIVE || value[8] == VersionKeys.TOMBSTONE);
    }
}
