package dev.argon.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Live counters reported by {@code serverStatus}: connections (maintained by the wire layer), operation
 * counters and network bytes. Thread-safe.
 */
public final class ServerStats {
    public final long startNanos = System.nanoTime();
    public final long startMillis = System.currentTimeMillis();
    public final AtomicLong connectionsCurrent = new AtomicLong();
    public final AtomicLong connectionsTotal = new AtomicLong();
    public final AtomicLong opInsert = new AtomicLong();
    public final AtomicLong opQuery = new AtomicLong();
    public final AtomicLong opUpdate = new AtomicLong();
    public final AtomicLong opDelete = new AtomicLong();
    public final AtomicLong opGetMore = new AtomicLong();
    public final AtomicLong opCommand = new AtomicLong();
    public final AtomicLong bytesIn = new AtomicLong();
    public final AtomicLong bytesOut = new AtomicLong();
    public final AtomicLong requests = new AtomicLong();
    /** Commands run on the wire layer's own thread ({@link dev.argon.engine.command.CommandService#quick}). */
    public final AtomicLong quickCommands = new AtomicLong();
    /** Quick writes that found their branch locked by a longer write and ran on the command pool instead. */
    public final AtomicLong quickFallbacks = new AtomicLong();
    /** Replies that waited for their fsync without a thread (journaled writes, {@code j: true}). */
    public final AtomicLong deferredDurableReplies = new AtomicLong();
}
