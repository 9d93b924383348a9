package dev.argon.proxy.conformance;

import com.mongodb.ClientSessionOptions;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.ServerApi;
import com.mongodb.ServerApiVersion;
import com.mongodb.TransactionOptions;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The entity map of one test: clients (each with its own {@link EventLog}), databases, collections, sessions,
 * cursors and saved results. Everything is created fresh per test and closed afterwards, as the format requires
 * that no state leak from one test to the next.
 */
final class Entities implements AutoCloseable {

    /** A client entity and the events it records. */
    /** A client entity; {@code retryReads} is its setting, which the runner's own read helpers (count) follow. */
    record ClientEntity(String id, MongoClient client, EventLog log, boolean retryReads) {
    }

    private static final Set<String> COMMAND_EVENTS = Set.of("commandStartedEvent", "commandSucceededEvent",
            "commandFailedEvent");

    private final String host;
    private final String replicaSet;
    private final Map<String, Object> map = new LinkedHashMap<>();
    private final Map<String, String> clientOf = new HashMap<>();
    private final Map<String, BsonDocument> lsids = new HashMap<>();

    /**
     * @param host       host:port of the server under test
     * @param replicaSet its replica-set name (null for a standalone), so clients discover a replica set as the
     *                   spec runners' clients do
     */
    Entities(String host, String replicaSet) {
        this.host = host;
        this.replicaSet = replicaSet;
    }

    Object get(String id) {
        Object o = map.get(id);
        if (o == null) {
            throw new IllegalStateException("no entity " + id);
        }
        return o;
    }

    <T> T get(String id, Class<T> type) {
        Object o = get(id);
        if (!type.isInstance(o)) {
            throw new IllegalStateException("entity " + id + " is a " + o.getClass().getSimpleName() + ", not a "
                    + type.getSimpleName());
        }
        return type.cast(o);
    }

    boolean has(String id) {
        return map.containsKey(id);
    }

    void put(String id, Object value) {
        if (map.containsKey(id)) {
            throw new IllegalStateException("entity " + id + " already exists");
        }
        map.put(id, value);
    }

    /** Stores an operation's result; a saved collection or cursor keeps the client of the entity it came from. */
    void put(String id, Object value, String from) {
        put(id, value);
        if (!(value instanceof BsonValue) && (clientOf.containsKey(from) || map.get(from) instanceof ClientEntity)) {
            clientOf.put(id, clientOf.getOrDefault(from, from));
        }
    }

    /** The logical session id of a session entity, captured at creation so that it outlives endSession. */
    BsonDocument lsid(String sessionId) {
        BsonDocument lsid = lsids.get(sessionId);
        if (lsid == null) {
            throw new IllegalStateException("no session " + sessionId);
        }
        return lsid;
    }

    /** The client entity a database, collection or session entity was made from. */
    ClientEntity clientOf(String id) {
        Object o = get(id);
        if (o instanceof ClientEntity c) {
            return c;
        }
        String parent = clientOf.get(id);
        if (parent == null) {
            throw new IllegalStateException("entity " + id + " has no client");
        }
        return get(parent, ClientEntity.class);
    }

    List<ClientEntity> clients() {
        List<ClientEntity> out = new ArrayList<>();
        for (Object o : map.values()) {
            if (o instanceof ClientEntity c) {
                out.add(c);
            }
        }
        return out;
    }

    void create(BsonArray specs) {
        for (BsonValue v : specs) {
            BsonDocument spec = v.asDocument();
            String type = spec.getFirstKey();
            BsonDocument d = spec.getDocument(type);
            switch (type) {
                case "client" -> createClient(d);
                case "database" -> createDatabase(d);
                case "collection" -> createCollection(d);
                case "session" -> createSession(d);
                case "bucket" -> createBucket(d);
                default -> throw SkipTest.unsupported("runner: entity type " + type);
            }
        }
    }

