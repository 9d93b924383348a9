package dev.argon.bench.harness;

import dev.argon.bench.BenchData;
import dev.argon.proxy.ArgonServer;
import dev.argon.wal.GroupCommitStats;
import java.nio.file.Path;

/**
 * An Argon started in this process on a fresh temporary data directory and an ephemeral loopback port; closing it
 * stops the server and deletes the directory. Thread-safe.
 */
final class ArgonTarget implements Target {
    private final Path dir;
    private final ArgonServer server;

    private ArgonTarget(Path dir, ArgonServer server) {
        this.dir = dir;
        this.server = server;
    }

    static ArgonTarget start() {
        Path dir = BenchData.tempDir("argon-bench-");
        try {
            return new ArgonTarget(dir, ArgonServer.start(dir, "127.0.0.1", 0, null));
        } catch (RuntimeException e) {
            BenchData.deleteTree(dir);
            throw e;
        }
    }

    @Override
    public String name() {
        return "argon";
    }

    @Override
    public String uri() {
        return "mongodb://127.0.0.1:" + server.port();
    }

    @Override
    public long fsyncs() {
        return server.engine().store().versions().syncCount();
    }

    @Override
    public long[] commitGroups() {
        GroupCommitStats g = server.engine().store().versions().groupCommitStats();
        return new long[] {g.groups(), g.commits()};
    }

    @Override
    public void close() {
        server.close();
        BenchData.deleteTree(dir);
    }
}
