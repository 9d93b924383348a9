package dev.argon.bench.harness;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.argon.bench.BenchData;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * mongo-java-server in this process on a loopback port: the memory backend, or the H2 MVStore backend on a file
 * in a temporary directory (its on-disk mode). Closing it stops the server and deletes the file. Thread-safe.
 */
final class PeerTarget implements Target {
    private final String name;
    private final MongoServer server;
    private final InetSocketAddress address;
    private final Path dir;

    private PeerTarget(String name, MongoBackend backend, Path dir) {
        this.name = name;
        this.dir = dir;
        this.server = new MongoServer(backend);
        this.address = server.bind();
    }

    static PeerTarget memory() {
        return new PeerTarget(Peers.MEMORY, new MemoryBackend(), null);
    }

    static PeerTarget h2() {
        Path dir = BenchData.tempDir("argon-bench-h2-");
        return new PeerTarget(Peers.H2, new H2Backend(dir.resolve("peer.mv").toString()), dir);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String uri() {
        return "mongodb://127.0.0.1:" + address.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
        BenchData.deleteTree(dir);
    }
}
