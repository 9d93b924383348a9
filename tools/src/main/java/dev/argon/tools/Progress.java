package dev.argon.tools;

import java.util.function.Supplier;

/**
 * An indeterminate progress line on stderr for work that takes longer than a second (a large merge or
 * diff is one server round trip, so elapsed time is the honest measure). Silent when stderr is not a
 * terminal.
 */
final class Progress {
    private static final String FRAMES = "|/-\\";

    private Progress() {}

    static <T> T around(String what, Supplier<T> work) {
        if (System.console() == null) {
            return work.get();
        }
        long start = System.nanoTime();
        Thread ticker = new Thread(() -> {
            try {
                Thread.sleep(1000);
                for (int i = 0; ; i++) {
                    double s = (System.nanoTime() - start) / 1e9;
                    System.err.printf("\r%c %s %.1fs", FRAMES.charAt(i % 4), what, s);
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                // done
            }
        }, "argon-progress");
        ticker.setDaemon(true);
        ticker.start();
        try {
            return work.get();
        } finally {
            ticker.interrupt();
            try {
                ticker.join(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if ((System.nanoTime() - start) > 1_000_000_000L) {
                System.err.print("\r" + " ".repeat(what.length() + 12) + "\r");
            }
        }
    }
}
