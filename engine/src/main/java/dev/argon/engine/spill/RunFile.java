package dev.argon.engine.spill;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.bson.BsonBinaryReader;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.DecoderContext;

/**
 * One sorted run on disk: documents as their BSON bytes, one after another (each starts with its own length),
 * in the order they were written. Read back once, sequentially, through a 64 KiB buffer. Not thread-safe.
 */
final class RunFile {
    /** Per open file; with one document per run in the merge, this is what a reader holds. */
    private static final int BUFFER = 64 * 1024;
    private static final BsonDocumentCodec CODEC = new BsonDocumentCodec();

    private final Path path;
    private final Spill owner;
    private final long count;

    private RunFile(Path path, Spill owner, long count) {
        this.path = path;
        this.owner = owner;
        this.count = count;
    }

    long count() {
        return count;
    }

    /** Deletes the file now (its documents were merged into another run). */
    void delete() {
        owner.delete(path);
    }

    /** Appends documents to a new run file. */
    static final class Writer {
        private final Path path;
        private final Spill owner;
        private final OutputStream out;
        private long count;
        private long bytes;

        Writer(Path path, Spill owner) throws IOException {
            this.path = path;
            this.owner = owner;
            this.out = new BufferedOutputStream(Files.newOutputStream(path), BUFFER);
        }

        void add(BsonDocument doc) {
            ByteBuffer b = (doc instanceof RawBsonDocument raw ? raw : new RawBsonDocument(doc, CODEC)).getByteBuffer().asNIO();
            try {
                if (b.hasArray()) {
                    out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
                } else {
                    byte[] copy = new byte[b.remaining()];
                    b.get(copy);
                    out.write(copy);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the spill file " + path, e);
            }
            count++;
            bytes += b.remaining();
        }

        RunFile finish() {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the spill file " + path, e);
            }
            owner.wrote(bytes);
            return new RunFile(path, owner, count);
        }
    }

    /** The run's documents in order; the file is closed at its end or when the owning spill closes. */
    Iterator<BsonDocument> read() {
        try {
            Reader r = new Reader(new DataInputStream(new BufferedInputStream(Files.newInputStream(path), BUFFER)), count);
            owner.opened(r);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spill file " + path, e);
        }
    }

    private final class Reader implements Iterator<BsonDocument>, AutoCloseable {
        private final DataInputStream in;
        private long left;
        private boolean closed;

        Reader(DataInputStream in, long count) {
            this.in = in;
            this.left = count;
        }

        @Override
        public boolean hasNext() {
            if (left <= 0) {
                close();
                return false;
            }
            return true;
        }

        @Override
        public BsonDocument next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            try {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                int b2 = in.readUnsignedByte();
                int b3 = in.readUnsignedByte();
                int length = b0 | (b1 << 8) | (b2 << 16) | (b3 << 24);
                byte[] bytes = new byte[length];
                bytes[0] = (byte) b0;
                bytes[1] = (byte) b1;
                bytes[2] = (byte) b2;
                bytes[3] = (byte) b3;
                in.readFully(bytes, 4, length - 4);
                left--;
                try (BsonBinaryReader reader = new BsonBinaryReader(ByteBuffer.wrap(bytes))) {
                    return CODEC.decode(reader, DecoderContext.builder().build());
                }
            } catch (EOFException e) {
                throw new UncheckedIOException("the spill file " + path + " ended early", e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the spill file " + path, e);
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                try {
                    ((InputStream) in).close();
                } catch (IOException ignored) {
                    // read-only; nothing to lose
                }
            }
        }
    }
}
