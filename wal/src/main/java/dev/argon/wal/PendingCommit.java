package dev.argon.wal;

/**
 * A commit queued for the group commit but not necessarily written yet ({@link VersionStore#enqueue}). Its place
 * in the queue, and so its LSN range, is fixed when it is queued; {@link #await()} returns once a leader has
 * written it (leading the group itself when its turn comes). The thread that queued it must call {@link #await()}
 * or {@link #detach}: a request whose turn to lead has come holds up the queue until its thread takes it. Thread-safe.
 */
public final class PendingCommit {
    private final CommitWriter writer;
    final GroupCommit.Member member;

    PendingCommit(CommitWriter writer, GroupCommit.Member member) {
        this.writer = writer;
        this.member = member;
    }

    /**
     * Waits until the commit is written, leading its group when this request reaches the head of an idle queue,
     * and returns its LSN range; throws what made it fail (its own refusal, a failed group write, or the failure
     * of the commit it was built on). Call once, from the thread that queued it.
     */
    public CommitResult await() {
        return writer.await(member);
    }

    /**
     * Waits, without ever leading, until the commit is written or has failed; returns the failure, or null once
     * it is written and its branch head has moved. Any thread may call it, once the queuing thread is on its way
     * to {@link #await()}.
     */
    public RuntimeException awaitOutcome() {
        return member.awaitDone();
    }

    /**
     * Instead of {@link #await()}: the queuing thread goes on without waiting, the WAL's writer thread leads the
     * commit's group when its turn comes, and {@code done} gets the LSN range (or null and the reason it failed)
     * once it is written, with its branch head moved. {@code done} runs on the thread that wrote the group (or at
     * once on this one, if that already happened), so it must be short and must not wait for another commit.
     * No fsync is awaited: a journaled caller asks {@link VersionStore#whenDurable} with the end LSN. Call once,
     * from the thread that queued it.
     */
    public void detach(java.util.function.BiConsumer<CommitResult, RuntimeException> done) {
        member.detach(m -> {
            RuntimeException failure = m.failure();
            done.accept(failure == null ? m.result() : null, failure);
        });
    }

    /** True once the commit is written or has failed (its head, if written, has moved). */
    public boolean done() {
        return member.isDone();
    }
}