    private void createClient(BsonDocument d) {
        Args a = new Args("client entity", d);
        String id = a.string("id");
        a.ignore("useMultipleMongoses"); // one server: nothing to choose between
        Set<String> observe = new HashSet<>();
        if (a.has("observeEvents")) {
            for (BsonValue e : a.get("observeEvents").asArray()) {
                observe.add(e.asString().getValue());
            }
        }
        Set<String> ignored = new HashSet<>();
        if (a.has("ignoreCommandMonitoringEvents")) {
            for (BsonValue e : a.get("ignoreCommandMonitoringEvents").asArray()) {
                ignored.add(e.asString().getValue());
            }
        }
        boolean sensitive = Boolean.TRUE.equals(a.bool("observeSensitiveCommands"));
        Map<String, String> options = new LinkedHashMap<>();
        if (replicaSet != null) {
            options.put("replicaSet", replicaSet);
        }
        // A short selection timeout turns a server that stops answering into a quick failure, not a 30 s stall.
        options.put("serverSelectionTimeoutMS", "5000");
        BsonDocument uriOptions = a.document("uriOptions");
        if (uriOptions != null) {
            for (Map.Entry<String, BsonValue> e : uriOptions.entrySet()) {
                BsonValue v = e.getValue();
                String s;
                if (v.isString()) {
                    s = v.asString().getValue();
                } else if (v.isBoolean()) {
                    s = String.valueOf(v.asBoolean().getValue());
                } else if (v.isNumber()) {
                    s = String.valueOf(v.asNumber().longValue());
                } else {
                    throw SkipTest.unsupported("runner: uriOption " + e.getKey());
                }
                if (e.getKey().equalsIgnoreCase("directConnection") && s.equals("true")) {
                    options.remove("replicaSet");
                }
                options.put(e.getKey(), s);
            }
        }
        StringBuilder uri = new StringBuilder("mongodb://").append(host).append("/");
        String sep = "?";
        for (Map.Entry<String, String> e : options.entrySet()) {
            uri.append(sep).append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = "&";
        }
        EventLog log = new EventLog(observe, ignored, sensitive);
        MongoClientSettings.Builder settings = MongoClientSettings.builder()
                // As the drivers' own unified runners do: a staged state-change error or writeConcernError marks the
                // server unknown until the monitor's next check, and the retry waits for that check. At the default
                // 10 s it outlasts the selection timeout above; a uriOptions heartbeatFrequencyMS still wins.
                .applyToServerSettings(s -> s.heartbeatFrequency(50, TimeUnit.MILLISECONDS)
                        .minHeartbeatFrequency(50, TimeUnit.MILLISECONDS))
                .applyConnectionString(new ConnectionString(uri.toString()))
                .addCommandListener(log)
                .applyToConnectionPoolSettings(p -> p.addConnectionPoolListener(log));
        BsonDocument api = a.document("serverApi");
        if (api != null) {
            ServerApi.Builder b = ServerApi.builder().version(ServerApiVersion.findByValue(api.getString("version").getValue()));
            if (api.containsKey("strict")) {
                b.strict(api.getBoolean("strict").getValue());
            }
            if (api.containsKey("deprecationErrors")) {
                b.deprecationErrors(api.getBoolean("deprecationErrors").getValue());
            }
            settings.serverApi(b.build());
        }
        for (String e : observe) {
            if (!COMMAND_EVENTS.contains(e) && !e.startsWith("connection") && !e.startsWith("pool")) {
                throw SkipTest.unsupported("runner: observing " + e);
            }
        }
        a.done();
        MongoClientSettings built = settings.build();
        put(id, new ClientEntity(id, MongoClients.create(built), log, built.getRetryReads()));
    }

    private void createDatabase(BsonDocument d) {
        Args a = new Args("database entity", d);
        String id = a.string("id");
        String client = a.string("client");
        MongoDatabase db = get(client, ClientEntity.class).client().getDatabase(a.string("databaseName"));
        BsonDocument o = a.document("databaseOptions");
        if (o != null) {
            Args opts = new Args("databaseOptions", o);
            if (opts.has("readConcern")) {
                db = db.withReadConcern(Bsons.readConcern(opts.document("readConcern")));
            }
            if (opts.has("writeConcern")) {
                db = db.withWriteConcern(Bsons.writeConcern(opts.document("writeConcern")));
            }
            if (opts.has("readPreference")) {
                db = db.withReadPreference(Bsons.readPreference(opts.document("readPreference")));
            }
            if (opts.has("timeoutMS")) {
                db = db.withTimeout(opts.number("timeoutMS"), TimeUnit.MILLISECONDS);
            }
            opts.done();
        }
        a.done();
        put(id, db);
        clientOf.put(id, client);
    }

