package dev.argon.engine;

import dev.argon.engine.command.CommandGate;
import dev.argon.engine.command.CommandService;
import dev.argon.engine.command.Commands;
import dev.argon.engine.command.Dispatcher;
import dev.argon.engine.command.ReadOnlyGate;
import dev.argon.engine.cursor.CursorManager;
import dev.argon.engine.failpoint.FailPoints;
import dev.argon.engine.gc.GcSettings;
import dev.argon.engine.gc.HistoryCompaction;
import dev.argon.engine.gc.HistoryGc;
import dev.argon.engine.gc.TierSettings;
import dev.argon.engine.session.ClusterTime;
import dev.argon.engine.session.LocalSessions;
import dev.argon.engine.session.SessionCatalog;
import dev.argon.engine.spill.SpillSettings;
import dev.argon.engine.store.Store;
import dev.argon.engine.ttl.TtlMonitor;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
    private final CursorManager cursors;
    private final Dispatcher dispatcher;
    private final ObjectId processId = new ObjectId();
    private final CommandGate gate = new CommandGate();
    private final FailPoints failPoints = new FailPoints();
    private final SessionCatalog sessions;
    private final LocalSessions localSessions =
            new LocalSessions(System::currentTimeMillis, TimeUnit.MINUTES.toMillis(SessionCatalog.TIMEOUT_MINUTES));
    private final ClusterTime clusterTime;
    private final boolean testCommands;
    private final HistoryGc gc;
    private final HistoryCompaction compaction;
    private final SpillSettings spill;
    private final TtlMonitor ttl;
    /** Non-null on a read-only node serving an archive: writes are refused, hello reports a secondary. */
    private final ReadOnlyGate readOnly;

    public Engine(Path dataDir, ServerStats stats) {
        this(dataDir, stats, false);
    }

    /**
     * @param testCommands adds the test-only commands ({@code configureFailPoint}) to the command table, as
     *                     mongod's {@code enableTestCommands} parameter does; never on in production
     */
    public Engine(Path dataDir, ServerStats stats, boolean testCommands) {
        this(dataDir, stats, testCommands, GcSettings.DEFAULTS);
    }

    /** @param gc history retention, reflog window and the background GC interval */
    public Engine(Path dataDir, ServerStats stats, boolean testCommands, GcSettings gc) {
        this(dataDir, stats, testCommands, gc, null);
    }

    /** @param readOnly null for a writable primary, else what a read-only node serves (writes refused) */
    public Engine(Path dataDir, ServerStats stats, boolean testCommands, GcSettings gc, ReadOnlyGate readOnly) {
        this(dataDir, stats, testCommands, gc, readOnly, TierSettings.DEFAULTS);
    }

    /** @param tier the hot window, the background compaction interval and the segment cache's size */
    public Engine(Path dataDir, ServerStats stats, boolean testCommands, GcSettings gc, ReadOnlyGate readOnly, TierSettings tier) {
        this.readOnly = readOnly;
        dev.argon.wal.TierConfig tierConfig = tier.walConfig(dataDir);
        try {
            this.store = new Store(dataDir, gate::closing, tierConfig);
        } catch (RuntimeException e) {
            if (tierConfig.ownsStore()) {
                tierConfig.store().close();
            }
            throw e;
        }
        this.stats = stats;
        this.testCommands = testCommands;
        this.clusterTime = new ClusterTime(store.versions());
        try {
            // The store holds the data directory's lock and no query runs yet: what a previous process left in
            // the temporary folder is garbage.
            this.spill = SpillSettings.forDataDirectory(dataDir);
            this.sessions = new SessionCatalog(store.versions(), gate::closing);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        // Created last: their threads would outlive a constructor that failed after starting them.
        this.cursors = new CursorManager();
        // A session that ended, was killed or expired loses its cursors (at the reaper's next pass) and its
        // open transaction.
        localSessions.onGone(ids -> {
            cursors.endSessions(ids);
            sessions.abortTransactions(ids);
        });
        this.gc = new HistoryGc(store, gc);
        // A read-only node's directory stays as the restore made it: no background compaction either.
        this.compaction = new HistoryCompaction(store, readOnly != null ? tier.withoutBackground() : tier);
        this.ttl = new TtlMonitor(store);
        if (readOnly != null) {
            // A read-only node serves the archive as the primary had it; expiring documents is the primary's job
            // (its deletes arrive with the next backup). The first pass is a pause away, so none has run yet.
            ttl.enabled(false);
        }
        this.dispatcher = new Dispatcher(this, Commands.table(testCommands));
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

    /** Sessions with retryable-write records. */
    public SessionCatalog sessions() {
        return sessions;
    }

    /** The sessions seen by this server ({@code $listLocalSessions}, session expiry). */
    public LocalSessions localSessions() {
        return localSessions;
    }

    /** LSNs as BSON Timestamps: {@code $clusterTime}, {@code operationTime}, {@code afterClusterTime}. */
    public ClusterTime clusterTime() {
        return clusterTime;
    }

    /** Fail points (configurable only with test commands enabled). */
    public FailPoints failPoints() {
        return failPoints;
    }

    /** History GC: the background pass and the {@code gc} command. */
    public HistoryGc gc() {
        return gc;
    }

    /** History compaction into the tier: the background pass and the {@code compactHistory} command. */
    public HistoryCompaction compaction() {
        return compaction;
    }

    /** Memory limits of blocking query stages and their temporary folder ({@code setParameter}). */
    public SpillSettings spill() {
        return spill;
    }

    /** TTL indexes: the background pass that deletes expired documents. */
    public TtlMonitor ttl() {
        return ttl;
    }

    /** The read-only gate of a node serving an archive, or null for a writable primary. */
    public ReadOnlyGate readOnly() {
        return readOnly;
    }

    public boolean testCommandsEnabled() {
        return testCommands;
    }

    /** Counts running commands and refuses new ones once shutdown has begun. */
    public CommandGate gate() {
        return gate;
    }

    /**
     * The first half of a clean stop: from now on new commands are answered 91 ShutdownInProgress and writes
     * waiting for a lock 11600 InterruptedAtShutdown, while the commands already running finish (for up to the
     * timeout). Returns how many were still running when it gave up waiting (0 normally). Call {@link #close()}
     * afterwards.
     */
    public int shutdown(long timeout, TimeUnit unit) {
        // One flag: the gate's closing state also stops writes waiting for a branch or session lock.
        gate.beginShutdown();
        return gate.awaitIdle(timeout, unit);
    }

    /** Identifies this server process in {@code hello}'s topologyVersion. */
    public ObjectId processId() {
        return processId;
    }

    @Override
    public void close() {
        ttl.close();
        compaction.close();
        gc.close();
        cursors.close();
        store.close();
    }
}
