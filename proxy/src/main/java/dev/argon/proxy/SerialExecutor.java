package dev.argon.proxy;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: a connection's commands must not overtake one
 * another (a driver may send several {@code moreToCome} writes back to back and then a read that must see them),
 * yet different connections run in parallel. At most one pool thread works for this executor at a time, and it
 * keeps draining while tasks arrive.
 *
 * <p>A task whose reply is not ready when it returns (an awaitable {@code hello}) calls {@link #suspend()}: the
 * tasks behind it then wait, without holding a pool thread, until the returned handle is run. Thread-safe.
 */
final class SerialExecutor implements Executor {
    private final Executor pool;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Set while a pool thread drains, or while the executor is suspended; whoever sets it owns the draining. */
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** The suspension asked for by the task now running; touched only by the draining thread. */
    private Suspension suspension;

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    /** @throws RejectedExecutionException if the pool is shut down and the task could not be started */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    /**
     * True when no task is queued, running or suspended, so everything submitted before has returned. Exact only
     * for the one thread that submits (a connection's event loop): others may see a stale answer.
     */
    boolean idle() {
        return !scheduled.get() && tasks.isEmpty();
    }

    /**
     * Called by the running task: once it returns, the next tasks wait until the returned handle is run (from any
     * thread, at any time, even before the task returns; running it again does nothing).
     *
     * @throws IllegalStateException if the running task already suspended this executor
     */
    Runnable suspend() {
        if (suspension != null) {
            throw new IllegalStateException("already suspended");
        }
        Suspension s = new Suspension();
        suspension = s;
        return s::resume;
    }

    /**
     * Called by the submitting thread while the executor is {@link #idle()}, for work it ran itself whose reply is
     * not out yet (a journaled write run on the event loop): tasks submitted from now on wait, without a pool
     * thread, until the returned handle is run (from any thread; running it again does nothing).
     *
     * @throws IllegalStateException if the executor is not idle
     */
    Runnable hold() {
        if (!scheduled.compareAndSet(false, true)) {
            throw new IllegalStateException("not idle");
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                restart();
            }
        };
    }

    private void schedule() {
        if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                tasks.clear();
                throw e;
            }
        }
    }

    private void drain() {
        boolean parked = false;
        try {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                Suspension s;
                try {
                    task.run();
                } finally {
                    s = suspension;
                    suspension = null;
                }
                if (s != null && s.park()) {
                    // The owner of the suspension restarts draining; until then 'scheduled' stays set.
                    parked = true;
                    return;
                }
            }
        } finally {
            if (!parked) {
                scheduled.set(false);
                // A task added between the last poll and the reset above found the flag still set and did not schedule.
                try {
                    schedule();
                } catch (RejectedExecutionException e) {
                    // The pool is shutting down with the server; the dropped tasks' connections are being closed.
                }
            }
        }
    }

    /**
     * Drains again after a suspension, still owning 'scheduled'. With nothing queued it lets go instead of handing
     * an empty drain to a pool thread (a reply that waited for its fsync usually has nothing behind it).
     */
    private void restart() {
        if (tasks.isEmpty()) {
            scheduled.set(false);
            // A task added between the check and the reset found the flag still set and did not schedule.
            try {
                schedule();
            } catch (RejectedExecutionException e) {
                // The server is shutting down: nothing more of this connection will run.
            }
            return;
        }
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // The server is shutting down: nothing more of this connection will run.
            tasks.clear();
            scheduled.set(false);
        }
    }

    /**
     * A rendezvous of two parties, the draining thread (park) and the resumer (resume): whichever comes second
     * continues draining, so a resume that races the end of its task is never lost.
     */
    private final class Suspension {
        private final AtomicBoolean first = new AtomicBoolean();
        private final AtomicBoolean resumed = new AtomicBoolean();

        /** True if draining stops here; false if already resumed, and the drain goes on. */
        boolean park() {
            return first.compareAndSet(false, true);
        }

        void resume() {
            if (resumed.compareAndSet(false, true) && !first.compareAndSet(false, true)) {
                restart();
            }
        }
    }
}
