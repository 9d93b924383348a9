package dev.argon.wal;

import java.util.Arrays;

/** Big-endian helpers for key bytes. Stateless. */
public final class Bytes {
    private Bytes() {}

    public static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    public static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    public static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    public static int getInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    public static byte[] longKey(long v) {
        byte[] b = new byte[8];
        putLong(b, 0, v);
        return b;
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** True if key starts with prefix. */
    public static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The smallest key greater than every key starting with prefix, or null if there is none (all 0xFF). */
    public static byte[] prefixEnd(byte[] prefix) {
        byte[] r = prefix.clone();
        for (int i = r.length - 1; i >= 0; i--) {
            if (r[i] != (byte) 0xFF) {
                r[i]++;
                return Arrays.copyOf(r, i + 1);
            }
        }
        return null;
    }
}
