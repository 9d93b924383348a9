package dev.argon.storage.object;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * An object store in the heap, for tests: a sorted map from key to a private copy of the bytes. A put builds
 * the whole copy before it becomes visible, so a failing stream leaves nothing behind.
 *
 * <p>Thread-safe (a concurrent map; each value is never changed after it is stored).
 */
public final class MemoryStore implements ObjectStore {

    private final ConcurrentSkipListMap<String, byte[]> objects = new ConcurrentSkipListMap<>();
    // When each object was last written (for an archive GC's grace period); written after the object, removed with it.
    private final ConcurrentSkipListMap<String, Long> written = new ConcurrentSkipListMap<>();

    @Override
    public void put(String key, byte[] data) {
        objects.put(ObjectKeys.check(key), data.clone());
        touch(key);
    }

    @Override
    public void put(String key, Path file) {
        ObjectKeys.check(key);
        try {
            objects.put(key, Files.readAllBytes(file));
            touch(key);
        } catch (IOException e) {
            throw new ObjectStoreException(ObjectStoreException.Kind.FAILED, key,
                    "cannot read " + file + " to store it as " + key + ": " + e, e);
        }
    }

    @Override
    public void put(String key, InputStream data, long length) {
        ObjectKeys.check(key);
        objects.put(key, Streams.readExactly(key, data, length));
        touch(key);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        boolean created = objects.putIfAbsent(ObjectKeys.check(key), data.clone()) == null;
        if (created) {
            touch(key);
        }
        return created;
    }

    @Override
    public byte[] get(String key) {
        return found(key).clone();
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        Streams.checkRange(key, offset, length);
        byte[] data = found(key);
        if (offset >= data.length) {
            return new byte[0];
        }
        int from = (int) offset;
        return Arrays.copyOfRange(data, from, (int) Math.min(data.length, (long) from + length));
    }

    @Override
    public Optional<ObjectInfo> head(String key) {
        byte[] data = objects.get(ObjectKeys.check(key));
        return data == null ? Optional.empty() : Optional.of(new ObjectInfo(key, data.length, written.getOrDefault(key, 0L)));
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        ObjectKeys.checkPrefix(prefix);
        List<ObjectInfo> out = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : objects.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            out.add(new ObjectInfo(e.getKey(), e.getValue().length, written.getOrDefault(e.getKey(), 0L)));
        }
        return out;
    }

    @Override
    public void delete(String key) {
        objects.remove(ObjectKeys.check(key));
        written.remove(key);
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public void close() {
        objects.clear();
        written.clear();
    }

    private void touch(String key) {
        written.put(key, System.currentTimeMillis());
    }

    private byte[] found(String key) {
        byte[] data = objects.get(ObjectKeys.check(key));
        if (data == null) {
            throw Streams.notFound(this, key);
        }
        return data;
    }
}
