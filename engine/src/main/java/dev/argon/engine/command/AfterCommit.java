package dev.argon.engine.command;

import dev.argon.wal.CommitResult;
import java.util.function.BiConsumer;

/**
 * The outcome of a command's detached commit ({@code WriteSession.commitDetached}), which the WAL's writer thread
 * finishes after the command has returned its reply: the reply goes out only from {@link #then}, once the commit
 * is written (or with the error it failed with). Whichever comes first, the outcome or the continuation, the
 * other runs it; exactly once. The command keeps an entry in the shutdown gate until its reply is handed over
 * ({@link #sent}), so that a stopping server closes its connections only after such replies went out. Thread-safe.
 */
public final class AfterCommit {
    private final boolean journaled;
    /** Runs once the reply has been handed to the wire layer (the command's extra entry in the shutdown gate). */
    private final Runnable sent;
    private final java.util.concurrent.atomic.AtomicBoolean sentOnce = new java.util.concurrent.atomic.AtomicBoolean();
    private boolean done;
    private CommitResult result;
    private RuntimeException failure;
    private BiConsumer<CommitResult, RuntimeException> then;

    AfterCommit(boolean journaled, Runnable sent) {
        this.journaled = journaled;
        this.sent = sent;
    }

    /** The reply went to the wire layer (or could not): releases what the command held until then, once. */
    void sent() {
        if (sentOnce.compareAndSet(false, true)) {
            sent.run();
        }
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
