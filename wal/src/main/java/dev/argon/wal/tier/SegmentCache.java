package dev.argon.wal.tier;

import dev.argon.storage.object.ObjectInfo;
import dev.argon.storage.object.ObjectStore;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded local cache of segment bytes: the ranged reads a {@link dev.argon.storage.segment.SegmentReader} makes
 * (a segment's tail with its block index, and its blocks, compressed as stored), least recently used first out
 * once the bytes held pass the budget. Segments are immutable and named by their content, so a cached range
 * never goes stale. Caching the stored (compressed) bytes rather than decoded blocks keeps about 3 to 5 times
 * more history in the same budget, at the price of one zstd decompression of a block (tens of microseconds)
 * per cold read. A range larger than the whole budget is read through without being kept. Thread-safe.
 */
public final class SegmentCache {
    /** Default budget, as {@code argon serve --cache-size}. */
    public static final long DEFAULT_BYTES = 256L << 20;

    private record Range(String key, long offset, int length) {}

    private final long capacity;
    private final Map<Range, byte[]> ranges = new LinkedHashMap<>(64, 0.75f, true);
    private long held;
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    public SegmentCache(long capacityBytes) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("cache size must not be negative: " + capacityBytes);
        }
        this.capacity = capacityBytes;
    }

    public long capacity() {
        return capacity;
    }

    /** Bytes held now. */
    public synchronized long heldBytes() {
        return held;
    }

    /** Ranged reads served, and those that went to the store. */
    public long[] readsAndMisses() {
        return new long[] {reads.get(), misses.get()};
    }

    /** Empties the cache (tests and benchmarks measuring a cold read). */
    public synchronized void clear() {
        ranges.clear();
        held = 0;
    }

    private byte[] getRange(ObjectStore store, String key, long offset, int length) {
        reads.incrementAndGet();
        Range r = new Range(key, offset, length);
        synchronized (this) {
            byte[] b = ranges.get(r);
            if (b != null) {
                return b;
            }
        }
        misses.incrementAndGet();
        // Fetched outside the lock: two readers missing the same range both fetch it, which is harmless.
        byte[] b = store.getRange(key, offset, length);
        if (b.length <= capacity) {
            synchronized (this) {
                if (ranges.put(r, b) == null) {
                    held += b.length;
                }
                var it = ranges.entrySet().iterator();
                while (held > capacity && it.hasNext()) {
                    held -= it.next().getValue().length;
                    it.remove();
                }
            }
        }
        return b;
    }

    /** A read-only view of store whose ranged reads go through this cache (writes go straight to store). */
    public ObjectStore over(ObjectStore store) {
        return new ObjectStore() {
            @Override
            public void put(String key, byte[] data) {
                store.put(key, data);
            }

            @Override
            public void put(String key, Path file) {
                store.put(key, file);
            }

            @Override
            public void put(String key, InputStream data, long length) {
                store.put(key, data, length);
            }

            @Override
            public boolean putIfAbsent(String key, byte[] data) {
                return store.putIfAbsent(key, data);
            }

            @Override
            public byte[] get(String key) {
                return store.get(key);
            }

            @Override
            public byte[] getRange(String key, long offset, int length) {
                return SegmentCache.this.getRange(store, key, offset, length);
            }

            @Override
            public Optional<ObjectInfo> head(String key) {
                return store.head(key);
            }

            @Override
            public List<ObjectInfo> list(String prefix) {
                return store.list(prefix);
            }

            @Override
            public void delete(String key) {
                store.delete(key);
            }

            @Override
            public String describe() {
                return store.describe() + " (cached)";
            }

            @Override
            public void close() {
                // The view does not own the store.
            }
        };
    }
}
