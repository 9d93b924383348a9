package dev.argon.engine;

import dev.argon.engine.command.CommandService;
import dev.argon.engine.command.Commands;
import dev.argon.engine.command.Dispatcher;
import dev.argon.engine.cursor.CursorManager;
import dev.argon.engine.store.Store;
import java.nio.file.Path;
import org.bson.types.ObjectId;

/**
 * One Argon data directory with MongoDB semantics on top: the store, cursors, counters and the command
 * table. The wire layer talks to it only through {@link #commands()}. Thread-safe.
 */
public final class Engine implements AutoCloseable {
    /** Argon's own version. */
    public static final String VERSION = "0.1.0";
    /** The MongoDB server version Argon answers as, for drivers and shells that gate features on it. */
    public static final String MONGO_VERSION = "7.0.0";
    /** MongoDB 7.0's wire version; drivers of today accept 9..29 or wider. */
    public static final int MAX_WIRE_VERSION = 21;
    public static final String REPLICA_SET = "argon";

    private final Store store;
    private final ServerStats stats;
    private final CursorManager cursors = new CursorManager();
    private final Dispatcher dispatcher;
    private final ObjectId processId = new ObjectId();

    public Engine(Path dataDir, ServerStats stats) {
        this.store = new Store(dataDir);
        this.stats = stats;
        this.dispatcher = new Dispatcher(this, Commands.table());
    }

    public CommandService commands() {
        return dispatcher;
    }

    public Store store() {
        return store;
    }

    public ServerStats stats() {
        return stats;
    }

    public CursorManager cursors() {
        return cursors;
    }

    /** Identifies this server process in {@code hello}'s topologyVersion. */
    public ObjectId processId() {
        return processId;
    }

    @Override
    public void close() {
        cursors.close();
        store.close();
    }
}
