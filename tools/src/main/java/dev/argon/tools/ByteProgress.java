package dev.argon.tools;

import java.io.PrintStream;

/**
 * A progress bar for work measured in bytes: done of total, rate and ETA, redrawn in place on stderr at most
 * every 200 ms. Silent when stderr is not a terminal (scripts, tests) unless forced. Not thread-safe: one thread
 * updates it.
 */
final class ByteProgress {
    private static final int WIDTH = 30;

    private final String what;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    ByteProgress(String what, boolean visible) {
        this.what = what;
        this.out = visible ? System.err : null;
    }

    static ByteProgress onTerminal(String what) {
        return new ByteProgress(what, System.console() != null);
    }

    void update(long done, long total) {
        if (out == null) {
            return;
        }
        long now = System.nanoTime();
        if (drawn && now - lastDraw < 200_000_000L && done < total) {
            return;
        }
        lastDraw = now;
        drawn = true;
        out.print("\r" + line(done, total, (now - start) / 1e9));
        out.flush();
    }

    void finish() {
        if (out != null && drawn) {
            out.print("\r" + " ".repeat(100) + "\r");
            out.flush();
        }
    }

    /** The bar's text: {@code backup [#####.....] 12.0 MB / 24.0 MB  80.0 MB/s  ETA 1s}. */
    String line(long done, long total, double seconds) {
        long t = Math.max(total, Math.max(done, 1));
        int filled = (int) (WIDTH * done / t);
        double rate = seconds > 0 ? done / seconds : 0;
        String eta = rate > 0 && done < t ? eta((long) ((t - done) / rate)) : "-";
        return String.format("%s [%s%s] %s / %s  %s/s  ETA %s", what, "#".repeat(filled), ".".repeat(WIDTH - filled),
                mb(done), mb(t), mb((long) rate), eta);
    }

    private static String eta(long seconds) {
        return seconds >= 3600 ? seconds / 3600 + "h" + (seconds % 3600) / 60 + "m"
                : seconds >= 60 ? seconds / 60 + "m" + seconds % 60 + "s" : seconds + "s";
    }

    static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }
}
