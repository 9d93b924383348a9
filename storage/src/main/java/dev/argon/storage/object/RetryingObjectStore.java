package dev.argon.storage.object;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Wraps a store so that each call is retried on transient failures by a {@link RetryPolicy}. A stream put is
 * tried once, since the stream cannot be read twice (the S3 store retries each part of it instead).
 *
 * <p>A retried {@link #putIfAbsent} whose earlier attempt failed in transit may have created the object
 * itself; it then finds the object present, compares its content and reports true if it holds exactly these
 * bytes, so a writer never mistakes its own lost acknowledgement for another writer's object.
 *
 * <p>Thread-safe if the wrapped store is.
 */
public final class RetryingObjectStore implements ObjectStore {

    private final ObjectStore delegate;
    private final RetryPolicy policy;

    public RetryingObjectStore(ObjectStore delegate, RetryPolicy policy) {
        this.delegate = delegate;
        this.policy = policy;
    }

    @Override
    public void put(String key, byte[] data) {
        policy.run("put " + key, () -> {
            delegate.put(key, data);
            return null;
        });
    }

    @Override
    public void put(String key, Path file) {
        policy.run("put " + key, () -> {
            delegate.put(key, file);
            return null;
        });
    }

    @Override
    public void put(String key, InputStream data, long length) {
        delegate.put(key, data, length);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        boolean[] failedBefore = {false};
        return policy.run("putIfAbsent " + key, () -> {
            try {
                if (delegate.putIfAbsent(key, data)) {
                    return true;
                }
            } catch (ObjectStoreException e) {
                if (!e.isPermanent()) {
                    failedBefore[0] = true;
                }
                throw e;
            }
            return failedBefore[0] && Arrays.equals(delegate.get(key), data);
        });
    }

    @Override
    public byte[] get(String key) {
        return policy.run("get " + key, () -> delegate.get(key));
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        return policy.run("get " + key + " [" + offset + ", +" + length + ")", () -> delegate.getRange(key, offset, length));
    }

    @Override
    public Optional<ObjectInfo> head(String key) {
        return policy.run("head " + key, () -> delegate.head(key));
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        return policy.run("list " + prefix, () -> delegate.list(prefix));
    }

    @Override
    public void delete(String key) {
        policy.run("delete " + key, () -> {
            delegate.delete(key);
            return null;
        });
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
