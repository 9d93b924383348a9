package dev.argon.engine.command;

import dev.argon.wal.CommitResult;
import java.util.function.BiConsumer;

/**
 * The outcome of a command's detached commit ({@code WriteSession.commitDetached}), which the WAL's writer thread
 * finishes after the command has returned its reply: the reply goes out only from {@link #then}, once the commit
 * is written (or with the error it failed with). Whichever comes first, the outcome or the continuation, the
 * other runs it; exactly once. Thread-safe.
 */
public final class AfterCommit {
    private final boolean journaled;
    private boolean done;
    private CommitResult result;
    private RuntimeException failure;
    private BiConsumer<CommitResult, RuntimeException> then;

    AfterCommit(boolean journaled) {
        this.journaled = journaled;
    }

    /** Whether the reply must also wait for the commit's fsync ({@code j: true}). */
    boolean journaled() {
        return journaled;
    }

    /** The commit is written ({@code r}) or failed ({@code e}); runs the continuation if one is waiting. */
    void finished(CommitResult r, RuntimeException e) {
        BiConsumer<CommitResult, RuntimeException> next;
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            result = r;
            failure = e;
            next = then;
        }
        if (next != null) {
            next.accept(r, e);
        }
    }

    /** Runs {@code next} with the outcome: at once, on this thread, if it is known, else on the thread that learns it. */
    void then(BiConsumer<CommitResult, RuntimeException> next) {
        boolean now;
        synchronized (this) {
            now = done;
            if (!now) {
                then = next;
            }
        }
        if (now) {
            next.accept(result, failure);
        }
    }
}
