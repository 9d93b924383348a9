package dev.argon.wal;

import dev.argon.storage.object.ObjectStore;
import dev.argon.storage.segment.SealedSegment;
import dev.argon.storage.segment.SegmentWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One compaction chunk's segment, written to a temporary file in {@code <data>/_tmp} (made on the first entry)
 * and then stored in the tier under its content name; the versions pass and the log pass of {@link TierCompactor}
 * each keep one. Not thread-safe.
 */
final class ChunkFile {
    private final Path dataDir;
    private final String prefix;
    private final String what;
    private Path file;
    private OutputStream out;
    private SegmentWriter segment;
    /** Bytes the segment writer has written so far (its sealed, compressed blocks). */
    private long written;

    /** @param prefix the temporary file's name prefix; @param what "history" or "log", for error messages */
    ChunkFile(Path dataDir, String prefix, String what) {
        this.dataDir = dataDir;
        this.prefix = prefix;
        this.what = what;
    }

    boolean isEmpty() {
        return segment == null;
    }

    /** Adds an entry (in key order), opening the temporary file first if this is the chunk's first. */
    void add(byte[] key, byte[] value) {
        if (segment == null) {
            try {
                Path tmp = Files.createDirectories(dataDir.resolve("_tmp"));
                file = Files.createTempFile(tmp, prefix, ".segment");
                out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write a " + what + " segment in " + dataDir, e);
            }
            written = 0;
            OutputStream sink = out;
            segment = new SegmentWriter(new java.io.FilterOutputStream(sink) {
                @Override
                public void write(int b) throws IOException {
                    sink.write(b);
                    written++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    sink.write(b, off, len);
                    written += len;
                }

                @Override
                public void close() {
                    // The chunk closes the file itself.
                }
            });
        }
        segment.add(key, value);
    }

    /**
     * About the bytes the segment would be stored in if sealed now: its compressed blocks so far (the block being
     * filled, at most {@link SegmentWriter#DEFAULT_BLOCK_SIZE} of entries, is not counted yet).
     */
    long storedBytes() {
        return segment == null ? 0 : written;
    }

    /**
     * Seals the segment with its LSN range, stores it (unless the store already has that content) and deletes the
     * temporary file; the chunk is empty afterwards.
     */
    TierSegment store(ObjectStore store, long minLsn, long maxLsn) {
        SealedSegment sealed = segment.finish(minLsn, maxLsn);
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a " + what + " segment in " + dataDir, e);
        }
        TierSegment seg = new TierSegment(sealed.name(), sealed.size(), sealed.footer().entryCount(), minLsn, maxLsn,
                sealed.footer().minKey(), sealed.footer().maxKey());
        if (store.head(seg.objectKey()).isEmpty()) {
            store.put(seg.objectKey(), file);
        }
        discard();
        return seg;
    }

    /** Drops the temporary file, if any; the chunk is empty afterwards. */
    void discard() {
        if (file != null) {
            try {
                if (out != null) {
                    out.close();
                }
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A leftover temp file is only litter; the next open does not read it.
            }
        }
        file = null;
        out = null;
        segment = null;
    }
}
