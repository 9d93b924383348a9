package dev.argon.storage.segment;

import dev.argon.storage.object.ObjectInfo;
import dev.argon.storage.object.ObjectStore;
import dev.argon.storage.object.ObjectStoreException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Reads one segment from an object store. Opening fetches the tail (trailer and, usually, the whole index)
 * in one ranged read, plus a HEAD unless the caller knows the size; after that a point read or the start
 * of a range costs one ranged read of one block, and a range scan one read per further block, holding one
 * decoded block at a time (a {@link BlockCache} given at open keeps decoded blocks between reads). Every block's checksum is checked before it is decompressed; damage is a
 * {@link SegmentCorruptException} naming the block.
 *
 * <p>Thread-safe: the index is immutable after open and each read or iterator has its own state.
 */
public final class SegmentReader {

    private final ObjectStore store;
    private final String key;
    private final SegmentFooter footer;
    private final List<BlockHandle> blocks;
    /** Decoded blocks shared between reads, or null: each read decodes its block. */
    private final BlockCache cache;

    private SegmentReader(ObjectStore store, String key, SegmentFooter footer, List<BlockHandle> blocks, BlockCache cache) {
        this.cache = cache;
        this.store = store;
        this.key = key;
        this.footer = footer;
        this.blocks = blocks;
    }

    /** Opens the segment stored under {@code key}, asking the store for its size first. */
    public static SegmentReader open(ObjectStore store, String key) {
        ObjectInfo info = store.head(key).orElseThrow(() -> new ObjectStoreException(
                ObjectStoreException.Kind.NOT_FOUND, key, "no segment " + key + " in " + store.describe()));
        return open(store, key, info.size());
    }

    /**
     * As {@link #open(ObjectStore, String, long)}, with point reads and scans without readahead served from
     * {@code cache}'s decoded blocks where it has them (entries then share the cached arrays: callers must not
     * modify a returned key or value).
     */
    public static SegmentReader open(ObjectStore store, String key, long size, BlockCache cache) {
        SegmentReader r = open(store, key, size);
        return new SegmentReader(r.store, r.key, r.footer, r.blocks, cache);
    }

    /** Opens the segment stored under {@code key} whose size is known (from a manifest, say). */
    public static SegmentReader open(ObjectStore store, String key, long size) {
        if (size < SegmentFormat.TRAILER_SIZE) {
            throw new SegmentCorruptException(key, "segment " + key + " is truncated: " + size
                    + " bytes is shorter than its " + SegmentFormat.TRAILER_SIZE + "-byte trailer");
        }
        long tailStart = Math.max(0, size - SegmentFormat.TAIL_READ);
        byte[] tail = store.getRange(key, tailStart, (int) (size - tailStart));
        if (tail.length != size - tailStart) {
            throw new SegmentCorruptException(key, "segment " + key + " is shorter than its expected " + size
                    + " bytes (truncated while being read?)");
        }
        ByteBuffer t = ByteBuffer.wrap(tail, tail.length - SegmentFormat.TRAILER_SIZE, SegmentFormat.TRAILER_SIZE).slice();
        byte[] magic = new byte[SegmentFormat.MAGIC.length];
        t.get(SegmentFormat.T_MAGIC, magic);
        if (!Arrays.equals(magic, SegmentFormat.MAGIC)) {
            throw new SegmentCorruptException(key, "segment " + key + " (" + size
                    + " bytes) does not end in a segment trailer: it is truncated or not a segment");
        }
        int trailerCrc = crc32c(tail, tail.length - SegmentFormat.TRAILER_SIZE, SegmentFormat.T_TRAILER_CRC);
        if (trailerCrc != t.getInt(SegmentFormat.T_TRAILER_CRC)) {
            throw new SegmentCorruptException(key, -1,
                    size - SegmentFormat.TRAILER_SIZE, "segment " + key + ": trailer checksum mismatch");
        }
        int version = t.getInt(SegmentFormat.T_VERSION);
        if (version != SegmentFormat.VERSION) {
            throw new SegmentCorruptException(key, "segment " + key + " has format version " + version
                    + "; this build reads version " + SegmentFormat.VERSION);
        }
        int compression = t.get(SegmentFormat.T_COMPRESSION);
        if (compression != SegmentFormat.COMPRESSION_ZSTD) {
            throw new SegmentCorruptException(key, "segment " + key + " uses unknown block compression " + compression);
        }
        long indexOffset = t.getLong(SegmentFormat.T_INDEX_OFFSET);
        int indexLength = t.getInt(SegmentFormat.T_INDEX_LENGTH);
        if (indexOffset < 0 || indexLength < 0 || indexOffset + indexLength != size - SegmentFormat.TRAILER_SIZE) {
            throw new SegmentCorruptException(key, "segment " + key + ": its trailer places the index at " + indexOffset
                    + " (+" + indexLength + ") in a file of " + size + " bytes (truncated or extended?)");
        }
        byte[] index;
        if (indexOffset >= tailStart) {
            index = Arrays.copyOfRange(tail, (int) (indexOffset - tailStart), (int) (indexOffset - tailStart) + indexLength);
        } else {
            // A large index: fetch the part the tail read missed.
            byte[] front = store.getRange(key, indexOffset, (int) (tailStart - indexOffset));
            if (front.length != tailStart - indexOffset) {
                throw new SegmentCorruptException(key, "segment " + key + " is shorter than its expected " + size + " bytes");
            }
            index = new byte[indexLength];
            System.arraycopy(front, 0, index, 0, front.length);
            System.arraycopy(tail, 0, index, front.length, indexLength - front.length);
        }
        if (crc32c(index, 0, index.length) != t.getInt(SegmentFormat.T_INDEX_CRC)) {
            throw new SegmentCorruptException(key, -1, indexOffset, "segment " + key + ": index checksum mismatch (index at "
                    + indexOffset + ", " + indexLength + " bytes)");
        }
        int blockCount = t.getInt(SegmentFormat.T_BLOCK_COUNT);
        long entryCount = t.getLong(SegmentFormat.T_ENTRY_COUNT);
        try {
            ByteBuffer in = ByteBuffer.wrap(index);
            byte[] minKey = bytes(in, Varints.read(in));
            byte[] maxKey = bytes(in, Varints.read(in));
            BlockHandle[] handles = new BlockHandle[blockCount];
            long expectedOffset = 0;
            long entries = 0;
            for (int i = 0; i < blockCount; i++) {
                BlockHandle h = new BlockHandle(in.getLong(), in.getInt(), in.getInt(), in.getInt(), in.getInt(),
                        bytes(in, Varints.read(in)));
                if (h.offset() != expectedOffset || h.storedLength() < 0 || h.rawLength() < 0 || h.entryCount() <= 0) {
                    throw new IllegalArgumentException("block " + i + " is misplaced in the index");
                }
                expectedOffset += h.storedLength();
                entries += h.entryCount();
                handles[i] = h;
            }
            if (in.hasRemaining() || expectedOffset != indexOffset || entries != entryCount || blockCount == 0) {
                throw new IllegalArgumentException("the index does not describe the blocks before it");
            }
            SegmentFooter footer = new SegmentFooter(version, entryCount, blockCount, minKey, maxKey,
                    t.getLong(SegmentFormat.T_MIN_LSN), t.getLong(SegmentFormat.T_MAX_LSN));
            return new SegmentReader(store, key, footer, List.of(handles), null);
        } catch (IllegalArgumentException | BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new SegmentCorruptException(key, -1, indexOffset, "segment " + key + ": malformed index: " + e.getMessage());
        }
    }

