package dev.argon.storage.object;

/**
 * What a store knows about one object without reading it.
 *
 * @param key  the object's key, as given to the store
 * @param size its length in bytes
 */
public record ObjectInfo(String key, long size) {
}
