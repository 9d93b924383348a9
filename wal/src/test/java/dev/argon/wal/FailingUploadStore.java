package dev.argon.wal;

import dev.argon.storage.object.ObjectInfo;
import dev.argon.storage.object.ObjectStore;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Wraps a store so that its file uploads (how a backup stores segments) die after a number of them: an upload cut
 * off midway, leaving the segments stored before it and no manifest. Thread-safe as the wrapped store is, apart
 * from the counter, which a test sets between backups.
 */
final class FailingUploadStore implements ObjectStore {
    private final ObjectStore m;
    volatile int failAfterPuts = Integer.MAX_VALUE;

    FailingUploadStore(ObjectStore delegate) {
        this.m = delegate;
    }

    @Override
    public void put(String key, Path file) {
        if (failAfterPuts-- <= 0) {
            throw new IllegalStateException("injected: the upload of " + key + " died");
        }
        m.put(key, file);
    }

    @Override
    public void put(String key, byte[] data) {
        m.put(key, data);
    }

    @Override
    public void put(String key, InputStream data, long length) {
        m.put(key, data, length);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        return m.putIfAbsent(key, data);
    }

    @Override
    public byte[] get(String key) {
        return m.get(key);
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        return m.getRange(key, offset, length);
    }

    @Override
    public Optional<ObjectInfo> head(String key) {
        return m.head(key);
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        return m.list(prefix);
    }

    @Override
    public void delete(String key) {
        m.delete(key);
    }

    @Override
    public String describe() {
        return "failing " + m.describe();
    }

    @Override
    public void close() {
        m.close();
    }
}
