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
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Writes one kind's entries (ascending keys) into segments of about {@link #TARGET_BYTES} each, through a
 * temporary local file, and stores each one under its content address unless the target already has it.
 *
 * <p>Three stages overlap: the caller's thread hands entries in chunks of about {@link #CHUNK_BYTES} through a
 * bounded queue to the sink's writer thread, which encodes blocks, has them compressed (by the backup's pool, a few
 * blocks ahead, or itself) and checksums them into the temporary file; a sealed segment goes to the sink's upload thread while the writer starts the next one. At most two sealed
 * segments wait or upload at a time (past that the writer uploads itself), so memory is bounded by the queue and
 * disk by three temporary segments per kind. Not thread-safe: one caller thread per sink (one sink per kind per
 * backup); the totals in the shared {@link Counter} are updated under its lock.
 */
final class SegmentSink implements AutoCloseable {
    /**
     * 64 MiB of stored bytes per segment: large enough that per-object costs (a request, a manifest line) stay
     * small, small enough that a failed upload retries little and a restore streams it block by block.
     */
    static final long TARGET_BYTES = 64L << 20;
    /** Bytes of entries handed to the writer thread at a time. */
    static final int CHUNK_BYTES = 1 << 20;
    /** Chunks queued at most before the caller waits. */
    static final int QUEUE_CHUNKS = 8;

    /**
     * Test hook (a JVM system property): once a backup (or an archive compaction) has stored this many segments, the
     * upload thread that stored the last of them waits {@link #PAUSE_MILLIS} before the next, so that a crash test
     * can kill the process with segments stored and no manifest published. Unset (the default) in production.
     */
    static final String PAUSE_AFTER_PROPERTY = "argon.wal.backupPauseAfterSegments";
    /** How long the {@link #PAUSE_AFTER_PROPERTY} hook waits: longer than any test, which kills the process first. */
    static final long PAUSE_MILLIS = 600_000;

    private final String kind;
    private final ObjectStore store;
    private final Path tmpDir;
    private final Counter counter;
    private final java.util.concurrent.Executor compressor;
    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
    private final Set<Path> tempFiles = ConcurrentHashMap.newKeySet();
    private final List<Future<?>> uploads = new ArrayList<>();
    private final ThreadPoolExecutor uploader;
    private Thread thread;
    private volatile Throwable failure;
    private volatile boolean closed;
    private boolean finished;
    private Chunk chunk = new Chunk();

    // The writer thread's state.
    private final List<SegmentRef> written = new ArrayList<>();
    private Path file;
    private CountingStream out;
    private SegmentWriter writer;
    private long minLsn = Long.MAX_VALUE;
    private long maxLsn = Long.MIN_VALUE;
    private long entries;

    /** Shared totals of a backup: bytes stored, reused, and objects. Guarded by its own lock past the caller's thread. */
    static final class Counter {
        long bytesStored;
        long bytesReused;
        int segmentsStored;
        int segmentsReused;
        long entries;
        long rawBytes;
    }

    /** Entries handed over together; the end of input is a chunk with {@code last} set. */
    private static final class Chunk {
        byte[][] keys = new byte[1024][];
        byte[][] values = new byte[1024][];
        long[] lsns = new long[1024];
        int count;
        long bytes;
        boolean last;

        void add(byte[] key, byte[] value, long lsn) {
            if (count == keys.length) {
                keys = Arrays.copyOf(keys, count * 2);
                values = Arrays.copyOf(values, count * 2);
                lsns = Arrays.copyOf(lsns, count * 2);
            }
            keys[count] = key;
            values[count] = value;
            lsns[count] = lsn;
            count++;
            bytes += key.length + value.length;
        }
    }

    SegmentSink(String kind, ObjectStore store, Path tmpDir, Counter counter) {
        this(kind, store, tmpDir, counter, null);
    }

    /** @param compressor compresses blocks beside the writer thread (a backup's pool), or null for the writer alone */
    SegmentSink(String kind, ObjectStore store, Path tmpDir, Counter counter, java.util.concurrent.Executor compressor) {
        this.compressor = compressor;
        this.kind = kind;
        this.store = store;
        this.tmpDir = tmpDir;
        this.counter = counter;
        // One upload at a time and one waiting; a third sealed segment is uploaded by the writer thread itself.
        this.uploader = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1), r -> {
            Thread t = new Thread(r, "argon-backup-upload-" + kind);
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
    }

