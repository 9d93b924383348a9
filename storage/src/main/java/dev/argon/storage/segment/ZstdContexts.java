package dev.argon.storage.segment;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Reused zstd contexts. Making a context per block (what {@code Zstd.compress} and {@code Zstd.decompress} do)
 * cost about a third of a restore's decompression time; a context is not thread-safe, and zstd-jni frees one only
 * when it is closed, so a thread-local one would leak with every short-lived thread. Contexts are borrowed for one
 * block and given back: the pools hold at most as many as ever ran at once. Thread-safe.
 */
final class ZstdContexts {
    private static final ConcurrentLinkedQueue<ZstdDecompressCtx> DECOMPRESS = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<ZstdCompressCtx> COMPRESS = new ConcurrentLinkedQueue<>();

    private ZstdContexts() {
    }

    /** Decompresses {@code src[off, off+len)} into all of {@code dst}; returns the bytes written. */
    static int decompress(byte[] dst, byte[] src, int off, int len) {
        ZstdDecompressCtx c = DECOMPRESS.poll();
        if (c == null) {
            c = new ZstdDecompressCtx();
        }
        try {
            return c.decompressByteArray(dst, 0, dst.length, src, off, len);
        } finally {
            DECOMPRESS.offer(c);
        }
    }

    /** {@code src} compressed at {@code level}, as one zstd frame. */
    static byte[] compress(byte[] src, int level) {
        ZstdCompressCtx c = COMPRESS.poll();
        if (c == null) {
            c = new ZstdCompressCtx();
        }
        try {
            c.setLevel(level);
            return c.compress(src);
        } finally {
            COMPRESS.offer(c);
        }
    }
}
