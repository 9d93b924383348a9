package dev.argon.proxy.wire;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Keeps test output readable: drivers and Netty log a lot at the default DEBUG level. */
final class TestLogging {
    private TestLogging() {
    }

    static void quiet() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
        ((Logger) LoggerFactory.getLogger("org.mongodb.driver")).setLevel(Level.WARN);
    }
}
