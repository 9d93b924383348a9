package dev.argon.storage.object;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a store and makes its calls fail on demand: the next N calls fail before reaching the store, or
 * after it (an acknowledgement lost in transit), or the next uploads stop midway through their data.
 * Counts the calls that reached the wrapped store.
 *
 * <p>Thread-safe (atomic counters).
 */
final class FaultInjectingStore implements ObjectStore {

    private final ObjectStore delegate;
    private final AtomicInteger failBefore = new AtomicInteger();
    private final AtomicInteger failAfter = new AtomicInteger();
    private final AtomicInteger tornUploads = new AtomicInteger();
    private volatile ObjectStoreException.Kind kind = ObjectStoreException.Kind.TRANSIENT;
    final AtomicInteger calls = new AtomicInteger();

    FaultInjectingStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    /** The next {@code n} calls fail with {@code kind} without reaching the store. */
    FaultInjectingStore failNext(int n, ObjectStoreException.Kind kind) {
        this.kind = kind;
        failBefore.set(n);
        return this;
    }

    /** The next {@code n} calls reach the store, then fail transiently as if the reply were lost. */
    FaultInjectingStore loseNextReplies(int n) {
        failAfter.set(n);
        return this;
    }

    /**
     * The next {@code n} uploads from a file or stream break after half their data reached the wrapped store,
     * and fail transiently, as a connection reset mid-upload does.
     */
    FaultInjectingStore tearNextUploads(int n) {
        tornUploads.set(n);
        return this;
    }

    private void before(String key) {
        if (failBefore.getAndUpdate(v -> Math.max(0, v - 1)) > 0) {
            throw new ObjectStoreException(kind, key, "injected " + kind + " failure for " + key);
        }
        calls.incrementAndGet();
    }

    private <T> T after(String key, T result) {
        if (failAfter.getAndUpdate(v -> Math.max(0, v - 1)) > 0) {
            throw new ObjectStoreException(ObjectStoreException.Kind.TRANSIENT, key, "injected lost reply for " + key);
        }
        return result;
    }

    private boolean tear() {
        return tornUploads.getAndUpdate(v -> Math.max(0, v - 1)) > 0;
    }

    @Override
    public void put(String key, byte[] data) {
        before(key);
        delegate.put(key, data);
        after(key, null);
    }

    @Override
    public void put(String key, Path file) {
        before(key);
        if (tear()) {
            try (InputStream in = Files.newInputStream(file)) {
                long size = Files.size(file);
                torn(key, () -> delegate.put(key, breaking(in, size / 2), size));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        } else {
            delegate.put(key, file);
        }
        after(key, null);
    }

    @Override
    public void put(String key, InputStream data, long length) {
        before(key);
        if (tear()) {
            torn(key, () -> delegate.put(key, breaking(data, length / 2), length));
        } else {
            delegate.put(key, data, length);
        }
        after(key, null);
    }

    private static void torn(String key, Runnable upload) {
        try {
            upload.run();
        } catch (ObjectStoreException e) {
            throw new ObjectStoreException(ObjectStoreException.Kind.TRANSIENT, key,
                    "injected: the upload of " + key + " broke midway", e);
        }
        throw new IllegalStateException("the wrapped store accepted a broken upload of " + key);
    }

    private static InputStream breaking(InputStream in, long good) {
        return new InputStream() {
            private long pos;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos >= good) {
                    throw new IOException("injected: connection reset after " + good + " bytes");
                }
                int n = in.read(b, off, (int) Math.min(len, good - pos));
                if (n > 0) {
                    pos += n;
                }
                return n;
            }
        };
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        before(key);
        return after(key, delegate.putIfAbsent(key, data));
    }

    @Override
    public byte[] get(String key) {
        before(key);
        return after(key, delegate.get(key));
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        before(key);
        return after(key, delegate.getRange(key, offset, length));
    }

    @Override
    public Optional<ObjectInfo> head(String key) {
        before(key);
        return after(key, delegate.head(key));
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        before(null);
        return after(null, delegate.list(prefix));
    }

    @Override
    public void delete(String key) {
        before(key);
        delegate.delete(key);
        after(key, null);
    }

    @Override
    public String describe() {
        return "faulty " + delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
