package dev.argon.storage.manifest;

/**
 * A manifest that cannot be read: damaged, truncated, of another format version, or not a manifest. Carries
 * the object key it was read from. Immutable, so thread-safe.
 */
public final class ManifestFormatException extends RuntimeException {
    private final String key;

    public ManifestFormatException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The object key of the manifest, or null when it was decoded from bytes alone. */
    public String key() {
        return key;
    }
}
