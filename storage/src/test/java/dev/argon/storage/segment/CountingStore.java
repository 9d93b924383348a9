package dev.argon.storage.segment;

import dev.argon.storage.object.ObjectInfo;
import dev.argon.storage.object.ObjectStore;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Passes every call to a store and counts the reads a segment reader makes. Thread-safe. */
final class CountingStore implements ObjectStore {

    private final ObjectStore delegate;
    final AtomicInteger heads = new AtomicInteger();
    final AtomicInteger rangedReads = new AtomicInteger();
    final AtomicInteger wholeReads = new AtomicInteger();

    CountingStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    int reads() {
        return heads.get() + rangedReads.get() + wholeReads.get();
    }

    @Override
    public void put(String key, byte[] data) {
        delegate.put(key, data);
    }

    @Override
    public void put(String key, Path file) {
        delegate.put(key, file);
    }

    @Override
    public void put(String key, InputStream data, long length) {
        delegate.put(key, data, length);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        return delegate.putIfAbsent(key, data);
    }

    @Override
    public byte[] get(String key) {
        wholeReads.incrementAndGet();
        return delegate.get(key);
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        rangedReads.incrementAndGet();
        return delegate.getRange(key, offset, length);
    }

    @Override
    public Optional<ObjectInfo> head(String key) {
        heads.incrementAndGet();
        return delegate.head(key);
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public void delete(String key) {
        delegate.delete(key);
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
