package dev.argon.storage.object;

/**
 * A failed object-store call. Its {@link Kind} says whether trying again can help ({@link #isPermanent()}),
 * which is what {@link RetryPolicy} acts on; {@link #key()} names the object concerned (null for calls that
 * are not about one object, such as a listing).
 *
 * <p>Immutable, so thread-safe.
 */
public class ObjectStoreException extends RuntimeException {

    /** Why a call failed. */
    public enum Kind {
        /** No object with this key (or no such bucket). */
        NOT_FOUND(true),
        /** The caller's input is unusable: a bad key, a negative range, a stream shorter than announced. */
        INVALID_ARGUMENT(true),
        /** The credentials are missing, wrong or not allowed to do this. */
        ACCESS_DENIED(true),
        /** The service is throttling, overloaded, briefly unreachable or timed out: trying again may work. */
        TRANSIENT(false),
        /** Anything else; not retried (a local I/O error, an unexpected answer of the service). */
        FAILED(true);

        private final boolean permanent;

        Kind(boolean permanent) {
            this.permanent = permanent;
        }

        /** Whether trying the same call again cannot help. */
        public boolean isPermanent() {
            return permanent;
        }
    }

    private final Kind kind;
    private final String key;

    public ObjectStoreException(Kind kind, String key, String message) {
        this(kind, key, message, null);
    }

    public ObjectStoreException(Kind kind, String key, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.key = key;
    }

    public Kind kind() {
        return kind;
    }

    /** The object's key, or null when the call was not about one object. */
    public String key() {
        return key;
    }

    /** Whether trying the same call again cannot help. */
    public boolean isPermanent() {
        return kind.isPermanent();
    }
}
