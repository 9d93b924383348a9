package dev.argon.storage.object;

import java.io.IOException;
import java.io.InputStream;

/** Small helpers the stores share: reading a stream of announced length, range checks, common errors. */
final class Streams {

    private Streams() {
    }

    /** Reads exactly {@code length} bytes (at most {@code Integer.MAX_VALUE - 8}); a short or failing stream throws. */
    static byte[] readExactly(String key, InputStream in, long length) {
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
            throw new ObjectStoreException(ObjectStoreException.Kind.INVALID_ARGUMENT, key,
                    "cannot buffer " + length + " bytes for " + key);
        }
        byte[] out = new byte[(int) length];
        int n = readFully(key, in, out, 0, out.length);
        if (n < out.length) {
            throw shortStream(key, length, n);
        }
        return out;
    }

    /** Reads up to {@code len} bytes, fewer only at the end of the stream; returns how many. */
    static int readFully(String key, InputStream in, byte[] buf, int off, int len) {
        int done = 0;
        try {
            while (done < len) {
                int n = in.read(buf, off + done, len - done);
                if (n < 0) {
                    break;
                }
                done += n;
            }
        } catch (IOException e) {
            throw new ObjectStoreException(ObjectStoreException.Kind.FAILED, key,
                    "reading the data to store as " + key + " failed: " + e, e);
        }
        return done;
    }

    static ObjectStoreException shortStream(String key, long expected, long got) {
        return new ObjectStoreException(ObjectStoreException.Kind.INVALID_ARGUMENT, key,
                "the data to store as " + key + " ended after " + got + " of " + expected + " bytes");
    }

    static void checkRange(String key, long offset, int length) {
        if (offset < 0 || length < 0) {
            throw new ObjectStoreException(ObjectStoreException.Kind.INVALID_ARGUMENT, key,
                    "invalid range of " + key + ": offset " + offset + ", length " + length);
        }
    }

    static ObjectStoreException notFound(ObjectStore store, String key) {
        return new ObjectStoreException(ObjectStoreException.Kind.NOT_FOUND, key,
                "no object " + key + " in " + store.describe());
    }
}
