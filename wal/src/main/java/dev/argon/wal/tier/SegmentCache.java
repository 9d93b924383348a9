package dev.argon.wal.tier;

import dev.argon.storage.object.ObjectInfo;
import dev.argon.storage.object.ObjectStore;
import dev.argon.storage.segment.BlockCache;
import dev.argon.storage.segment.DecodedBlock;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded local cache of segment data, least recently used first out once the bytes held pass the budget. It
 * keeps decoded blocks ({@link BlockCache}: a warm read pays neither a fetch nor a zstd decompression) and the
 * ranged reads a {@link dev.argon.storage.segment.SegmentReader} makes through {@link #over} (compressed as stored).
 * A decoded block is charged its heap size (about 3 to 5 times its stored bytes), so the same budget holds less
 * history than compressed ranges would; {@link #decodeBlocks(boolean)} off (benchmarks comparing the two) makes
 * readers keep only the compressed ranges, one decompression per read. Segments are immutable and named by their
 * content, so nothing kept goes stale. An item larger than the whole budget is used without being kept. Thread-safe.
 */
public final class SegmentCache implements BlockCache {
    /** Default budget, as {@code argon serve --cache-size}. */
    public static final long DEFAULT_BYTES = 256L << 20;

    private record Range(String key, long offset, int length) {}

    private record BlockId(String key, int number) {}

    private final long capacity;
    /** Ranges ({@code byte[]}) and decoded blocks ({@link DecodedBlock}) in one LRU order. */
    private final Map<Object, Object> items = new LinkedHashMap<>(64, 0.75f, true);
    private long held;
    private volatile boolean decodeBlocks = true;
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
        items.clear();
        held = 0;
    }

    /** Whether readers keep decoded blocks (the default) or only compressed ranges; takes effect for later reads. */
    public void decodeBlocks(boolean on) {
        decodeBlocks = on;
    }

    public boolean decodesBlocks() {
        return decodeBlocks;
    }

    private static long weight(Object item) {
        return item instanceof byte[] b ? b.length : ((DecodedBlock) item).weight();
    }

    private synchronized Object lookup(Object id) {
        return items.get(id);
    }

    private synchronized void keep(Object id, Object item) {
        long w = weight(item);
        if (w > capacity) {
            return;
        }
        Object old = items.put(id, item);
        if (old != null) {
            held -= weight(old);
        }
        held += w;
        var it = items.entrySet().iterator();
        while (held > capacity && it.hasNext()) {
            held -= weight(it.next().getValue());
            it.remove();
        }
    }

    @Override
    public DecodedBlock get(String segmentKey, int number) {
        if (!decodeBlocks) {
            return null;
        }
        reads.incrementAndGet();
        DecodedBlock b = (DecodedBlock) lookup(new BlockId(segmentKey, number));
        if (b == null) {
            misses.incrementAndGet();
        }
        return b;
    }

    @Override
    public void put(String segmentKey, int number, DecodedBlock block) {
        if (decodeBlocks) {
            keep(new BlockId(segmentKey, number), block);
        }
    }

    private byte[] getRange(ObjectStore store, String key, long offset, int length) {
        reads.incrementAndGet();
        Range r = new Range(key, offset, length);
        byte[] b = (byte[]) lookup(r);
        if (b != null) {
            return b;
        }
        misses.incrementAndGet();
        // Fetched outside the lock: two readers missing the same range both fetch it, which is harmless.
        b = store.getRange(key, offset, length);
        keep(r, b);
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
