package dev.argon.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.EnvOptions;
import org.rocksdb.IngestExternalFileOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileWriter;

/**
 * Bulk-loads one column family of a fresh directory ({@link WalLoader}) by writing its entries, which arrive in
 * ascending key order, into SST files with RocksDB's {@code SstFileWriter} on a thread of its own, and ingesting
 * them at {@link #finish()}. Ingested files that overlap nothing go straight to the bottommost level: no memtable,
 * no flush and no compaction rewrite the data again, and the compression (the family's bottommost one) runs on the
 * sink's thread while the caller decodes the next entries.
 *
 * <p>The caller's thread hands chunks of about {@link #CHUNK_BYTES} through a bounded queue of
 * {@link #QUEUE_CHUNKS}, so memory stays bounded whatever the family's size. {@link #add} refuses (returns false)
 * a key that does not sort after the previous one; the caller then {@link #finish()}es the sink and writes the rest
 * another way. Not thread-safe: one caller thread (the writer thread is internal).
 */
final class SstSink implements AutoCloseable {
    /** Entries handed to the writer thread at a time: large enough that the hand-off costs nothing per entry. */
    static final int CHUNK_BYTES = 1 << 20;
    /** Chunks queued at most: bounds the memory a slow writer makes the caller hold. */
    static final int QUEUE_CHUNKS = 8;
    /** A file is closed and the next one started past this size, RocksDB's default target file size. */
    static final long FILE_BYTES = 64L << 20;

    private static final Chunk END = new Chunk(new byte[0][], new byte[0][], 0);

    private final WalDb db;
    private final ColumnFamilyHandle family;
    private final String name;
    private final Path tmpDir;
    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
    private final List<String> files = new ArrayList<>();
    private final Thread thread;
    private volatile Throwable failure;
    private byte[][] keys = new byte[1024][];
    private byte[][] values = new byte[1024][];
    private int count;
    private long chunkBytes;
    private byte[] previous;
    private long entries;
    private boolean finished;

    private record Chunk(byte[][] keys, byte[][] values, int count) {
    }

    /**
     * @param tmpDir where the SST files are written before ingestion moves them in (on the directory's file system,
     *               so that the move is a link, not a copy)
     */
    SstSink(WalDb db, String name, ColumnFamilyHandle family, Path tmpDir) {
        this.db = db;
        this.name = name;
        this.family = family;
        this.tmpDir = tmpDir;
        this.thread = new Thread(this::write, "argon-sst-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Adds an entry; false (and nothing added) when {@code key} does not sort after the previous one. */
    boolean add(byte[] key, byte[] value) {
        if (previous != null && Arrays.compareUnsigned(previous, key) >= 0) {
            return false;
        }
        previous = key;
        if (count == keys.length) {
            keys = Arrays.copyOf(keys, count * 2);
            values = Arrays.copyOf(values, count * 2);
        }
        keys[count] = key;
        values[count] = value;
        count++;
        entries++;
        chunkBytes += key.length + value.length;
        if (chunkBytes >= CHUNK_BYTES) {
            hand();
        }
        return true;
    }

    /** Entries added so far. */
    long entries() {
        return entries;
    }

    private void hand() {
        if (count == 0) {
            return;
        }
        put(new Chunk(keys, values, count));
        keys = new byte[Math.max(1024, count)][];
        values = new byte[keys.length][];
        count = 0;
        chunkBytes = 0;
    }

    private void put(Chunk c) {
        try {
            while (!queue.offer(c, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                rethrow();
                if (!thread.isAlive()) {
                    throw new WalException("the SST writer of " + name + " stopped", -1, -1, null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WalException("interrupted while loading " + name, -1, -1, e);
        }
        rethrow();
    }

    private void rethrow() {
        Throwable f = failure;
        if (f != null) {
            throw new WalException("cannot write the " + name + " family's SST files: " + f.getMessage(), -1, -1, f);
        }
    }

    /** The writer thread: chunks into files of about {@link #FILE_BYTES}, until {@link #END}. */
    private void write() {
        SstFileWriter writer = null;
        try (EnvOptions env = new EnvOptions(); Options options = db.sstOptions(family)) {
            for (Chunk c = queue.take(); c != END; c = queue.take()) {
                for (int i = 0; i < c.count; i++) {
                    if (writer == null) {
                        writer = new SstFileWriter(env, options);
                        String file = tmpDir.resolve(name + "-" + files.size() + ".sst").toString();
                        writer.open(file);
                        files.add(file);
                    }
                    writer.put(c.keys[i], c.values[i]);
                    c.keys[i] = null;
                    c.values[i] = null;
                    if ((i & 0xFF) == 0 && writer.fileSize() >= FILE_BYTES) {
                        writer.finish();
                        writer.close();
                        writer = null;
                    }
                }
            }
            if (writer != null) {
                writer.finish();
            }
        } catch (Throwable t) {
            failure = t;
            queue.clear(); // unblocks a caller waiting to hand a chunk
        } finally {
            if (writer != null) {
                writer.close();
            }
        }
    }

    /** Writes what is left, waits for the writer and ingests its files; a sink is finished once. */
    void finish() {
        if (finished) {
            return;
        }
        finished = true;
        hand();
        put(END);
        join();
        rethrow();
        if (files.isEmpty()) {
            return;
        }
        try (IngestExternalFileOptions o = new IngestExternalFileOptions().setMoveFiles(true).setAllowGlobalSeqNo(true)
                .setAllowBlockingFlush(true)) {
            db.db().ingestExternalFile(family, files, o);
        } catch (RocksDBException e) {
            throw new WalException("cannot ingest the " + name + " family's SST files: " + e.getMessage(), -1, -1, e);
        }
        deleteFiles(); // a move leaves the originals behind only when it fell back to a copy
    }

    private void join() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WalException("interrupted while loading " + name, -1, -1, e);
        }
    }

    private void deleteFiles() {
        for (String f : files) {
            try {
                Files.deleteIfExists(Path.of(f));
            } catch (IOException e) {
                // a leftover temporary file costs disk only; the restore's directory cleanup removes it
            }
        }
        files.clear();
    }

    /** Stops the writer and removes files not ingested (after a failure, or a sink whose output is not wanted). */
    @Override
    public void close() {
        if (thread.isAlive()) {
            finished = true;
            queue.clear();
            thread.interrupt();
            join();
        }
        deleteFiles();
    }
}
