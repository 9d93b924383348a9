package dev.argon.bench.harness;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * The live progress line on stderr. On a terminal it is rewritten in place twice a second; otherwise (CI logs,
 * tests) a line is printed every {@link #LOG_INTERVAL_MS} ms, so a long run shows it is alive without flooding
 * the log. Thread-safe: one line is shown at a time, updated from a daemon thread.
 */
final class ProgressLine {
    private static final long TERMINAL_INTERVAL_MS = 500;
    private static final long LOG_INTERVAL_MS = 10_000;

    private final PrintStream out;
    private final boolean terminal;
    private Thread ticker;
    private int shownWidth;

    ProgressLine(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Starts showing what text supplies until {@link #stop()}. */
    synchronized void show(Supplier<String> text) {
        stop();
        long interval = terminal ? TERMINAL_INTERVAL_MS : LOG_INTERVAL_MS;
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(interval);
                    print(text.get());
                }
            } catch (InterruptedException e) {
                // stopped
            }
        }, "argon-bench-progress");
        t.setDaemon(true);
        ticker = t;
        t.start();
    }

    private synchronized void print(String line) {
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, shownWidth - line.length())));
            shownWidth = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Stops the live line and clears it. */
    synchronized void stop() {
        if (ticker != null) {
            ticker.interrupt();
            try {
                ticker.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ticker = null;
        }
        if (terminal && shownWidth > 0) {
            out.print("\r" + " ".repeat(shownWidth) + "\r");
            out.flush();
            shownWidth = 0;
        }
    }

    /** A permanent line (a finished step), printed under the live line's position. */
    synchronized void line(String text) {
        if (terminal && shownWidth > 0) {
            out.print("\r" + " ".repeat(shownWidth) + "\r");
            shownWidth = 0;
        }
        out.println(text);
        out.flush();
    }
}
