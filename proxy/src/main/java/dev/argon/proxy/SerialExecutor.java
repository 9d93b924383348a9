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
 * keeps draining while tasks arrive. Thread-safe.
 */
final class SerialExecutor implements Executor {
    private final Executor pool;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    /** @throws RejectedExecutionException if the pool is shut down and the task could not be started */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
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
        try {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
            }
        } finally {
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
