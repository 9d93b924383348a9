package dev.argon.proxy;

import dev.argon.engine.command.ReadOnlyGate;
import dev.argon.engine.command.admin.ArgonBackupHandler;
import dev.argon.storage.manifest.Manifest;
import dev.argon.storage.manifest.ManifestStore;
import dev.argon.storage.object.ObjectStore;
import dev.argon.wal.archive.ArchiveLocation;
import dev.argon.wal.archive.Restore;
import dev.argon.wal.archive.RestoreReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read-only node serving an archive ({@code argon serve --from URL --read-only --data CACHE}): restores the
 * archive's newest manifest into {@code CACHE/backup-<sequence>} (reused when a previous run restored that same
 * manifest there), serves it with {@link ArgonServer#startReadOnly} and, every refresh interval, looks for a newer
 * manifest. A newer one is restored into its own directory while the old one keeps serving; then the old server is
 * closed (running commands finish, as on any clean stop) and a new one starts on the same port over the new
 * directory. Connections and open cursors of the old server end at the swap; drivers reconnect and retry reads.
 *
 * <p>Only entries named {@code backup-*}, {@code backup-*.restored} and {@code restoring} in the cache directory
 * are ever created or removed; one node per cache directory (a second one over a directory in use fails to open it).
 * Thread-safe: the refresh runs on one background thread, {@link #refresh()} and
 * {@link #close()} may be called from any thread.
 */
public final class ReadOnlyNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReadOnlyNode.class);
    private static final String RESTORING = "restoring";
    /** How long a swap waits for the old server's port to be free again. */
    private static final long REBIND_MILLIS = 5_000;

    private final ArchiveLocation where;
    private final Path cache;
    private final String bind;
    private final String advertise;
    private final ScheduledExecutorService refresher;
    private final Object refreshing = new Object();
    private ArgonServer server; // guarded by this
    private Served served; // guarded by this
    private int port; // guarded by this
    private boolean closed; // guarded by this

    /** What is being served: the manifest's sequence and LSN, its directory, the gate built from it. */
    private record Served(long sequence, long lsn, Path dir, ReadOnlyGate gate) {}

    private ReadOnlyNode(ArchiveLocation where, Path cache, String bind, String advertise, long refreshMillis) {
        this.where = where;
        this.cache = cache;
        this.bind = bind;
        this.advertise = advertise;
        this.refresher = refreshMillis <= 0 ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "argon-readonly-refresh");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Restores (or reuses) the newest manifest and starts serving it.
     *
     * @param port          0 for an ephemeral port (kept across refreshes)
     * @param refreshMillis how often to look for a newer manifest; 0 never (restart the node to see one)
     * @throws IllegalArgumentException when the archive holds no manifest or the URL is not an archive
     */
    public static ReadOnlyNode start(ArchiveLocation where, Path cache, String bind, int port, String advertise, long refreshMillis) {
        ReadOnlyNode node = new ReadOnlyNode(where, cache, bind, advertise, refreshMillis);
        Served s;
        try (ObjectStore store = where.open(false)) {
            Manifest m = new ManifestStore(store).latest().orElseThrow(() -> new IllegalArgumentException(
                    "no archive at " + where.url() + ": it holds no manifest"));
            s = node.prepare(store, m);
        }
        synchronized (node) {
            node.server = ArgonServer.startReadOnly(s.dir(), bind, port, advertise, s.gate());
            node.served = s;
            node.port = node.server.port();
        }
        node.removeOthers(s.dir());
        if (node.refresher != null) {
            node.refresher.scheduleWithFixedDelay(node::refreshQuietly, refreshMillis, refreshMillis, TimeUnit.MILLISECONDS);
        }
        return node;
    }

    public synchronized int port() {
        return port;
    }

    /** The manifest sequence being served. */
    public synchronized long sequence() {
        return served.sequence();
    }

    /** The LSN the served manifest covers up to. */
    public synchronized long lsn() {
        return served.lsn();
    }

    /** The primary's host:port as the served manifest records it, or null. */
    public synchronized String primary() {
        return served.gate().primary();
    }

    /**
     * Looks at the archive once; when it holds a newer manifest than the one served, restores it and swaps the
     * server over to it. Returns whether it swapped.
     */
    public boolean refresh() {
        // One refresh at a time: two would restore into the same "restoring" directory.
        synchronized (refreshing) {
            return refreshOnce();
        }
    }

    private boolean refreshOnce() {
        Served next;
        try (ObjectStore store = where.open(false)) {
            Manifest m = new ManifestStore(store).latest().orElse(null);
            synchronized (this) {
                if (closed || m == null || m.sequence() <= served.sequence()) {
                    return false;
                }
            }
            next = prepare(store, m);
        }
        Path old;
        synchronized (this) {
            if (closed) {
                return false;
            }
            old = served.dir();
            server.close();
            try {
                server = startOnSamePort(next);
                served = next;
            } catch (RuntimeException e) {
                // The new directory would not serve: go on serving the old one rather than nothing.
                LOG.error("cannot serve backup {} of {}; still serving backup {}", next.sequence(), where.url(), served.sequence(), e);
                server = startOnSamePort(served);
                return false;
            }
        }
        LOG.info("read-only node now serves backup {} of {} (up to lsn {})", next.sequence(), where.url(), next.lsn());
        deleteTree(old);
        deleteQuietly(marker(old));
        return true;
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // An unreachable archive must not stop the node: it keeps serving what it has and tries again.
            LOG.warn("read-only refresh from {} failed: {}", where.url(), e.toString());
        }
    }

    /** Starts a server over {@code s} on this node's port, waiting a little for the old listener to let it go. */
    private ArgonServer startOnSamePort(Served s) {
        long deadline = System.currentTimeMillis() + REBIND_MILLIS;
        while (true) {
            try {
                return ArgonServer.startReadOnly(s.dir(), bind, port, advertise, s.gate());
            } catch (RuntimeException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * The directory of manifest {@code m}: reused when its marker says it holds a whole restore of exactly that
     * manifest, else restored afresh (into {@code restoring}, then renamed, then marked, so that a crash at any
     * point leaves either no marker or a whole directory).
     */
    private Served prepare(ObjectStore store, Manifest m) {
        try {
            Files.createDirectories(cache);
            Path dir = cache.resolve("backup-" + m.sequence());
            if (Files.isDirectory(dir) && Files.isRegularFile(marker(dir))
                    && Files.readString(marker(dir), StandardCharsets.UTF_8).equals(markerText(m))) {
                LOG.info("reusing {} for backup {} of {}", dir, m.sequence(), where.url());
                return served(m, dir);
            }
            Path tmp = cache.resolve(RESTORING);
            deleteTree(tmp);
            deleteTree(dir);
            deleteQuietly(marker(dir));
            RestoreReport r = Restore.run(store, tmp, null, null, (done, total) -> { });
            // Restore reads the newest manifest again: when another backup landed in between, it is the one restored.
            Manifest restored = r.sequence() == m.sequence() ? m : new ManifestStore(store).read(r.sequence());
            Path target = cache.resolve("backup-" + restored.sequence());
            deleteTree(target);
            Files.move(tmp, target);
            Files.writeString(marker(target), markerText(restored), StandardCharsets.UTF_8);
            LOG.info("restored backup {} of {} (up to lsn {}) into {}", restored.sequence(), where.url(), restored.coversLsn(), target);
            return served(restored, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the read-only cache " + cache + ": " + e.getMessage(), e);
        }
    }

    private Served served(Manifest m, Path dir) {
        String primary = m.properties().get(ArgonBackupHandler.PRIMARY_PROPERTY);
        return new Served(m.sequence(), m.coversLsn(), dir, new ReadOnlyGate(where.url(), primary, m.sequence(), m.coversLsn()));
    }

    private String markerText(Manifest m) {
        return where.url() + "\nsequence " + m.sequence() + "\ncovers-lsn " + m.coversLsn() + "\ncreated " + m.createdMillis() + "\n";
    }

    private static Path marker(Path dir) {
        return dir.resolveSibling(dir.getFileName() + ".restored");
    }

    /** Removes restores of other manifests left by earlier runs (only this node's own names). */
    private void removeOthers(Path keep) {
        try (var list = Files.list(cache)) {
            for (Path p : list.toList()) {
                String n = p.getFileName().toString();
                if (!p.equals(keep) && !p.equals(marker(keep)) && (n.startsWith("backup-") || n.equals(RESTORING))) {
                    if (Files.isDirectory(p)) {
                        deleteTree(p);
                    } else {
                        deleteQuietly(p);
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot tidy the read-only cache {}: {}", cache, e.toString());
        }
    }

    /** Stops the refresh and the server. Safe to call more than once. */
    @Override
    public void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
        ArgonServer s;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            s = server;
        }
        if (s != null) {
            s.close();
        }
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + p + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", p, e.toString());
        }
    }
}
