package dev.argon.storage.object;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A flat store of immutable-by-convention objects named by keys ({@link ObjectKeys} says which keys are
 * valid): a local folder, memory, or an S3 bucket under a prefix.
 *
 * <p>Every write publishes atomically: a reader sees either the whole new object or none (or the old one,
 * for an overwrite), never a partial one, also when the upload fails midway or the process dies. Every
 * failure is an {@link ObjectStoreException} that says whether it is permanent; an implementation does not
 * retry on its own unless it says so ({@link RetryingObjectStore} and the S3 store do, on transient
 * failures only).
 *
 * <p>Implementations are thread-safe.
 */
public interface ObjectStore extends AutoCloseable {

    /** Stores {@code data} under {@code key}, replacing what was there. */
    void put(String key, byte[] data);

    /** Stores the content of a local {@code file} under {@code key}, replacing what was there. */
    void put(String key, Path file);

    /**
     * Stores exactly {@code length} bytes read from {@code data} under {@code key}, replacing what was
     * there. A stream that ends early or fails leaves nothing visible. The stream is read once, so a
     * retrying wrapper cannot replay it: prefer {@link #put(String, Path)} for large, retryable uploads.
     */
    void put(String key, InputStream data, long length);

    /**
     * Stores {@code data} under {@code key} only if no object has that key, atomically with respect to
     * every other writer of this store (a manifest is committed this way, so two writers never both win).
     *
     * @return true if this call created the object, false if one already existed (left unchanged)
     */
    boolean putIfAbsent(String key, byte[] data);

    /** The whole object; {@link ObjectStoreException.Kind#NOT_FOUND} when there is none. */
    byte[] get(String key);

    /**
     * Up to {@code length} bytes of the object from {@code offset} on: fewer at its end, none past it.
     * {@link ObjectStoreException.Kind#NOT_FOUND} when there is no such object.
     */
    byte[] getRange(String key, long offset, int length);

    /** The object's size, or empty when there is none. */
    Optional<ObjectInfo> head(String key);

    /** Every object whose key starts with {@code prefix} (a plain string prefix), sorted by key. */
    List<ObjectInfo> list(String prefix);

    /** Removes the object; removing an absent one is not an error. */
    void delete(String key);

    /** What this store is, for messages (a folder path, {@code s3://bucket/prefix}). */
    String describe();

    /** Releases connections and threads; the store is unusable afterwards. */
    @Override
    void close();
}
