package dev.argon.proxy;

import dev.argon.engine.Engine;
import dev.argon.engine.ServerStats;
import dev.argon.engine.command.ReadOnlyGate;
import dev.argon.engine.gc.GcSettings;
import dev.argon.engine.gc.TierSettings;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    /** Long enough for any ordinary command to finish; a stuck one must not keep a stopping server up forever. */
    static final long DRAIN_SECONDS = 10;
    private boolean closed;

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
        return start(dataDir, bind, port, advertise, false);
    }

    /**
     * As {@link #start(Path, String, int, String)}; with {@code enableTestCommands} the test-only commands
     * ({@code configureFailPoint}) are available, as with mongod's {@code enableTestCommands=1}. Never in production.
     */
    public static ArgonServer start(Path dataDir, String bind, int port, String advertise, boolean enableTestCommands) {
        return start(dataDir, bind, port, advertise, enableTestCommands, GcSettings.DEFAULTS);
    }

    /** As above, with history GC settings (retention, reflog window, background interval). */
    public static ArgonServer start(Path dataDir, String bind, int port, String advertise, boolean enableTestCommands, GcSettings gc) {
        return start(dataDir, bind, port, advertise, enableTestCommands, gc, TierSettings.DEFAULTS);
    }

    /** As above, with history compaction settings (hot window, background interval, segment cache size). */
    public static ArgonServer start(Path dataDir, String bind, int port, String advertise, boolean enableTestCommands, GcSettings gc,
            TierSettings tier) {
        ServerStats stats = new ServerStats();
        Engine engine = new Engine(dataDir, stats, enableTestCommands, gc, null, tier);
        WireServer wire = new WireServer(bind, port, advertise, engine.commands(), engine.failPoints(), stats);
        try {
            wire.start();
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        LOG.info("Argon {} listening on {}:{} with data in {}{}", Engine.VERSION, bind, wire.port(), dataDir.toAbsolutePath(),
                enableTestCommands ? " (test commands enabled)" : "");
        return new ArgonServer(engine, wire);
    }

    /**
     * A read-only node over a restored archive ({@link ReadOnlyNode} prepares the directory): writes answer 10107
     * NotWritablePrimary, {@code hello} reports a secondary, and background history GC is off (the directory must
     * stay as the archive made it).
     */
    public static ArgonServer startReadOnly(Path dataDir, String bind, int port, String advertise, ReadOnlyGate gate) {
        GcSettings noGc = new GcSettings(-1, GcSettings.DEFAULTS.reflogWindowMillis(), 0, GcSettings.DEFAULTS.waitMillis());
        ServerStats stats = new ServerStats();
        Engine engine = new Engine(dataDir, stats, false, noGc, gate);
        WireServer wire = new WireServer(bind, port, advertise, engine.commands(), engine.failPoints(), stats);
        try {
            wire.start();
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        LOG.info("Argon {} listening on {}:{} read-only, serving {} (backup {}, lsn {}) from {}", Engine.VERSION, bind, wire.port(),
                gate.archive(), gate.sequence(), gate.lsn(), dataDir.toAbsolutePath());
        return new ArgonServer(engine, wire);
    }

    public int port() {
        return wire.port();
    }

    public Engine engine() {
        return engine;
    }

    /**
     * Makes SIGTERM (and Ctrl-C, and a normal JVM exit) stop this server as {@link #close()} does; used by
     * {@code argon serve}. Returns a latch that opens once the server is closed.
     */
    public CountDownLatch closeOnShutdown() {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close();
            stopped.countDown();
        }, "argon-shutdown"));
        return stopped;
    }

    /**
     * Stops cleanly: no new connections; new commands answered 91 ShutdownInProgress and writes still waiting
     * for a lock 11600 InterruptedAtShutdown (drivers retry both); the commands already running finish (for up
     * to {@link #DRAIN_SECONDS}) and their replies are sent; then connections close and the data directory is
     * synced and closed. Safe to call more than once.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        wire.stopAccepting();
        int left = engine.shutdown(DRAIN_SECONDS, TimeUnit.SECONDS);
        if (left > 0) {
            LOG.warn("{} commands still running after {} s; closing anyway", left, DRAIN_SECONDS);
        }
        wire.close();
        engine.close();
        LOG.info("Argon stopped");
    }
}
