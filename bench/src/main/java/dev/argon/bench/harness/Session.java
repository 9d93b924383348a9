package dev.argon.bench.harness;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.Document;

/**
 * One target's connection and data set: the shared driver client (its pool sized for the busiest workload),
 * the record collection, the key space after loading, and what the server turned out to support.
 * Thread-safe once loaded (the driver client is).
 */
final class Session implements AutoCloseable {
    static final String RECORDS = "usertable";

    final BenchConfig config;
    final Target target;
    final MongoClient client;
    final FieldValues values;
    final ProgressLine progress;
    private final boolean argon;
    private final String argonProbe;
    private KeySpace keys;

    Session(Target target, BenchConfig config, ProgressLine progress) {
        this.config = config;
        this.target = target;
        this.progress = progress;
        this.values = new FieldValues(config.fieldSize(), config.seed());
        int pool = Math.max(config.threads(), config.durableThreads()) + 4;
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(target.uri()))
                .applicationName("argon-bench")
                .applyToConnectionPoolSettings(b -> b.maxSize(pool).minSize(Math.min(pool, config.threads())))
                .applyToClusterSettings(b -> b.serverSelectionTimeout(10, TimeUnit.SECONDS))
                .build();
        this.client = MongoClients.create(settings);
        String probe;
        boolean isArgon;
        try {
            client.getDatabase("admin").runCommand(new Document("argonStatus", 1));
            isArgon = true;
            probe = null;
        } catch (MongoCommandException e) {
            isArgon = false;
            probe = "argonStatus: " + e.getErrorCodeName() + " (" + e.getErrorCode() + ")";
        }
        this.argon = isArgon;
        this.argonProbe = probe;
    }

    /** True when the server answers Argon's admin commands (branches, time travel). */
    boolean isArgon() {
        return argon;
    }

    /** Why the Argon-only workloads skip on this server; null on Argon. */
    String notArgonNote() {
        return argonProbe == null ? null : "not available on this server (" + argonProbe + ")";
    }

    MongoDatabase database() {
        return client.getDatabase(config.database());
    }

    /** A database of this session on a branch or at a point: {@code db~branch}, {@code db~main@lsn}. */
    MongoDatabase database(String ref) {
        return client.getDatabase(config.database() + "~" + ref);
    }

    MongoCollection<BsonDocument> records() {
        return database().getCollection(RECORDS, BsonDocument.class);
    }

    Document admin(Document command) {
        return client.getDatabase("admin").runCommand(command);
    }

    /**
     * Runs an admin command that answers a cursor and pages through all of it with getMore on one session
     * (diff, branchLog and merge previews answer this way); returns how many documents it held.
     */
    long adminCursorCount(Document command) {
        try (com.mongodb.client.ClientSession session = client.startSession()) {
            com.mongodb.client.MongoDatabase admin = client.getDatabase("admin");
            Document cursor = admin.runCommand(session, command).get("cursor", Document.class);
            String ns = cursor.getString("ns");
            String collection = ns.substring(ns.indexOf('.') + 1);
            long count = cursor.getList("firstBatch", Object.class).size();
            long id = cursor.getLong("id");
            while (id != 0) {
                cursor = admin.runCommand(session, new Document("getMore", id).append("collection", collection)).get("cursor", Document.class);
                count += cursor.getList("nextBatch", Object.class).size();
                id = cursor.getLong("id");
            }
            return count;
        }
    }

    /** The head LSN reported by {@code argonStatus}. */
    long headLsn() {
        Object v = admin(new Document("argonStatus", 1)).get("headLsn");
        return ((Number) v).longValue();
    }

    KeySpace keys() {
        if (keys == null) {
            throw new IllegalStateException("the data set is not loaded");
        }
        return keys;
    }

    void loaded(long records) {
        keys = new KeySpace(records, config.distribution());
    }

    @Override
    public void close() {
        client.close();
    }
}
