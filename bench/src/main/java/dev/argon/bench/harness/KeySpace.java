package dev.argon.bench.harness;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The record keys of a session and how workloads pick them. Keys are {@code user} plus a zero-padded number,
 * so their string order is their numeric order and a short scan from a key reads its numeric successors.
 * Hot keys under the Zipfian distribution are scattered over the key space with a hash (YCSB's "scrambled"
 * Zipfian), so they do not all sit in one storage block. Thread-safe.
 */
final class KeySpace {
    private final long loaded;
    private final boolean zipfian;
    private final Zipfian popularity;
    /** Keys handed out to inserts so far, starting after the loaded ones. */
    private final AtomicLong reserved;
    /** Highest key whose insert has been acknowledged, for the "read latest" distribution. */
    private final AtomicLong acknowledged;

    KeySpace(long loaded, String distribution) {
        this.loaded = loaded;
        this.zipfian = "zipfian".equals(distribution);
        this.popularity = loaded > 0 && zipfian ? new Zipfian(loaded) : null;
        this.reserved = new AtomicLong(loaded);
        this.acknowledged = new AtomicLong(loaded - 1);
    }

    static String key(long i) {
        return String.format("user%012d", i);
    }

    long loaded() {
        return loaded;
    }

    /** A key of the loaded set, by the configured distribution. */
    long existing(SplittableRandom rnd) {
        if (popularity == null) {
            return rnd.nextLong(loaded);
        }
        return Math.floorMod(fnv64(popularity.next(rnd)), loaded);
    }

    /** A recently inserted key: the newest is the most popular (YCSB's "latest"). */
    long latest(SplittableRandom rnd) {
        long newest = acknowledged.get();
        long rank = popularity == null ? rnd.nextLong(newest + 1) : popularity.next(rnd);
        return Math.max(0, newest - rank);
    }

    long reserveInsert() {
        return reserved.getAndIncrement();
    }

    void acknowledge(long key) {
        acknowledged.accumulateAndGet(key, Math::max);
    }

    /** FNV-1a over the 8 bytes of v, as YCSB hashes ranks. */
    static long fnv64(long v) {
        long hash = 0xCBF29CE484222325L;
        for (int i = 0; i < 8; i++) {
            hash ^= (v >>> (i * 8)) & 0xFF;
            hash *= 0x100000001B3L;
        }
        return hash;
    }
}
