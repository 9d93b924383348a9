package dev.argon.tools;

/** A failure the CLI reports as one line on stderr with a meaningful exit code. */
public final class CliException extends RuntimeException {
    /** The server refused the command. */
    public static final int SERVER = 1;
    /** A bad option value (as picocli's own usage errors). */
    public static final int USAGE = 2;
    /** No server could be reached. */
    public static final int CONNECTION = 3;
    /** {@code fsck} found damage. */
    public static final int DAMAGE = 5;
    /** {@code fsck} could not check the directory (in use, or not a data directory). */
    public static final int CANNOT_CHECK = 6;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
