package dev.argon.wal.archive;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Runs a producer on a thread of its own and hands what it makes to the consumer's thread in batches through a
 * bounded queue, so that reading, checking and decompressing segments overlaps with loading them. Memory is
 * bounded by {@code queueBatches + 2} batches. A failure of the producer is thrown, as is, by the consumer's next
 * {@link #hasNext()}; {@link #close()} stops a producer the consumer no longer wants.
 *
 * <p>One consumer thread; the producer's thread is internal.
 *
 * @param <T> what is handed over
 */
final class Prefetch<T> implements Iterator<T>, AutoCloseable {

    /** Thrown inside the producer when the consumer closed the prefetch: it stops there. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    private record Batch<T>(List<T> items, RuntimeException failure, boolean last) {
    }

    private final BlockingQueue<Batch<T>> queue;
    private final int batchSize;
    private final Thread thread;
    private volatile boolean closed;
    private Iterator<T> current;
    private boolean ended;

    /**
     * @param producer called once on the prefetch thread with a sink to hand each item to
     */
    Prefetch(String name, int batchSize, int queueBatches, Consumer<Consumer<T>> producer) {
        this.batchSize = batchSize;
        this.queue = new ArrayBlockingQueue<>(queueBatches);
        this.thread = new Thread(() -> produce(producer), name);
        thread.setDaemon(true);
        thread.start();
    }

    private void produce(Consumer<Consumer<T>> producer) {
        List<T>[] batch = new List[] {new ArrayList<T>(batchSize)};
        try {
            producer.accept(item -> {
                batch[0].add(item);
                if (batch[0].size() >= batchSize) {
                    hand(new Batch<>(batch[0], null, false));
                    batch[0] = new ArrayList<>(batchSize);
                }
            });
            hand(new Batch<>(batch[0], null, true));
        } catch (Stopped s) {
            // the consumer is gone
        } catch (RuntimeException e) {
            try {
                hand(new Batch<>(List.of(), e, true));
            } catch (Stopped s) {
                // the consumer is gone
            }
        } catch (Error e) {
            try {
                hand(new Batch<>(List.of(), new IllegalStateException(e.toString(), e), true));
            } catch (Stopped s) {
                // the consumer is gone
            }
        }
    }

    private void hand(Batch<T> b) {
        try {
            while (!closed) {
                if (queue.offer(b, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new Stopped();
    }

    @Override
    public boolean hasNext() {
        while (current == null || !current.hasNext()) {
            if (ended) {
                return false;
            }
            Batch<T> b;
            try {
                b = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + thread.getName(), e);
            }
            if (b.failure() != null) {
                ended = true;
                throw b.failure();
            }
            ended = b.last();
            current = b.items().iterator();
        }
        return true;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }

    /** Stops the producer (if still running) and waits for it. */
    @Override
    public void close() {
        closed = true;
        queue.clear();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
