package dev.argon.wal;

/** A refused branch operation, with a kind a caller can map to an error code. */
public final class BranchException extends RuntimeException {
    /** Why the operation was refused. */
    public enum Kind {
        INVALID_NAME, EXISTS, NOT_FOUND, PROTECTED, HAS_CHILDREN,
        /** A commit addressed a branch id that a drop or reset retired while the write was being prepared. */
        RETIRED,
        /**
         * The point asked for is history that is gone: below the history horizon ({@code --history-retention}),
         * or in a range the GC reclaimed because no name could reach it any more ({@link Reclaimer}).
         */
        HISTORY_GONE
    }

    private final Kind kind;

    public BranchException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
