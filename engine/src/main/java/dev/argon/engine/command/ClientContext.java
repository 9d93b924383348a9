package dev.argon.engine.command;

import org.bson.BsonDocument;

/**
 * Per-connection state the commands need: who the client is, where it connected (so {@code hello} can name
 * an address the client can reach), the client metadata from the handshake and the connection's default
 * branch ({@code appName=branch:NAME}). One per connection; commands of one connection run one at a time,
 * so the mutable fields need no locking, but they are volatile because successive commands may run on
 * different threads.
 */
public final class ClientContext {
    private final long connectionId;
    private final String remoteAddress;
    private final String localHost;
    private final int localPort;
    private volatile BsonDocument clientMetadata;
    private volatile String defaultBranch;
    /** The appName of {@link #clientMetadata}, derived when it is set. */
    private volatile String appName;

    public ClientContext(long connectionId, String remoteAddress, String localHost, int localPort) {
        this.connectionId = connectionId;
        this.remoteAddress = remoteAddress;
        this.localHost = localHost;
        this.localPort = localPort;
    }

    public long connectionId() {
        return connectionId;
    }

    /** host:port of the client as seen by the server. */
    public String remoteAddress() {
        return remoteAddress;
    }

    /** The host this server advertises to the client (bind address, or --advertise). */
    public String localHost() {
        return localHost;
    }

    public int localPort() {
        return localPort;
    }

    public BsonDocument clientMetadata() {
        return clientMetadata;
    }

    public void clientMetadata(BsonDocument metadata) {
        this.appName = appNameOf(metadata);
        this.clientMetadata = metadata;
    }

    /** The branch selected by the handshake, or null for the server default ({@code main}). */
    public String defaultBranch() {
        return defaultBranch;
    }

    public void defaultBranch(String branch) {
        this.defaultBranch = branch;
    }

    /** The client's appName from the handshake metadata, or null. */
    public String appName() {
        // Read twice per write (the commit's actor is recorded at begin and at commit): derived once, at the handshake.
        return appName;
    }

    private static String appNameOf(BsonDocument md) {
        if (md == null || !md.isDocument("application")) {
            return null;
        }
        BsonDocument app = md.getDocument("application");
        return app.isString("name") ? app.getString("name").getValue() : null;
    }
}
