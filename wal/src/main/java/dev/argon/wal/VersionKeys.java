package dev.argon.wal;

import java.util.Arrays;

/**
 * Layout of the {@code versions} column family: key {@code userKey | ~branchId (4) | ~lsn (8)}, value
 * {@code flag (1) | payload}. One user key's versions sit together, grouped by branch with the newest branch id
 * first, each group newest LSN first. Because a branch is always created after its parent (a reset's new id
 * too), an ancestry read nearest-first is a descending run of ids, so the groups a read may want come in the
 * order it wants them and a read jumps from one group to the next with one seek (see {@link VersionCursor}).
 * Stateless.
 */
final class VersionKeys {
    static final byte LIVE = 0;
    static final byte TOMBSTONE = 1;
    /**
     * A stub left by history compaction ({@link TierCompactor}): {@code flag | highLsn (8)} at the key of the
     * lowest LSN of a run of versions that now live only in the tier's segments, covering {@code [lo, highLsn]}.
     */
    static final byte STUB = 2;
    static final int STUB_LENGTH = 9;
    /** Bytes the WAL appends to a user key. */
    static final int SUFFIX = 12;

    private VersionKeys() {}

    static byte[] key(byte[] userKey, int branchId, long lsn) {
        byte[] k = Arrays.copyOf(userKey, userKey.length + SUFFIX);
        Bytes.putInt(k, userKey.length, ~branchId);
        Bytes.putLong(k, userKey.length + 4, ~lsn);
        return k;
    }

    /**
     * The smallest key above every version of userKey: the user key followed by 12 bytes of 0xFF. Nothing is
     * stored there (it would be branch id 0 at LSN 0, and branch ids start at 1).
     */
    static byte[] pastVersionsOf(byte[] userKey) {
        byte[] k = Arrays.copyOf(userKey, userKey.length + SUFFIX);
        Arrays.fill(k, userKey.length, k.length, (byte) 0xFF);
        return k;
    }

    static long lsn(byte[] key) {
        return ~Bytes.getLong(key, key.length - 8);
    }

    static int branchId(byte[] key) {
        return ~Bytes.getInt(key, key.length - SUFFIX);
    }

    /** True if key is a version of exactly this user key (user keys are prefix-free). */
    static boolean isVersionOf(byte[] key, byte[] userKey) {
        return key.length == userKey.length + SUFFIX && Arrays.equals(key, 0, userKey.length, userKey, 0, userKey.length);
    }

    static boolean sameUserKey(byte[] a, byte[] b) {
        return a.length == b.length && Arrays.equals(a, 0, a.length - SUFFIX, b, 0, b.length - SUFFIX);
    }

    static byte[] userKey(byte[] key) {
        return Arrays.copyOf(key, key.length - SUFFIX);
    }

    /** True if the key is long enough to be a version key at all (for fsck). */
    static boolean wellFormed(byte[] key, byte[] value) {
        return key.length > SUFFIX && value.length >= 1
                && (value[0] == LIVE || value[0] == TOMBSTONE || (value[0] == STUB && value.length == STUB_LENGTH));
    }

    static byte[] stub(long highLsn) {
        byte[] v = new byte[STUB_LENGTH];
        v[0] = STUB;
        Bytes.putLong(v, 1, highLsn);
        return v;
    }

    static boolean isStub(byte[] value) {
        return value.length == STUB_LENGTH && value[0] == STUB;
    }

    /** The highest LSN a stub covers (its lowest is its key's). */
    static long stubHigh(byte[] value) {
        return Bytes.getLong(value, 1);
    }

    /** The last key of one branch's group of userKey: its version at LSN 0 (never stored: LSNs start at 1). */
    static byte[] groupEnd(byte[] userKey, int branchId) {
        return key(userKey, branchId, 0);
    }

    static boolean sameGroup(byte[] a, byte[] b) {
        return a.length == b.length && Arrays.equals(a, 0, a.length - 8, b, 0, b.length - 8);
    }

    static byte[] value(byte[] payload) {
        byte[] v = new byte[1 + (payload == null ? 0 : payload.length)];
        v[0] = payload == null ? TOMBSTONE : LIVE;
        if (payload != null) {
            System.arraycopy(payload, 0, v, 1, payload.length);
        }
        return v;
    }

    /**
     * The branch id of a stored version, given its key and value: the one call for code that takes versions
     * apart without caring where the layout keeps the id (in the key since the grouped layout).
     */
    static int branchId(byte[] key, byte[] value) {
        return branchId(key);
    }

    static boolean isTombstone(byte[] value) {
        return value[0] == TOMBSTONE;
    }

    static byte[] payload(byte[] value) {
        return Arrays.copyOfRange(value, 1, value.length);
    }
}
