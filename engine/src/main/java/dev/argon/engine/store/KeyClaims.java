package dev.argon.engine.store;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys open transactions have written, per branch, so that a second transaction writing the same document
 * (or catalog entry) fails at once with 112 WriteConflict, as on mongod, instead of running on until its commit
 * fails. The first writer keeps the key until it commits or aborts. Writes outside transactions do not claim
 * keys; a transaction they overtake fails at its commit instead. Thread-safe.
 */
final class KeyClaims {
    private final ConcurrentHashMap<ByteBuffer, Object> owners = new ConcurrentHashMap<>();

    /** Claims key of branchId for owner; false when another owner holds it. */
    boolean claim(int branchId, byte[] key, Object owner, Set<ByteBuffer> held) {
        ByteBuffer k = key(branchId, key);
        Object prev = owners.putIfAbsent(k, owner);
        if (prev == null) {
            held.add(k);
            return true;
        }
        return prev == owner;
    }

    /** Releases everything owner holds. */
    void release(Object owner, Set<ByteBuffer> held) {
        for (ByteBuffer k : held) {
            owners.remove(k, owner);
        }
        held.clear();
    }

    /** Keys held by open transactions (tests). */
    int size() {
        return owners.size();
    }

    private static ByteBuffer key(int branchId, byte[] key) {
        ByteBuffer b = ByteBuffer.allocate(4 + key.length);
        b.putInt(branchId).put(key);
        return b.flip();
    }
}
