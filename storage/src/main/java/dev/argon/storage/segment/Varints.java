package dev.argon.storage.segment;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** Unsigned LEB128 varints, for lengths inside blocks and the index. Stateless. */
final class Varints {

    private Varints() {
    }

    static void write(ByteArrayOutputStream out, int value) {
        int v = value;
        while ((v & ~0x7f) != 0) {
            out.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    /** Reads a non-negative int; throws IllegalArgumentException on a malformed or too long varint. */
    static int read(ByteBuffer in) {
        int result = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            if (!in.hasRemaining()) {
                throw new IllegalArgumentException("varint runs past the end");
            }
            int b = in.get() & 0xff;
            result |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                if (result < 0) {
                    throw new IllegalArgumentException("varint out of range");
                }
                return result;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }
}
