package dev.argon.wal.archive;

import dev.argon.storage.manifest.SegmentRef;
import dev.argon.storage.object.ObjectInfo;
import dev.argon.storage.object.ObjectStore;
import dev.argon.storage.segment.SealedSegment;
import dev.argon.storage.segment.SegmentWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes one kind's entries (ascending keys) into segments of about {@link #TARGET_BYTES} each, through a
 * temporary local file, and stores each one under its content address unless the target already has it. Not
 * thread-safe: one per kind per backup.
 */
final class SegmentSink implements AutoCloseable {
    /**
     * 64 MiB of stored bytes per segment: large enough that per-object costs (a request, a manifest line) stay
     * small, small enough that a failed upload retries little and a restore streams it block by block.
     */
    static final long TARGET_BYTES = 64L << 20;

    private final String kind;
    private final ObjectStore store;
    private final Path tmpDir;
    private final Counter counter;
    private final List<SegmentRef> written = new ArrayList<>();
    private Path file;
    private CountingStream out;
    private SegmentWriter writer;
    private long minLsn = Long.MAX_VALUE;
    private long maxLsn = Long.MIN_VALUE;
    private long entries;

    /** Shared totals of a backup: bytes stored, reused, and objects. */
    static final class Counter {
        long bytesStored;
        long bytesReused;
        int segmentsStored;
        int segmentsReused;
        long entries;
        long rawBytes;
    }

    SegmentSink(String kind, ObjectStore store, Path tmpDir, Counter counter) {
        this.kind = kind;
        this.store = store;
        this.tmpDir = tmpDir;
        this.counter = counter;
    }

    /** Adds an entry; {@code lsn} is the entry's LSN as the kind counts it (0 when it has none). */
    void add(byte[] key, byte[] value, long lsn) {
        if (writer == null) {
            try {
                file = Files.createTempFile(tmpDir, "segment-", ".tmp");
                out = new CountingStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write a temporary segment in " + tmpDir, e);
            }
            writer = new SegmentWriter(out);
        }
        writer.add(key, value);
        minLsn = Math.min(minLsn, lsn);
        maxLsn = Math.max(maxLsn, lsn);
        entries++;
        counter.entries++;
        counter.rawBytes += key.length + value.length;
        if (out.count >= TARGET_BYTES) {
            seal();
        }
    }

    /** Bytes written to the current temporary segment so far. */
    long pending() {
        return out == null ? 0 : out.count;
    }

    /** Seals the current segment and stores it (or finds it stored); returns every segment this sink made. */
    List<SegmentRef> finish() {
        if (writer != null) {
            seal();
        }
        return written;
    }

    private void seal() {
        SealedSegment s = writer.finish(minLsn, maxLsn);
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a temporary segment", e);
        }
        SegmentRef ref = new SegmentRef(kind, s.name(), s.size(), entries, minLsn, maxLsn, s.footer().minKey(), s.footer().maxKey());
        Optional<ObjectInfo> there = store.head(ref.objectKey());
        if (there.isPresent() && there.get().size() == s.size()) {
            counter.bytesReused += s.size();
            counter.segmentsReused++;
        } else {
            store.put(ref.objectKey(), file);
            counter.bytesStored += s.size();
            counter.segmentsStored++;
        }
        written.add(ref);
        delete();
        writer = null;
        out = null;
        minLsn = Long.MAX_VALUE;
        maxLsn = Long.MIN_VALUE;
        entries = 0;
    }

    private void delete() {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a temporary file left behind is harmless
        }
        file = null;
    }

    @Override
    public void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // closing after a failure
            }
        }
        delete();
    }

    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
