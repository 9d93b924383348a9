package dev.argon.tools;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the in-process servers' log lines out of a benchmark report, which goes to the same stdout. Argon's own
 * warnings and errors still show. mongo-java-server is silenced entirely: it logs every unknown command (the
 * harness's capability probe) at ERROR with a stack trace; its real failures still reach the report, as
 * operation errors seen by the driver.
 */
final class BenchLogging {
    private BenchLogging() {}

    static void quiet() {
        set("dev.argon", Level.WARN);
        set("de.bwaldvogel", Level.OFF);
        set("org.h2", Level.WARN);
    }

    private static void set(String name, Level level) {
        if (LoggerFactory.getLogger(name) instanceof Logger l) {
            l.setLevel(level);
        }
    }
}