    private void createCollection(BsonDocument d) {
        Args a = new Args("collection entity", d);
        String id = a.string("id");
        String database = a.string("database");
        MongoCollection<BsonDocument> c = get(database, MongoDatabase.class)
                .getCollection(a.string("collectionName"), BsonDocument.class);
        BsonDocument o = a.document("collectionOptions");
        if (o != null) {
            Args opts = new Args("collectionOptions", o);
            if (opts.has("readConcern")) {
                c = c.withReadConcern(Bsons.readConcern(opts.document("readConcern")));
            }
            if (opts.has("writeConcern")) {
                c = c.withWriteConcern(Bsons.writeConcern(opts.document("writeConcern")));
            }
            if (opts.has("readPreference")) {
                c = c.withReadPreference(Bsons.readPreference(opts.document("readPreference")));
            }
            if (opts.has("timeoutMS")) {
                c = c.withTimeout(opts.number("timeoutMS"), TimeUnit.MILLISECONDS);
            }
            opts.done();
        }
        a.done();
        put(id, c);
        clientOf.put(id, clientOf.get(database));
    }

    private void createBucket(BsonDocument d) {
        Args a = new Args("bucket entity", d);
        String id = a.string("id");
        String database = a.string("database");
        com.mongodb.client.gridfs.GridFSBucket b = Buckets.create(get(database, MongoDatabase.class), a.document("bucketOptions"));
        a.done();
        put(id, b);
        clientOf.put(id, clientOf.get(database));
    }

    private void createSession(BsonDocument d) {
        Args a = new Args("session entity", d);
        String id = a.string("id");
        String client = a.string("client");
        ClientSessionOptions.Builder b = ClientSessionOptions.builder();
        BsonDocument o = a.document("sessionOptions");
        org.bson.BsonValue snapshotTime = null;
        if (o != null) {
            Args opts = new Args("sessionOptions", o);
            if (opts.has("causalConsistency")) {
                b.causallyConsistent(opts.bool("causalConsistency"));
            }
            if (opts.has("snapshot")) {
                b.snapshot(opts.bool("snapshot"));
            }
            if (opts.has("snapshotTime")) {
                // The name of a saved getSnapshotTime result.
                Object saved = get(opts.string("snapshotTime"));
                snapshotTime = saved instanceof org.bson.BsonValue v ? v : null;
            }
            if (opts.has("defaultTransactionOptions")) {
                b.defaultTransactionOptions(transactionOptions(opts.document("defaultTransactionOptions")));
            }
            opts.done();
        }
        a.done();
        ClientSession session = get(client, ClientEntity.class).client().startSession(b.build());
        if (snapshotTime != null && snapshotTime.isTimestamp()) {
            // The Java driver has no session option for it: a snapshot session takes its time from its first read's
            // reply, and setting it before any read is what the option does.
            session.setSnapshotTimestamp(snapshotTime.asTimestamp());
        }
        put(id, session);
        clientOf.put(id, client);
        lsids.put(id, session.getServerSession().getIdentifier().clone());
    }

    static TransactionOptions transactionOptions(BsonDocument d) {
        Args a = new Args("transaction options", d);
        TransactionOptions.Builder b = TransactionOptions.builder();
        if (a.has("readConcern")) {
            b.readConcern(Bsons.readConcern(a.document("readConcern")));
        }
        if (a.has("writeConcern")) {
            b.writeConcern(Bsons.writeConcern(a.document("writeConcern")));
        }
        if (a.has("readPreference")) {
            b.readPreference(Bsons.readPreference(a.document("readPreference")));
        }
        if (a.has("maxCommitTimeMS")) {
            b.maxCommitTime(a.number("maxCommitTimeMS"), TimeUnit.MILLISECONDS);
        }
        a.done();
        return b.build();
    }

    /** Stops all event recording, so that cleanup traffic does not count as the test's events. */
    void stopRecording() {
        for (ClientEntity c : clients()) {
            c.log().disable();
        }
    }

    @Override
    public void close() {
        List<Object> values = new ArrayList<>(map.values());
        // Cursors and sessions before the clients they belong to.
        for (Object o : values) {
            try {
                if (o instanceof Cursors.RunnerCursor c) {
                    c.close();
                } else if (o instanceof ClientSession s) {
                    s.close();
                }
            } catch (RuntimeException e) {
                // best effort: the server may already have dropped the cursor
            }
        }
        for (Object o : values) {
            if (o instanceof ClientEntity c) {
                try {
                    c.client().close();
                } catch (RuntimeException e) {
                    // best effort
                }
            }
        }
        map.clear();
    }
}
