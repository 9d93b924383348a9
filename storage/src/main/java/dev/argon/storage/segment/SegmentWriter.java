package dev.argon.storage.segment;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes one segment to a stream: entries in strictly ascending key order (bytes compared unsigned, which
 * is the wal's {@code versions} order), cut into blocks of about {@code blockSize} uncompressed bytes, each
 * zstd-compressed and checksummed, then the block index and the trailer. Memory is bounded by one block
 * plus one index entry (the first key and 24 bytes) per block written. The SHA-256 of everything written is
 * computed on the way and becomes the segment's name.
 *
 * <p>Typical use: write to a temporary local file, then {@code ObjectStore.put("segments/" + name, file)}.
 * The writer does not close the stream. Not thread-safe.
 */
public final class SegmentWriter {

    /**
     * 32 KiB before compression: a point read from S3 fetches one block, so blocks are large enough that the
     * request's latency, not its bytes, dominates, and small enough that a seek does not pull much it does not
     * need. At this size a trained dictionary does not pay, so segments have none: measured on real tier and archive
     * segments (bench SegmentDictionary, docs/PERFORMANCE.md "A trained dictionary at the segments' 32 KiB blocks"),
     * a 16 KiB dictionary trained per segment made blocks at most 4.7% smaller (application-like documents; 0.3% for
     * random letters, and log segments grew once the dictionary was counted) and decompressed no faster, below the
     * 8% that would pay for a format change. Blocks this large already hold the repetition a dictionary supplies
     * (the versions of one key sort next to each other); a dictionary paid on 4 KiB blocks (23%).
     */
    public static final int DEFAULT_BLOCK_SIZE = 32 * 1024;

    /** zstd's own default: most of the ratio of higher levels at a fraction of their CPU. */
    public static final int DEFAULT_LEVEL = 3;

    private final OutputStream out;
    private final MessageDigest sha256;
    private final int blockSize;
    private final int level;
    private final List<BlockHandle> index = new ArrayList<>();
    private final ByteArrayOutputStream block = new ByteArrayOutputStream();
    private final CRC32C crc = new CRC32C();
    private byte[] firstKeyOfBlock;
    private byte[] previousKey;
    private byte[] minKey;
    private int blockEntries;
    private long entries;
    private long written;
    private boolean finished;
    private final java.util.concurrent.Executor compressor;
    /** Blocks handed to {@link #compressor}, written in order once more than {@link #MAX_PENDING} wait. */
    private final java.util.ArrayDeque<Pending> pending = new java.util.ArrayDeque<>();

    /**
     * Blocks compressed ahead of the one written. Blocks are written only when more than this many wait (never
     * when one happens to be done early), so how many bytes are written after each entry, and so where a caller
     * that watches the stream cuts segments, does not depend on timing: the same input makes the same segments.
     */
    static final int MAX_PENDING = 8;

    private record Pending(java.util.concurrent.CompletableFuture<byte[]> stored, int rawLength, int entries, byte[] firstKey) {
    }

    public SegmentWriter(OutputStream out) {
        this(out, DEFAULT_BLOCK_SIZE, DEFAULT_LEVEL);
    }

    public SegmentWriter(OutputStream out, int blockSize, int level) {
        this(out, blockSize, level, null);
    }

    /**
     * @param compressor compresses blocks on other threads (a backup's pool), or null to compress each block on the
     *                   caller's thread; the bytes written are the same either way
     */
    public SegmentWriter(OutputStream out, int blockSize, int level, java.util.concurrent.Executor compressor) {
        this.compressor = compressor;
        if (blockSize < 64) {
            throw new IllegalArgumentException("block size " + blockSize + " is below 64 bytes");
        }
        this.out = out;
        this.blockSize = blockSize;
        this.level = level;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** Appends an entry; its key must sort strictly after the previous one's. */
    public void add(byte[] key, byte[] value) {
        if (finished) {
            throw new IllegalStateException("the segment is finished");
        }
        if (previousKey != null && Arrays.compareUnsigned(previousKey, key) >= 0) {
            throw new IllegalArgumentException("segment keys must ascend strictly: " + hex(key)
                    + " comes after " + hex(previousKey));
        }
        int shared = 0;
        if (blockEntries == 0) {
            firstKeyOfBlock = key.clone();
        } else {
            // Keys of one user key share its bytes (and branch); storing only the suffix keeps blocks small.
            int max = Math.min(previousKey.length, key.length);
            while (shared < max && previousKey[shared] == key[shared]) {
                shared++;
            }
        }
        Varints.write(block, shared);
        Varints.write(block, key.length - shared);
        Varints.write(block, value.length);
        block.write(key, shared, key.length - shared);
        block.write(value, 0, value.length);
        blockEntries++;
        entries++;
        if (minKey == null) {
            minKey = key.clone();
        }
        previousKey = key.clone();
        if (block.size() >= blockSize) {
            flushBlock();
        }
    }

    /**
     * Writes the last block, the index and the trailer, and returns the segment's name and footer.
     *
     * @param minLsn the smallest LSN among the entries (as the caller counts them)
     * @param maxLsn the largest, inclusive
     */
    public SealedSegment finish(long minLsn, long maxLsn) {
        if (finished) {
            throw new IllegalStateException("the segment is finished");
        }
        if (entries == 0) {
            throw new IllegalStateException("a segment holds at least one entry");
        }
        if (minLsn > maxLsn) {
            throw new IllegalArgumentException("LSN range " + minLsn + ".." + maxLsn + " is empty");
        }
        finished = true;
        if (blockEntries > 0) {
            flushBlock();
        }
        while (!pending.isEmpty()) {
            writeNextPending();
        }
        ByteArrayOutputStream idx = new ByteArrayOutputStream();
        Varints.write(idx, minKey.length);
        idx.write(minKey, 0, minKey.length);
        Varints.write(idx, previousKey.length);
        idx.write(previousKey, 0, previousKey.length);
        ByteBuffer fixed = ByteBuffer.allocate(24);
        for (BlockHandle h : index) {
            fixed.clear();
            fixed.putLong(h.offset()).putInt(h.storedLength()).putInt(h.rawLength()).putInt(h.entryCount()).putInt(h.crc());
            idx.write(fixed.array(), 0, 24);
            Varints.write(idx, h.firstKey().length);
            idx.write(h.firstKey(), 0, h.firstKey().length);
        }
        byte[] indexBytes = idx.toByteArray();
        long indexOffset = written;
        write(indexBytes);

        ByteBuffer t = ByteBuffer.allocate(SegmentFormat.TRAILER_SIZE);
        t.putLong(SegmentFormat.T_INDEX_OFFSET, indexOffset);
        t.putInt(SegmentFormat.T_INDEX_LENGTH, indexBytes.length);
        t.putInt(SegmentFormat.T_BLOCK_COUNT, index.size());
        t.putLong(SegmentFormat.T_ENTRY_COUNT, entries);
        t.putLong(SegmentFormat.T_MIN_LSN, minLsn);
        t.putLong(SegmentFormat.T_MAX_LSN, maxLsn);
        t.putInt(SegmentFormat.T_INDEX_CRC, crc32c(indexBytes, 0, indexBytes.length));
        t.put(SegmentFormat.T_COMPRESSION, (byte) SegmentFormat.COMPRESSION_ZSTD);
        t.putInt(SegmentFormat.T_VERSION, SegmentFormat.VERSION);
        t.putInt(SegmentFormat.T_TRAILER_CRC, crc32c(t.array(), 0, SegmentFormat.T_TRAILER_CRC));
        t.put(SegmentFormat.T_MAGIC, SegmentFormat.MAGIC);
        write(t.array());
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a segment failed", e);
        }
        SegmentFooter footer = new SegmentFooter(SegmentFormat.VERSION, entries, index.size(), minKey, previousKey,
                minLsn, maxLsn);
        return new SealedSegment(HexFormat.of().formatHex(sha256.digest()), written, footer);
    }

    private void flushBlock() {
        byte[] raw = block.toByteArray();
        if (compressor == null) {
            writeBlock(ZstdContexts.compress(raw, level), raw.length, blockEntries, firstKeyOfBlock);
        } else {
            int lvl = level;
            pending.add(new Pending(java.util.concurrent.CompletableFuture.supplyAsync(() -> ZstdContexts.compress(raw, lvl), compressor),
                    raw.length, blockEntries, firstKeyOfBlock));
            while (pending.size() > MAX_PENDING) {
                writeNextPending();
            }
        }
        block.reset();
        blockEntries = 0;
    }

    private void writeNextPending() {
        Pending p = pending.poll();
        byte[] stored;
        try {
            stored = p.stored().join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("compressing a block failed: " + e.getCause(), e.getCause());
        }
        writeBlock(stored, p.rawLength(), p.entries(), p.firstKey());
    }

    private void writeBlock(byte[] stored, int rawLength, int blockEntries, byte[] firstKey) {
        index.add(new BlockHandle(written, stored.length, rawLength, blockEntries, crc32c(stored, 0, stored.length), firstKey));
        write(stored);
    }

    private void write(byte[] bytes) {
        try {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("writing a segment failed", e);
        }
        sha256.update(bytes);
        written += bytes.length;
    }

    private int crc32c(byte[] b, int off, int len) {
        crc.reset();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }

    static String hex(byte[] key) {
        String h = HexFormat.of().formatHex(key, 0, Math.min(key.length, 64));
        return key.length > 64 ? h + "..." : h;
    }
}
