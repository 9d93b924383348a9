package dev.argon.wal.tier;

import dev.argon.storage.object.ObjectStore;
import dev.argon.storage.segment.SegmentEntry;
import dev.argon.storage.segment.SegmentReader;
import dev.argon.wal.ColdVersions;
import dev.argon.wal.TierSegment;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The compacted history of one data directory: the segments the tier catalog names, read through a
 * {@link SegmentCache}. A lookup finds, through a {@link SegmentIndex} (O(log n) in the number of segments), every
 * segment whose key range covers the wanted range (one key's group of one branch, normally one or two segments: one
 * per compaction pass that moved versions of it) and takes the smallest key found in them, so versions of one group
 * spread over several passes' segments read as one sorted run.
 * Readers (a segment's parsed block index) are opened on first need and kept. Thread-safe.
 */
public final class TierSegments implements ColdVersions {
    private final ObjectStore store;
    private final SegmentCache cache;
    private final ObjectStore cached;
    private final List<TierSegment> segments = new CopyOnWriteArrayList<>();
    /** The same segments by key range; replaced whole when segments are added. */
    private volatile SegmentIndex index = SegmentIndex.EMPTY;
    private final ConcurrentHashMap<String, SegmentReader> readers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, SegmentReader> decodedReaders = new ConcurrentHashMap<>();

    private final String location;

    public TierSegments(ObjectStore store, SegmentCache cache, List<TierSegment> initial) {
        this(store, cache, initial, null);
    }

    /** @param location the tier's name for the catalog, or null */
    public TierSegments(ObjectStore store, SegmentCache cache, List<TierSegment> initial, String location) {
        this.location = location;
        this.store = store;
        this.cache = cache;
        this.cached = cache.over(store);
        this.segments.addAll(initial);
        this.index = new SegmentIndex(this.segments);
    }

    public SegmentCache cache() {
        return cache;
    }

    @Override
    public byte[][] ceiling(byte[] from, byte[] lastInclusive) {
        byte[][] best = null;
        for (TierSegment s : index.overlapping(from, lastInclusive)) {
            Iterator<SegmentEntry> it = reader(s).scan(from, null);
            if (!it.hasNext()) {
                continue;
            }
            SegmentEntry e = it.next();
            if (Arrays.compareUnsigned(e.key(), lastInclusive) > 0) {
                continue;
            }
            if (best == null || Arrays.compareUnsigned(e.key(), best[0]) < 0) {
                best = new byte[][] {e.key(), e.value()};
            }
        }
        // Copies: the entries may be a cached block's arrays, which nobody may write into.
        return best == null ? null : new byte[][] {best[0].clone(), best[1].clone()};
    }

    @Override
    public List<byte[][]> range(byte[] from, byte[] toInclusive) {
        java.util.TreeMap<byte[], byte[]> found = new java.util.TreeMap<>(Arrays::compareUnsigned);
        for (TierSegment s : index.overlapping(from, toInclusive)) {
            for (Iterator<SegmentEntry> it = reader(s).scan(from, null); it.hasNext(); ) {
                SegmentEntry e = it.next();
                if (Arrays.compareUnsigned(e.key(), toInclusive) > 0) {
                    break;
                }
                found.putIfAbsent(e.key().clone(), e.value().clone());
            }
        }
        List<byte[][]> out = new java.util.ArrayList<>(found.size());
        found.forEach((k, v) -> out.add(new byte[][] {k, v}));
        return out;
    }

    @Override
    public Iterator<byte[][]> scan(TierSegment segment, byte[] from) {
        return entries(reader(segment).scan(from, null));
    }

    /**
     * Through the reader over the store itself: a scan with readahead reads its windows straight from the store and
     * keeps nothing in the cache, so a bulk read does not evict what point reads keep there.
     */
    @Override
    public Iterator<byte[][]> scan(TierSegment segment, byte[] from, int readahead) {
        SegmentReader r = decodedReaders.computeIfAbsent(segment.name(),
                n -> SegmentReader.open(store, segment.objectKey(), segment.size(), cache));
        return entries(r.scan(from, null, readahead));
    }

    private static Iterator<byte[][]> entries(Iterator<SegmentEntry> it) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public byte[][] next() {
                SegmentEntry e = it.next();
                return new byte[][] {e.key(), e.value()};
            }
        };
    }

    /**
     * The segment's reader: with decoded blocks on, over the store itself (a block is fetched once, then kept
     * decoded; the tail is read once per reader), else over the compressed-range view of the cache.
     */
    private SegmentReader reader(TierSegment s) {
        if (cache.decodesBlocks()) {
            return decodedReaders.computeIfAbsent(s.name(), n -> SegmentReader.open(store, s.objectKey(), s.size(), cache));
        }
        return readers.computeIfAbsent(s.name(), n -> SegmentReader.open(cached, s.objectKey(), s.size()));
    }

    @Override
    public synchronized void add(List<TierSegment> added) {
        java.util.Set<String> have = new java.util.HashSet<>();
        for (TierSegment s : segments) {
            have.add(s.name());
        }
        for (TierSegment s : added) {
            // A segment rewrite may store content a segment already has (same name): it is listed once.
            if (have.add(s.name())) {
                segments.add(s);
            }
        }
        index = new SegmentIndex(segments);
    }

    @Override
    public synchronized void retain(java.util.Set<String> names) {
        segments.removeIf(s -> !names.contains(s.name()));
        index = new SegmentIndex(segments);
        readers.keySet().retainAll(names);
        decodedReaders.keySet().retainAll(names);
    }

    @Override
    public List<TierSegment> segments() {
        return List.copyOf(segments);
    }

    @Override
    public ObjectStore store() {
        return store;
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public long cacheLimit() {
        return cache.capacity();
    }

    @Override
    public long cachedBytes() {
        return cache.heldBytes();
    }

    @Override
    public long[] readsAndMisses() {
        return cache.readsAndMisses();
    }
}