    /** Adds an entry; {@code lsn} is the entry's LSN as the kind counts it (0 when it has none). */
    void add(byte[] key, byte[] value, long lsn) {
        if (thread == null) {
            thread = new Thread(this::write, "argon-backup-" + kind);
            thread.setDaemon(true);
            thread.start();
        }
        chunk.add(key, value, lsn);
        counter.entries++;
        counter.rawBytes += key.length + value.length;
        if (chunk.bytes >= CHUNK_BYTES) {
            hand(chunk);
            chunk = new Chunk();
        }
    }

    private void hand(Chunk c) {
        try {
            while (!queue.offer(c, 100, TimeUnit.MILLISECONDS)) {
                rethrow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing up the " + kind + " segments", e);
        }
        rethrow();
    }

    private void rethrow() {
        Throwable f = failure;
        if (f instanceof RuntimeException re) {
            throw re;
        }
        if (f != null) {
            throw new IllegalStateException("writing the " + kind + " segments failed: " + f, f);
        }
    }

    /** The writer thread: chunks into segments until the last chunk. */
    private void write() {
        try {
            while (true) {
                Chunk c = queue.take();
                for (int i = 0; i < c.count; i++) {
                    append(c.keys[i], c.values[i], c.lsns[i]);
                }
                if (c.last) {
                    break;
                }
            }
            if (writer != null) {
                seal();
            }
        } catch (Throwable t) {
            if (!closed) {
                failure = t instanceof InterruptedException ? new IllegalStateException("interrupted", t) : t;
            }
            queue.clear(); // unblocks a caller waiting to hand a chunk
        }
    }

    private void append(byte[] key, byte[] value, long lsn) {
        if (writer == null) {
            try {
                file = Files.createTempFile(tmpDir, "segment-", ".tmp");
                tempFiles.add(file);
                out = new CountingStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write a temporary segment in " + tmpDir, e);
            }
            writer = new SegmentWriter(out, SegmentWriter.DEFAULT_BLOCK_SIZE, SegmentWriter.DEFAULT_LEVEL, compressor);
        }
        writer.add(key, value);
        minLsn = Math.min(minLsn, lsn);
        maxLsn = Math.max(maxLsn, lsn);
        entries++;
        if (out.count >= TARGET_BYTES) {
            seal();
        }
    }

    /**
     * Seals the current segment and hands it to the upload thread; returns every segment this sink made, once
     * every upload is done.
     */
    List<SegmentRef> finish() {
        if (finished) {
            return written;
        }
        finished = true;
        if (thread != null) {
            chunk.last = true;
            hand(chunk);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while backing up the " + kind + " segments", e);
            }
            rethrow();
        }
        for (Future<?> f : uploads) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while uploading the " + kind + " segments", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException("uploading a " + kind + " segment failed: " + e.getCause(), e.getCause());
            }
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
        Path sealed = file;
        written.add(ref);
        Future<?> f = uploader.submit(() -> upload(ref, sealed));
        synchronized (uploads) {
            uploads.add(f);
        }
        writer = null;
        out = null;
        file = null;
        minLsn = Long.MAX_VALUE;
        maxLsn = Long.MIN_VALUE;
        entries = 0;
    }

    /** Stores a sealed segment unless the target has it already (the same content: the same name). */
    private void upload(SegmentRef ref, Path sealed) {
        try {
            Optional<ObjectInfo> there = store.head(ref.objectKey());
            boolean reuse = there.isPresent() && there.get().size() == ref.size();
            if (!reuse) {
                store.put(ref.objectKey(), sealed);
            }
            int stored;
            synchronized (counter) {
                if (reuse) {
                    counter.bytesReused += ref.size();
                    counter.segmentsReused++;
                } else {
                    counter.bytesStored += ref.size();
                    counter.segmentsStored++;
                }
                stored = counter.segmentsStored;
            }
            if (!reuse && stored == Integer.getInteger(PAUSE_AFTER_PROPERTY, 0)) {
                pauseForTests();
            }
        } catch (RuntimeException | Error e) {
            if (failure == null) {
                failure = e; // the caller stops at its next hand-off rather than at finish
            }
            throw e;
        } finally {
            delete(sealed);
        }
    }

    private static void pauseForTests() {
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a temporary file left behind is harmless
        }
        tempFiles.remove(p);
    }

    /** Stops the threads (after a failure, their work is not wanted) and removes the temporary files. */
    @Override
    public void close() {
        closed = true;
        if (thread != null && thread.isAlive()) {
            queue.clear();
            thread.interrupt();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // closing after a failure
            }
        }
        uploader.shutdown();
        try {
            uploader.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Path p : List.copyOf(tempFiles)) {
            delete(p);
        }
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
