package dev.argon.wal;

/**
 * A data directory opened with a tier other than the one its tier catalog records while the catalog lists
 * segments: the stubs in {@code versions} stand for versions only the recorded store holds, so opening it would
 * make that history unreachable. A configuration error of the caller ({@code argon serve --tier}), not damage.
 */
public final class TierMismatchException extends IllegalArgumentException {
    public TierMismatchException(String message) {
        super(message);
    }
}
