package dev.argon.wal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The queue of group commit, leader and followers (as RocksDB's own write thread and Neon's batching): a
 * committer that reaches an idle queue becomes the leader; later ones wait behind it. The leader takes every
 * request waiting (up to a bound), {@link Wal} writes them in one RocksDB write, completes each member, and
 * the leader hands the queue to the first request still waiting, which leads the next group. So at any time
 * at most one thread writes commits, and requests leave the queue in arrival order: LSN order is queue order.
 *
 * <p>A request may be <em>detached</em> ({@link Member#detach}): its thread does not wait for it, and when its
 * turn to lead comes, the writer's own thread leads in its place ({@code detachedLeader}); its callback runs once
 * it is written or failed. So an event loop can queue a small commit and go on reading other connections, and the
 * commits of every event loop that arrive while one group is written form the next group.
 *
 * <p>This class only orders and hands over; building and writing the batch is {@link Wal}'s. Thread-safe.
 */
final class GroupCommit {
    /**
     * Most requests in one group. Engine commits are usually one document each; 512 of them is far more than
     * the clients a 2-core machine serves at once, so in practice the byte bound or an idle queue ends a group.
     * The bound exists so that a leader's own reply is never delayed by an unbounded stream of followers.
     */
    static final int MAX_GROUP_REQUESTS = 512;
    /**
     * Most estimated bytes in one group (a single larger request still forms a group of its own). Matches
     * {@link WalHealth}'s free-space check interval of 4 MiB written, so that one group cannot write far past
     * the disk reserve between two checks, and keeps a group's batch memory small.
     */
    static final long MAX_GROUP_BYTES = 4L << 20;

    private final ArrayDeque<Member> queue = new ArrayDeque<>();
    /** Leads a group for a detached member whose turn has come (its own thread is not waiting); must not block. */
    private final java.util.function.Consumer<Member> detachedLeader;
    /** True while a member has been made leader and has not handed off yet. */
    private boolean leaderActive;
    private long groups;
    private long commits;
    private long full;
    private long idle;

    GroupCommit(java.util.function.Consumer<Member> detachedLeader) {
        this.detachedLeader = detachedLeader;
    }

    /** Queues a request; the returned member is already the leader if the queue was idle. */
    Member enqueue(CommitRequest request) {
        return enqueue(request, null);
    }

    /** Queues a chunk or the publishing batch of a {@link StagedCommit} (part null: an ordinary commit). */
    Member enqueue(CommitRequest request, StagedCommit.Part part) {
        return enqueue(request, part, null);
    }

    /**
     * Queues a request built on {@code after}, an earlier request of the same branch that may still be queued
     * (null: none): when that one fails, this one fails too, unwritten, since what it read never happened.
     */
    Member enqueue(CommitRequest request, StagedCommit.Part part, Member after) {
        Member m = new Member(request, estimate(request), part, after, detachedLeader);
        synchronized (this) {
            queue.addLast(m);
            if (!leaderActive) {
                leaderActive = true;
                m.promote();
            }
        }
        return m;
    }

    /**
     * Takes the leader's group: the leader itself (always first: it is the queue's head) and the requests
     * behind it, in queue order, up to the bounds; counts why it stopped.
     */
    synchronized List<Member> takeGroup() {
        List<Member> group = new ArrayList<>();
        long bytes = 0;
        while (!queue.isEmpty()) {
            Member next = queue.peekFirst();
            if (!group.isEmpty() && (group.size() >= MAX_GROUP_REQUESTS || bytes + next.bytes > MAX_GROUP_BYTES)) {
                full++;
                return group;
            }
            group.add(queue.pollFirst());
            bytes += next.bytes;
        }
        idle++;
        return group;
    }

    /** Counts a group written in one RocksDB write with n commits. */
    synchronized void written(int n) {
        groups++;
        commits += n;
    }

    /** Called by the leader once its group is complete: the next waiter, if any, leads the next group. */
    synchronized void handOff() {
        Member next = queue.peekFirst();
        if (next == null) {
            leaderActive = false;
            notifyAll();
        } else {
            next.promote();
        }
    }

    /**
     * Waits (at most {@code millis}) until no request is queued and no leader is writing: every request queued so
     * far is finished and its callback has run. For closing the WAL after detached requests, which no thread of
     * their own waits for.
     */
    synchronized void awaitIdle(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        boolean interrupted = false;
        while (leaderActive || !queue.isEmpty()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Requests waiting for a leader (tests use it to know that a group has formed). */
    synchronized int waiting() {
        return queue.size();
    }

    synchronized GroupCommitStats stats() {
        return new GroupCommitStats(groups, commits, full, idle);
    }

    /**
     * Bytes a request adds to a batch, roughly: each key and payload goes to the versions; a log entry names its
     * document's key, and only an entry with inline images repeats its payloads in the log.
     */
    private static long estimate(CommitRequest r) {
        long bytes = 64;
        for (LogEntry e : r.entries()) {
            bytes += 64;
            int copies = e.images() == LogEntry.Images.INLINE ? 2 : 1;
            for (KeyWrite w : e.writes()) {
                bytes += 2L * w.userKey().length + (w.payload() == null ? 0 : (long) copies * w.payload().length);
            }
        }
        for (KeyWrite m : r.metaWrites()) {
            bytes += m.userKey().length + (m.payload() == null ? 0 : m.payload().length);
        }
        return bytes;
    }

    /**
     * One queued request and its outcome. The leader fills it in; its own thread waits in
     * {@link #awaitTurn()} until it is complete or made leader. Thread-safe.
     */
    static final class Member {
        private final CommitRequest request;
        private final long bytes;
        private final StagedCommit.Part part;
        /** The queued request of the same branch this one was built on, or null. */
        private final Member after;
        private final java.util.function.Consumer<Member> detachedLeader;
        private boolean lead;
        private boolean done;
        private CommitResult result;
        private RuntimeException failure;
        private long seq;
        /** Set by {@link #detach}: no thread waits for this request; the callback runs when it is finished. */
        private java.util.function.Consumer<Member> onDone;
        /** True once the callback was taken to run (it runs exactly once). */
        private boolean callbackTaken;

        private Member(CommitRequest request, long bytes, StagedCommit.Part part, Member after,
                       java.util.function.Consumer<Member> detachedLeader) {
            this.request = request;
            this.bytes = bytes;
            this.part = part;
            this.after = after;
            this.detachedLeader = detachedLeader;
        }

        /** The request this one was built on (null: none). */
        Member after() {
            return after;
        }

        CommitRequest request() {
            return request;
        }

        /** Null for an ordinary commit; else what this request is of a streamed commit. */
        StagedCommit.Part part() {
            return part;
        }

        /** Makes this request the leader: wakes its thread, or for a detached one hands it to the writer's thread. */
        private void promote() {
            boolean handOver;
            synchronized (this) {
                lead = true;
                notifyAll();
                handOver = onDone != null;
            }
            if (handOver) {
                detachedLeader.accept(this);
            }
        }

        /**
         * Detaches the request from its thread, which will not wait for it: the writer's thread leads its group if
         * its turn comes, and {@code done} runs once it is written or failed, on the thread that finished it (at
         * once, on this one, if it already is). Call at most once, instead of waiting, from the thread that queued it.
         */
        void detach(java.util.function.Consumer<Member> done) {
            boolean runNow;
            boolean handOver = false;
            synchronized (this) {
                runNow = this.done;
                onDone = done;
                if (runNow) {
                    callbackTaken = true;
                } else {
                    handOver = lead;
                }
            }
            if (runNow) {
                done.accept(this);
            } else if (handOver) {
                detachedLeader.accept(this);
            }
        }


        /**
         * Waits until this request is written (or refused) by a leader, or until it becomes the leader itself;
         * returns true in the second case. Not interruptible: once queued, a leader may already be writing the
         * request, so walking away would leave the caller not knowing whether it committed. The interrupt is
         * kept for the caller.
         */
        synchronized boolean awaitTurn() {
            boolean interrupted = false;
            while (!done && !lead) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return !done;
        }

        /** The leader gave this request its LSN range; it is complete once the batch is written. */
        synchronized void assign(CommitResult r) {
            this.result = r;
        }

        /**
         * The batch holding this request is written; seq is the write's position for the fsync. Runs a detached
         * request's callback: call without the commit lock.
         */
        void complete(long writeSeq) {
            synchronized (this) {
                this.seq = writeSeq;
                this.done = true;
                notifyAll();
            }
            runCallback();
        }

        /**
         * This request alone is refused (retired branch id, no entries); nothing of it was written. A detached
         * request's callback does not run here (this is called under the commit lock, and a callback takes other
         * locks): the leader runs it with {@link #runCallback()} once it has released the lock.
         */
        void fail(RuntimeException e) {
            synchronized (this) {
                if (done) {
                    return;
                }
                this.failure = e;
                this.result = null;
                this.done = true;
                notifyAll();
            }
        }

        /** The group failed as a whole (its write failed): fails this request unless it already finished. */
        void failIfPending(RuntimeException e) {
            fail(e);
        }

        /**
         * Runs a detached request's callback if it is finished and the callback has not run yet; outside this
         * member's monitor and without the commit lock. One callback failing, even with an Error, must not keep
         * the rest of the group from their outcomes.
         */
        void runCallback() {
            java.util.function.Consumer<Member> callback;
            synchronized (this) {
                if (!done || onDone == null || callbackTaken) {
                    return;
                }
                callbackTaken = true;
                callback = onDone;
            }
            try {
                callback.accept(this);
            } catch (Throwable t) {
                org.slf4j.LoggerFactory.getLogger(GroupCommit.class).error("a detached commit's callback failed", t);
            }
        }

        /** The commit's LSN range, or the reason it failed. Call after {@link #awaitTurn()} and the leader's work. */
        synchronized CommitResult result() {
            if (!done) {
                throw new IllegalStateException("a group member was left without an outcome");
            }
            if (failure != null) {
                throw failure;
            }
            return result;
        }

        /** Waits, never leading, until this request is written or failed; returns the failure or null. */
        synchronized RuntimeException awaitDone() {
            boolean interrupted = false;
            while (!done) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return failure;
        }

        synchronized boolean isDone() {
            return done;
        }

        /** The failure of a finished request, or null (also while it is not finished). */
        synchronized RuntimeException failure() {
            return failure;
        }

        synchronized long seq() {
            return seq;
        }
    }
}