    public SegmentFooter footer() {
        return footer;
    }

    public String key() {
        return key;
    }

    /** The value stored under exactly {@code k}, reading at most one block. */
    public Optional<byte[]> get(byte[] k) {
        if (outside(k)) {
            return Optional.empty();
        }
        DecodedBlock b = block(findBlock(k));
        int i = b.lowerBound(k);
        return i < b.keys.length && Arrays.equals(b.keys[i], k) ? Optional.of(b.values[i].clone()) : Optional.empty();
    }

    /**
     * The entries with {@code from <= key < to} in key order (null for an open end), read one block at a
     * time as the iterator advances. The first {@code next()} or {@code hasNext()} reads the first block.
     */
    public Iterator<SegmentEntry> scan(byte[] from, byte[] to) {
        return new RangeIterator(from, to, 0);
    }

    /**
     * As {@link #scan(byte[], byte[])}, but fetching consecutive blocks together, up to {@code readahead} stored
     * bytes per ranged read (at least one block; none past the block holding {@code to}): a whole-segment read
     * (a restore) then costs one request per few MiB instead of one per block. Holds one fetched window at a time.
     */
    public Iterator<SegmentEntry> scan(byte[] from, byte[] to, int readahead) {
        return new RangeIterator(from, to, readahead);
    }

    private boolean outside(byte[] k) {
        return Arrays.compareUnsigned(k, footer.minKey()) < 0 || Arrays.compareUnsigned(k, footer.maxKey()) > 0;
    }

