package dev.argon.engine.command;

import java.util.concurrent.TimeUnit;

/**
 * Counts the commands running in the engine and closes the door on shutdown: once {@link #beginShutdown()} is
 * called, {@link #enter()} refuses (the dispatcher answers 91 ShutdownInProgress, which drivers retry) and
 * {@link #awaitIdle} waits for the commands already inside to finish. Thread-safe.
 */
public final class CommandGate {
    private int inFlight;
    private boolean closing;

    /** Admits one command; false once shutdown has begun. */
    public synchronized boolean enter() {
        if (closing) {
            return false;
        }
        inFlight++;
        return true;
    }

    public synchronized void exit() {
        if (--inFlight == 0) {
            notifyAll();
        }
    }

    public synchronized void beginShutdown() {
        closing = true;
    }

    public synchronized boolean closing() {
        return closing;
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    /** Waits until no command is running or the timeout passes; returns how many still run. */
    public synchronized int awaitIdle(long timeout, TimeUnit unit) {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (inFlight > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return inFlight;
    }
}
