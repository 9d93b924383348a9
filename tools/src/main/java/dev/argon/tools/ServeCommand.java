package dev.argon.tools;

import dev.argon.engine.gc.GcSettings;
import dev.argon.engine.gc.TierSettings;
import dev.argon.proxy.ArgonServer;
import dev.argon.proxy.ReadOnlyNode;
import dev.argon.storage.manifest.ManifestFormatException;
import dev.argon.storage.object.ObjectStoreException;
import dev.argon.storage.segment.SegmentCorruptException;
import dev.argon.wal.TierMismatchException;
import dev.argon.wal.archive.ArchiveLocation;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code argon serve}: runs the server in the foreground until Ctrl-C or SIGTERM, then closes it cleanly
 * ({@link ArgonServer#close()}: running commands finish, new ones are refused with ShutdownInProgress, then the
 * WAL is synced and RocksDB closed). With {@code --from URL --read-only} it serves an archive instead
 * ({@link ReadOnlyNode}): {@code --data} is the cache directory the newest backup is restored into.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the Argon server (data in ./argon-data, 127.0.0.1:27017 by default).")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one)", defaultValue = "27017")
    int port;

    @Option(names = "--bind", description = "address to listen on (default: ${DEFAULT-VALUE})", defaultValue = "127.0.0.1")
    String bind;

    @Option(names = "--data", description = "data directory (default: ${DEFAULT-VALUE})", defaultValue = "./argon-data")
    Path data;

    @Option(names = "--advertise", description = "host name clients should reconnect to (default: the bind address)")
    String advertise;

    @Option(names = "--enable-test-commands", description = "enable test-only commands such as configureFailPoint "
            + "(as mongod's enableTestCommands=1); never in production")
    boolean enableTestCommands;

    @Option(names = "--history-retention", description = "how far back time travel must keep working, e.g. 30d, 12h, 90m "
            + "(default: ${DEFAULT-VALUE}, keep all history); reads, branches and tags older than that are refused once GC ran",
            defaultValue = "forever")
    String historyRetention;

    @Option(names = "--reflog-window", description = "how long a reset keeps the range it abandoned reachable through "
            + "name@<point> (default: ${DEFAULT-VALUE})", defaultValue = "7d")
    String reflogWindow;

    @Option(names = "--gc-interval", description = "how often the background GC pass runs; 0 turns it off "
            + "(default: ${DEFAULT-VALUE}; argon gc runs one now)", defaultValue = "10m")
    String gcInterval;

    @Option(names = "--tier-grace", description = "GC keeps a tier segment no catalog or kept tier manifest names until it "
            + "is this old (a pass between storing it and publishing it; default: ${DEFAULT-VALUE})", defaultValue = "1h")
    String tierGrace;

    @Option(names = "--tier-keep-manifests", description = "GC keeps the newest N tier manifests and retires older ones "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "3")
    int tierKeepManifests;

    @Option(names = "--hot-window", description = "history younger than this stays in RocksDB; older history that no head, "
            + "fork point or tag reads moves into segments in the tier (--tier; default: ${DEFAULT-VALUE})", defaultValue = "1h")
    String hotWindow;

    @Option(names = "--compact-interval", description = "how often the background history compaction runs; 0 turns it off "
            + "(default: ${DEFAULT-VALUE}; the compactHistory command runs one now)", defaultValue = "10m")
    String compactInterval;

    @Option(names = "--tier", description = "where compacted history segments live: s3://bucket/prefix (objects under "
            + "<prefix>/tier/, with --endpoint, --region and the keys or AWS_* variables), file:///path or a folder path "
            + "(default: <data>/objects); a directory whose history is already in one tier refuses another")
    String tierUrl;

    @Option(names = "--cache-size", description = "bytes of compacted history segments cached in memory (default: ${DEFAULT-VALUE})",
            defaultValue = "268435456")
    long cacheSize;

    @Option(names = "--from", description = "serve an archive read-only: s3://bucket/prefix, file:///path or a folder path "
            + "(needs --read-only; --data is then the cache directory its newest backup is restored into)")
    String from;

    @Option(names = "--read-only", description = "refuse every write (10107 NotWritablePrimary) and report a secondary in hello")
    boolean readOnly;

    @Option(names = "--refresh-interval", description = "with --from: how often to look for a newer backup; 0 never "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "1m")
    String refreshInterval;

    @Mixin
    ArchiveOptions archive;

    @Override
    public Integer call() throws Exception {
        if (readOnly != (from != null)) {
            throw new CliException(CliException.USAGE, readOnly
                    ? "--read-only serves an archive: give it with --from s3://bucket/prefix or file:///path"
                    : "--from serves an archive read-only: add --read-only");
        }
        if (readOnly) {
            return serveArchive();
        }
        GcSettings gc = new GcSettings("forever".equals(historyRetention) ? -1 : Durations.millis("--history-retention", historyRetention),
                Durations.millis("--reflog-window", reflogWindow), Durations.millis("--gc-interval", gcInterval), GcSettings.DEFAULTS.waitMillis());
        if (tierKeepManifests < 1) {
            throw new CliException(CliException.USAGE, "--tier-keep-manifests takes 1 or more (the newest manifest always stays), not "
                    + tierKeepManifests);
        }
        gc = gc.withTier(Durations.millis("--tier-grace", tierGrace), tierKeepManifests);
        if (cacheSize < 0) {
            throw new CliException(CliException.USAGE, "--cache-size must not be negative");
        }
        TierSettings tier = new TierSettings(Durations.millis("--hot-window", hotWindow),
                Durations.millis("--compact-interval", compactInterval), cacheSize);
        if (tierUrl != null) {
            tier = tier.withTier(archive.location(tierUrl));
        }
        ArgonServer server;
        try {
            server = ArgonServer.start(data, bind, port, advertise, enableTestCommands, gc, tier);
        } catch (TierMismatchException e) {
            throw new CliException(CliException.USAGE, e.getMessage());
        } catch (ObjectStoreException e) {
            throw new CliException(CliException.SERVER, "cannot reach the tier " + tierUrl + ": " + e.getMessage());
        }
        CountDownLatch stopped = server.closeOnShutdown();
        System.out.println("argon: listening on " + bind + ":" + server.port() + " (data in " + data
                + (tierUrl == null ? "" : ", history tier " + tier.tier()) + "); Ctrl-C stops");
        stopped.await();
        return 0;
    }

    /** {@code --from URL --read-only}: a read-only node over the archive's newest backup, refreshed in the background. */
    private int serveArchive() throws InterruptedException {
        ArchiveLocation where = archive.location(from);
        long refresh = Durations.millis("--refresh-interval", refreshInterval);
        ReadOnlyNode node;
        try {
            node = ReadOnlyNode.start(where, data, bind, port, advertise, refresh);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, e.getMessage());
        } catch (ObjectStoreException | ManifestFormatException | SegmentCorruptException e) {
            throw new CliException(CliException.SERVER, "cannot read the archive " + from + ": " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "argon-shutdown"));
        System.out.println("argon: listening on " + bind + ":" + node.port() + " read-only, serving backup " + node.sequence()
                + " of " + where.url() + " (up to lsn " + node.lsn() + ", cache in " + data + ")"
                + (node.primary() == null ? "" : "; writes go to the primary at " + node.primary()) + "; Ctrl-C stops");
        stopped.await();
        return 0;
    }
}