    /** The last block whose first key is at most {@code k}, or 0. */
    private int findBlock(byte[] k) {
        int lo = 0;
        int hi = blocks.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (Arrays.compareUnsigned(blocks.get(mid).firstKey(), k) <= 0) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Block {@code n} from the block cache, else fetched, checked, decompressed, decoded (and offered to the cache). */
    private DecodedBlock block(int n) {
        if (cache != null) {
            DecodedBlock b = cache.get(key, n);
            if (b != null) {
                return b;
            }
        }
        BlockHandle h = blocks.get(n);
        byte[] stored = store.getRange(key, h.offset(), h.storedLength());
        DecodedBlock b = decode(n, stored, 0, stored.length);
        if (cache != null) {
            cache.put(key, n, b);
        }
        return b;
    }

    /** Checks, decompresses and decodes block {@code n}, whose stored bytes were fetched into {@code window}. */
    private DecodedBlock decode(int n, byte[] window, int at, int got) {
        BlockHandle h = blocks.get(n);
        String where = "segment " + key + ": block " + n + " at offset " + h.offset();
        int length = Math.min(h.storedLength(), Math.max(0, got));
        if (length != h.storedLength()) {
            throw new SegmentCorruptException(key, n, h.offset(), where + " is truncated (" + length + " of "
                    + h.storedLength() + " bytes)");
        }
        int crc = crc32c(window, at, length);
        if (crc != h.crc()) {
            throw new SegmentCorruptException(key, n, h.offset(), where + ": checksum mismatch (CRC32C "
                    + Integer.toHexString(crc) + ", expected " + Integer.toHexString(h.crc()) + ")");
        }
        try {
            byte[] raw = new byte[h.rawLength()];
            int size = ZstdContexts.decompress(raw, window, at, length);
            if (size != h.rawLength()) {
                throw new IllegalArgumentException("decompressed to " + size + " of " + h.rawLength() + " bytes");
            }
            ByteBuffer in = ByteBuffer.wrap(raw);
            byte[][] keys = new byte[h.entryCount()][];
            byte[][] values = new byte[h.entryCount()][];
            byte[] previous = new byte[0];
            for (int i = 0; i < keys.length; i++) {
                int shared = Varints.read(in);
                int unshared = Varints.read(in);
                int valueLength = Varints.read(in);
                if (shared > previous.length) {
                    throw new IllegalArgumentException("entry " + i + " shares more than its predecessor's key");
                }
                byte[] k = new byte[shared + unshared];
                System.arraycopy(previous, 0, k, 0, shared);
                in.get(k, shared, unshared);
                keys[i] = k;
                values[i] = bytes(in, valueLength);
                previous = k;
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes after the last entry");
            }
            return new DecodedBlock(n, keys, values);
        } catch (RuntimeException e) {
            if (e instanceof SegmentCorruptException sce) {
                throw sce;
            }
            // Past a matching checksum this means a writer bug or a collision, but it is still a bad segment.
            throw new SegmentCorruptException(key, n, h.offset(), where + " does not decode: " + e.getMessage());
        }
    }

    private static byte[] bytes(ByteBuffer in, int n) {
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private static int crc32c(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }

    private final class RangeIterator implements Iterator<SegmentEntry> {
        private final byte[] from;
        private final byte[] to;
        private final int readahead;
        private DecodedBlock current;
        private int pos;
        private SegmentEntry next;
        private boolean done;
        /** Stored bytes of blocks {@code windowFirst} up to {@code windowEnd} (exclusive), fetched in one read. */
        private byte[] window;
        private int windowFirst;
        private int windowEnd;

        RangeIterator(byte[] from, byte[] to, int readahead) {
            this.from = from == null ? null : from.clone();
            this.to = to == null ? null : to.clone();
            this.readahead = readahead;
            if (from != null && Arrays.compareUnsigned(from, footer.maxKey()) > 0) {
                done = true;
            }
        }

        /** Block {@code n}, from the fetched window, fetching the next window first when it lies outside it. */
        private DecodedBlock load(int n) {
            if (readahead <= 0) {
                return block(n);
            }
            if (window == null || n < windowFirst || n >= windowEnd) {
                long start = blocks.get(n).offset();
                int end = n + 1;
                long length = blocks.get(n).storedLength();
                while (end < blocks.size() && length + blocks.get(end).storedLength() <= readahead
                        && (to == null || Arrays.compareUnsigned(blocks.get(end).firstKey(), to) < 0)) {
                    length += blocks.get(end).storedLength();
                    end++;
                }
                window = store.getRange(key, start, (int) length);
                windowFirst = n;
                windowEnd = end;
            }
            int at = (int) (blocks.get(n).offset() - blocks.get(windowFirst).offset());
            return decode(n, window, at, window.length - at);
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (done) {
                return false;
            }
            if (current == null) {
                current = load(from == null ? 0 : findBlock(from));
                pos = from == null ? 0 : current.lowerBound(from);
            }
            while (pos >= current.keys.length) {
                // A next block starting at or past the end holds nothing in range: not fetched.
                if (current.number + 1 >= blocks.size()
                        || (to != null && Arrays.compareUnsigned(blocks.get(current.number + 1).firstKey(), to) >= 0)) {
                    done = true;
                    return false;
                }
                current = load(current.number + 1);
                pos = 0;
            }
            byte[] k = current.keys[pos];
            if (to != null && Arrays.compareUnsigned(k, to) >= 0) {
                done = true;
                return false;
            }
            // No copies: the decoded block belongs to this iterator alone (or, cached, is never written again).
            next = new SegmentEntry(k, current.values[pos]);
            pos++;
            return true;
        }

        @Override
        public SegmentEntry next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            SegmentEntry e = next;
            next = null;
            return e;
        }
    }
}
