package dev.argon.storage.object;

/**
 * What a store knows about one object without reading it.
 *
 * @param key            the object's key, as given to the store
 * @param size           its length in bytes
 * @param modifiedMillis when it was last written, milliseconds since the epoch as the store records it (a file's
 *                       modification time, S3's {@code Last-Modified}), or 0 when unknown; an archive GC only deletes
 *                       an unreferenced object older than a grace period by this time
 *
 * <p>Equality is by key and size only: the time is the store's own record, kept at different precisions (S3: whole
 * seconds), so two looks at one object compare equal whichever store gave them. Immutable, so thread-safe.
 */
public record ObjectInfo(String key, long size, long modifiedMillis) {

    /** An object whose modification time is not known. */
    public ObjectInfo(String key, long size) {
        this(key, size, 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectInfo i && key.equals(i.key) && size == i.size;
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Long.hashCode(size);
    }

    @Override
    public String toString() {
        return "ObjectInfo[" + key + ", " + size + " bytes]";
    }
}
