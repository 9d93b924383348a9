package dev.argon.proxy;

import dev.argon.engine.Engine;
import dev.argon.engine.ServerStats;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Argon: the engine over a data directory plus the wire server in front of it. This is what
 * {@code argon serve}, the tests and the benchmarks start. Thread-safe; close it once.
 */
public final class ArgonServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArgonServer.class);

    private final Engine engine;
    private final WireServer wire;

    private ArgonServer(Engine engine, WireServer wire) {
        this.engine = engine;
        this.wire = wire;
    }

    /**
     * Opens the data directory and starts listening.
     *
     * @param port 0 for an ephemeral port
     * @param advertise the host clients should reconnect to, or null for the bind address
     */
    public static ArgonServer start(Path dataDir, String bind, int port, String advertise) {
        ServerStats stats = new ServerStats();
        Engine engine = new Engine(dataDir, stats);
        WireServer wire = new WireServer(bind, port, advertise, engine.commands(), stats);
        try {
            wire.start();
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        LOG.info("Argon {} listening on {}:{} with data in {}", Engine.VERSION, bind, wire.port(), dataDir.toAbsolutePath());
        return new ArgonServer(engine, wire);
    }

    public int port() {
        return wire.port();
    }

    public Engine engine() {
        return engine;
    }

    @Override
    public void close() {
        wire.close();
        engine.close();
        LOG.info("Argon stopped");
    }
}
