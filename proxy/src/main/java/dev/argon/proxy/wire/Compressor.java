package dev.argon.proxy.wire;

import com.github.luben.zstd.Zstd;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The compressors of {@code OP_COMPRESSED}, by the id on the wire. snappy is recognised but not supported (it would
 * need another native library, and drivers only use a compressor the server lists in {@code hello}).
 *
 * <p>Decompression writes into a buffer sized from the message's declared {@code uncompressedSize} and fails when
 * the payload produces more or fewer bytes, so a small compressed message cannot expand past the size limit.
 * Every failure is a {@link WireProtocolException}: a payload that does not decompress leaves nothing to reply to.
 * Stateless and thread-safe.
 */
public enum Compressor {
    NOOP(0, "noop"),
    SNAPPY(1, "snappy"),
    ZLIB(2, "zlib"),
    ZSTD(3, "zstd");

    /** zstd's own default: a good ratio at several hundred MB/s, which suits replies on a hot path. */
    private static final int ZSTD_LEVEL = 3;
    /** zlib's default level, the one drivers use unless told otherwise. */
    private static final int ZLIB_LEVEL = Deflater.DEFAULT_COMPRESSION;

    private final int id;
    private final String wireName;

    Compressor(int id, String wireName) {
        this.id = id;
        this.wireName = wireName;
    }

    /** The id in {@code OP_COMPRESSED}'s compressorId byte. */
    public int id() {
        return id;
    }

    /** The name drivers use in {@code compressors=} and in {@code hello}'s {@code compression} list. */
    public String wireName() {
        return wireName;
    }

    /** The compressor with this wire id, or null. */
    public static Compressor byId(int id) {
        for (Compressor c : values()) {
            if (c.id == id) {
                return c;
            }
        }
        return null;
    }

    /**
     * Decompresses all readable bytes of {@code src} and appends exactly {@code uncompressedSize} bytes to
     * {@code dst}, which must have that much room (see {@link ByteBuf#ensureWritable}).
     */
    public void decompress(ByteBuf src, ByteBuf dst, int uncompressedSize) {
        switch (this) {
            case NOOP -> {
                if (src.readableBytes() != uncompressedSize) {
                    throw sizeMismatch(src.readableBytes(), uncompressedSize);
                }
                dst.writeBytes(src, src.readerIndex(), uncompressedSize);
            }
            case ZLIB -> inflate(src, dst, uncompressedSize);
            case ZSTD -> zstdDecompress(src, dst, uncompressedSize);
            default -> throw new WireProtocolException("compressor " + wireName + " is not supported");
        }
    }

    /** Compresses all readable bytes of {@code src} and appends the result to {@code dst}, growing it as needed. */
    public void compress(ByteBuf src, ByteBuf dst) {
        switch (this) {
            case NOOP -> dst.writeBytes(src, src.readerIndex(), src.readableBytes());
            case ZLIB -> deflate(src, dst);
            case ZSTD -> zstdCompress(src, dst);
            default -> throw new IllegalStateException("compressor " + wireName + " is not supported");
        }
    }

    private static void inflate(ByteBuf src, ByteBuf dst, int size) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(src.nioBuffer());
            // A view of dst's memory: the inflater writes straight into the frame buffer.
            ByteBuffer out = dst.nioBuffer(dst.writerIndex(), size);
            while (out.hasRemaining() && !inflater.finished()) {
                if (inflater.inflate(out) == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new WireProtocolException("zlib payload ends before uncompressedSize " + size + " bytes");
                }
            }
            if (out.hasRemaining()) {
                throw sizeMismatch(size - out.remaining(), size);
            }
            if (!inflater.finished() && (inflater.inflate(ByteBuffer.allocate(1)) > 0 || !inflater.finished())) {
                throw new WireProtocolException("zlib payload is larger than uncompressedSize " + size);
            }
            dst.writerIndex(dst.writerIndex() + size);
        } catch (DataFormatException e) {
            throw new WireProtocolException("zlib payload is corrupt: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private static void deflate(ByteBuf src, ByteBuf dst) {
        Deflater deflater = new Deflater(ZLIB_LEVEL);
        try {
            deflater.setInput(src.nioBuffer());
            deflater.finish();
            dst.ensureWritable(src.readableBytes() / 2 + 64);
            while (!deflater.finished()) {
                dst.ensureWritable(4096);
                int n = deflater.deflate(dst.nioBuffer(dst.writerIndex(), dst.writableBytes()));
                dst.writerIndex(dst.writerIndex() + n);
            }
        } finally {
            deflater.end();
        }
    }

    private static void zstdDecompress(ByteBuf src, ByteBuf dst, int size) {
        // zstd-jni reads and writes native memory only; heap buffers take a detour through direct ones.
        ByteBuf in = direct(src);
        ByteBuf out = dst.isDirect() && dst.nioBufferCount() == 1 ? dst : dst.alloc().directBuffer(size);
        try {
            ByteBuffer inView = in.nioBuffer().slice();
            ByteBuffer outView = out.nioBuffer(out.writerIndex(), size).slice();
            long n;
            try {
                n = Zstd.decompressDirectByteBuffer(outView, 0, size, inView, 0, inView.remaining());
            } catch (RuntimeException e) {
                throw new WireProtocolException("zstd payload is corrupt: " + e.getMessage(), e);
            }
            if (Zstd.isError(n)) {
                throw new WireProtocolException("zstd payload is corrupt: " + Zstd.getErrorName(n));
            }
            if (n != size) {
                throw sizeMismatch(n, size);
            }
            if (out == dst) {
                dst.writerIndex(dst.writerIndex() + size);
            } else {
                dst.writeBytes(out, out.writerIndex(), size);
            }
        } finally {
            if (in != src) {
                in.release();
            }
            if (out != dst) {
                out.release();
            }
        }
    }

    private static void zstdCompress(ByteBuf src, ByteBuf dst) {
        int bound = (int) Zstd.compressBound(src.readableBytes());
        ByteBuf in = direct(src);
        dst.ensureWritable(bound);
        ByteBuf out = dst.isDirect() && dst.nioBufferCount() == 1 ? dst : dst.alloc().directBuffer(bound);
        try {
            ByteBuffer inView = in.nioBuffer().slice();
            ByteBuffer outView = out.nioBuffer(out.writerIndex(), bound).slice();
            long n = Zstd.compressDirectByteBuffer(outView, 0, bound, inView, 0, inView.remaining(), ZSTD_LEVEL);
            if (Zstd.isError(n)) {
                throw new IllegalStateException("zstd compression failed: " + Zstd.getErrorName(n));
            }
            if (out == dst) {
                dst.writerIndex(dst.writerIndex() + (int) n);
            } else {
                dst.writeBytes(out, out.writerIndex(), (int) n);
            }
        } finally {
            if (in != src) {
                in.release();
            }
            if (out != dst) {
                out.release();
            }
        }
    }

    /** {@code buf} itself if it is one piece of native memory, else a direct copy the caller must release. */
    private static ByteBuf direct(ByteBuf buf) {
        if (buf.isDirect() && buf.nioBufferCount() == 1) {
            return buf;
        }
        ByteBufAllocator alloc = buf.alloc();
        ByteBuf copy = alloc.directBuffer(buf.readableBytes());
        copy.writeBytes(buf, buf.readerIndex(), buf.readableBytes());
        return copy;
    }

    private static WireProtocolException sizeMismatch(long actual, int declared) {
        return new WireProtocolException("payload decompresses to " + actual + " bytes, uncompressedSize says " + declared);
    }
}
