package dev.argon.proxy.conformance;

import com.mongodb.ClientBulkWriteException;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoOperationTimeoutException;
import com.mongodb.MongoServerException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.MongoWriteException;
import com.mongodb.ReadConcern;
import com.mongodb.ReadPreference;
import com.mongodb.WriteConcern;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * Executes one test of a unified-format file against the server: requirements, initial data, entities, operations
 * with their expected results and errors, expected events, and the final collection contents. Every test gets its
 * own entities; the internal client (the test base's) only prepares and inspects data.
 */
final class UnifiedRunner {

    /** The newest schema version whose files this runner accepts (same major version, minor up to this). */
    static final int SCHEMA_MAJOR = 1;
    static final int SCHEMA_MINOR = 28;

    /** What the runner learned about the server once, before the first test. */
    record Server(String host, String replicaSet, String version, String topology, Set<String> failPoints) {

        /** The fail points spec tests use; the probe keeps those the server accepts (with test commands on). */
        static final List<String> KNOWN_FAIL_POINTS = List.of("failCommand", "onPrimaryTransactionalWrite",
                "failGetMoreAfterCursorCheckout");

        static Server probe(MongoClient internal, String host) {
            MongoDatabase admin = internal.getDatabase("admin");
            String version = admin.runCommand(new BsonDocument("buildInfo", new BsonInt32(1)), BsonDocument.class)
                    .getString("version").getValue();
            BsonDocument hello = admin.runCommand(new BsonDocument("hello", new BsonInt32(1)), BsonDocument.class);
            String setName = hello.containsKey("setName") ? hello.getString("setName").getValue() : null;
            String topology = setName != null ? "replicaset"
                    : "isdbgrid".equals(hello.getString("msg", new BsonString("")).getValue()) ? "sharded" : "single";
            Set<String> failPoints = new java.util.TreeSet<>();
            for (String name : KNOWN_FAIL_POINTS) {
                try {
                    admin.runCommand(new BsonDocument("configureFailPoint", new BsonString(name))
                            .append("mode", new BsonString("off")));
                    failPoints.add(name);
                } catch (MongoCommandException e) {
                    // not available: tests that set it are skipped
                }
            }
            return new Server(host, setName, version, topology, failPoints);
        }
    }

    private static final String UNACKNOWLEDGED_HINT =
            "driver: the Java driver leaves writeConcern {w: 0} out of findAndModify";

    /**
     * Tests the Java driver itself does not pass against MongoDB, so their result says nothing about the server:
     * keyed by test description. Each reason names the driver behaviour; the upstream Java runner skips them too.
     */
    private static final Map<String, String> DRIVER_DIVERGENCES = Map.ofEntries(
            Map.entry("BulkWrite with string comment",
                    "driver: the Java driver sends replaceOne and updateOne as two update commands"),
            Map.entry("BulkWrite with document comment",
                    "driver: the Java driver sends replaceOne and updateOne as two update commands"),
            Map.entry("Unacknowledged findOneAndReplace with hint string on 4.4+ server", UNACKNOWLEDGED_HINT),
            Map.entry("Unacknowledged findOneAndReplace with hint document on 4.4+ server", UNACKNOWLEDGED_HINT),
            Map.entry("Unacknowledged findOneAndUpdate with hint string on 4.4+ server", UNACKNOWLEDGED_HINT),
            Map.entry("Unacknowledged findOneAndUpdate with hint document on 4.4+ server", UNACKNOWLEDGED_HINT),
            Map.entry("Unacknowledged findOneAndDelete with hint string on 4.4+ server", UNACKNOWLEDGED_HINT),
            Map.entry("Unacknowledged findOneAndDelete with hint document on 4.4+ server", UNACKNOWLEDGED_HINT));

    /** With -Dargon.conformance.verbose=true, a failure's reason also lists the commands the clients sent. */
    private static final boolean VERBOSE = Boolean.getBoolean("argon.conformance.verbose");

    private final MongoClient internal;
    private final Server server;

    UnifiedRunner(MongoClient internal, Server server) {
        this.internal = internal;
        this.server = server;
        killAllSessions();
    }

    Server server() {
        return server;
    }

    /** Runs one test; never throws for a property of the test, only reports it. */
    Outcome run(BsonDocument file, BsonDocument test) {
        Execution x = new Execution(file, test);
        Outcome o;
        try {
            x.run();
            o = x.driverGap == null ? Outcome.passed() : Outcome.skipped(x.driverGap);
        } catch (SkipTest s) {
            o = s.outcome();
        } catch (SpecFailure f) {
            o = Outcome.failed(f.category(), f.getMessage() + (VERBOSE ? x.observedCommands() : ""));
        } catch (AssertionError | RuntimeException e) {
            o = Outcome.failed("runner: " + e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
        } finally {
            x.cleanup();
        }
        if (o.kind() == Outcome.Kind.FAILED) {
            killAllSessions();
        }
        return o;
    }

    private void killAllSessions() {
        try {
            internal.getDatabase("admin").runCommand(new BsonDocument("killAllSessions", new BsonArray()));
        } catch (MongoException e) {
            // allowed to fail (the format lists the codes a runner may ignore); nothing depends on it here
        }
    }

    // ---------------------------------------------------------------- requirements

    /** Null when the file's or test's runOnRequirements (any alternative) hold, else why not. */
    String unmetRequirements(BsonArray alternatives) {
        if (alternatives == null) {
            return null;
        }
        Set<String> reasons = new LinkedHashSet<>();
        for (BsonValue alt : alternatives) {
            String r = unmet(alt.asDocument());
            if (r == null) {
                return null;
            }
            reasons.add(r);
        }
        return String.join(" | ", reasons);
    }

    private String unmet(BsonDocument req) {
        for (Map.Entry<String, BsonValue> e : req.entrySet()) {
            BsonValue v = e.getValue();
            switch (e.getKey()) {
                case "minServerVersion" -> {
                    if (compareVersions(server.version(), v.asString().getValue()) < 0) {
                        return "needs server >= " + v.asString().getValue();
                    }
                }
                case "maxServerVersion" -> {
                    if (compareVersions(server.version(), v.asString().getValue()) > 0) {
                        return "needs server <= " + v.asString().getValue();
                    }
                }
                case "topologies" -> {
                    boolean ok = false;
                    for (BsonValue t : v.asArray()) {
                        ok |= t.asString().getValue().equals(server.topology());
                    }
                    if (!ok) {
                        return "needs topology " + v.asArray().getValues().stream()
                                .map(t -> t.asString().getValue()).toList();
                    }
                }
                case "serverless" -> {
                    if (v.asString().getValue().equals("require")) {
                        return "needs serverless";
                    }
                }
                case "auth" -> {
                    if (v.asBoolean().getValue()) {
                        return "needs auth";
                    }
                }
                case "authMechanism" -> {
                    return "needs auth mechanism " + v.asString().getValue();
                }
                case "csfle" -> {
                    if (v.isBoolean() ? v.asBoolean().getValue() : true) {
                        return "needs CSFLE";
                    }
                }
                case "serverParameters" -> {
                    String r = unmetParameters(v.asDocument());
                    if (r != null) {
                        return r;
                    }
                }
                default -> {
                    return "unknown requirement " + e.getKey();
                }
            }
        }
        return null;
    }

    private String unmetParameters(BsonDocument wanted) {
        for (Map.Entry<String, BsonValue> e : wanted.entrySet()) {
            try {
                BsonDocument r = internal.getDatabase("admin").runCommand(new BsonDocument("getParameter", new BsonInt32(1))
                        .append(e.getKey(), new BsonInt32(1)), BsonDocument.class);
                BsonValue got = r.get(e.getKey());
                if (got == null || !Matcher.scalarEquals(e.getValue(), got)) {
                    return "needs server parameter " + e.getKey() + "=" + e.getValue();
                }
            } catch (MongoException ex) {
                return "needs server parameter " + e.getKey();
            }
        }
        return null;
    }

    /** Numeric, component-wise comparison; missing components count as 0 ("4.4" == "4.4.0"). */
    static int compareVersions(String a, String b) {
        String[] x = a.split("[.-]");
        String[] y = b.split("[.-]");
        for (int i = 0; i < 3; i++) {
            int p = i < x.length ? parseOrZero(x[i]) : 0;
            int q = i < y.length ? parseOrZero(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }

    private static int parseOrZero(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Null when this runner can read a file of that schema version, else why not. */
    static String unsupportedSchema(String version) {
        String[] p = version.split("\\.");
        int major = Integer.parseInt(p[0]);
        int minor = p.length > 1 ? Integer.parseInt(p[1]) : 0;
        if (major != SCHEMA_MAJOR || minor > SCHEMA_MINOR) {
            return "schemaVersion " + version + " is newer than the runner's " + SCHEMA_MAJOR + "." + SCHEMA_MINOR;
        }
        return null;
    }

    /** The names of the fail points a list of operations (including withTransaction callbacks) sets. */
    static Set<String> failPointNames(BsonArray operations) {
        Set<String> names = new java.util.TreeSet<>();
        if (operations == null) {
            return names;
        }
        for (BsonValue v : operations) {
            BsonDocument op = v.asDocument();
            String name = op.getString("name").getValue();
            BsonDocument args = op.getDocument("arguments", new BsonDocument());
            BsonDocument fp = null;
            if ((name.equals("failPoint") || name.equals("targetedFailPoint")) && args.isDocument("failPoint")) {
                fp = args.getDocument("failPoint");
            } else if (name.equals("runCommand") && args.isDocument("command")
                    && args.getDocument("command").containsKey("configureFailPoint")) {
                fp = args.getDocument("command");
            }
            if (fp != null) {
                BsonValue n = fp.get("configureFailPoint");
                names.add(n != null && n.isString() ? n.asString().getValue() : String.valueOf(n));
            }
            if (args.containsKey("callback")) {
                names.addAll(failPointNames(args.getArray("callback")));
            }
        }
        return names;
    }

    /** Whether a list of operations (including withTransaction callbacks) sets a fail point. */
    static boolean usesFailPoints(BsonArray operations) {
        if (operations == null) {
            return false;
        }
        for (BsonValue v : operations) {
            BsonDocument op = v.asDocument();
            String name = op.getString("name").getValue();
            if (name.equals("failPoint") || name.equals("targetedFailPoint")) {
                return true;
            }
            BsonDocument args = op.getDocument("arguments", new BsonDocument());
            if (name.equals("runCommand") && args.containsKey("command")
                    && args.getDocument("command").containsKey("configureFailPoint")) {
                return true;
            }
            if (args.containsKey("callback") && usesFailPoints(args.getArray("callback"))) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- one test

    private final class Execution implements Operations.Runner {
        private final BsonDocument file;
        private final BsonDocument test;
        private Entities entities;
        private Operations operations;
        private Matcher matcher;
        private final List<Object[]> failPoints = new ArrayList<>();
        /**
         * Set when an expectation could not be checked because the Java driver does not report what it asks for; a
         * test that otherwise passes (outcome included) is then reported as skipped with this reason, not passed.
         */
        private String driverGap;

        Execution(BsonDocument file, BsonDocument test) {
            this.file = file;
            this.test = test;
        }

        void run() {
            String schema = unsupportedSchema(file.getString("schemaVersion").getValue());
            if (schema != null) {
                throw new SpecFailure("runner: incompatible schemaVersion", schema);
            }
            if (test.containsKey("skipReason")) {
                throw SkipTest.notRunnable("skipReason: " + test.getString("skipReason").getValue());
            }
            String divergence = DRIVER_DIVERGENCES.get(test.getString("description").getValue());
            String unmet = unmetRequirements(file.getArray("runOnRequirements", null));
            if (unmet == null) {
                unmet = unmetRequirements(test.getArray("runOnRequirements", null));
            }
            if (unmet != null) {
                throw SkipTest.notRunnable(unmet);
            }
            if (divergence != null) {
                throw SkipTest.unsupported(divergence);
            }
            Set<String> missing = failPointNames(test.getArray("operations"));
            missing.removeAll(server.failPoints());
            if (!missing.isEmpty() || (server.failPoints().isEmpty() && usesFailPoints(test.getArray("operations")))) {
                throw SkipTest.unsupported("server: needs fail points (configureFailPoint " + String.join(", ", missing)
                        + " is not implemented)");
            }
            if (!test.getArray("expectLogMessages", new BsonArray()).isEmpty()) {
                throw SkipTest.unsupported("runner: expectLogMessages (driver log assertions)");
            }

            entities = new Entities(server.host(), server.replicaSet());
            operations = new Operations(entities, this, compareVersions(server.version(), "8.2") < 0);
            matcher = new Matcher(entities);

            phase("initialData", () -> initialData(file.getArray("initialData", new BsonArray())));
            phase("createEntities", () -> entities.create(file.getArray("createEntities", new BsonArray())));
            for (BsonValue op : test.getArray("operations")) {
                execute(op.asDocument());
            }
            entities.stopRecording();
            disableFailPoints();
            if (test.containsKey("expectEvents")) {
                checkEvents(test.getArray("expectEvents"));
            }
            if (test.containsKey("outcome")) {
                phase("outcome", () -> checkOutcome(test.getArray("outcome")));
            }
        }

        String observedCommands() {
            if (entities == null) {
                return "";
            }
            StringBuilder sb = new StringBuilder();
            for (Entities.ClientEntity c : entities.clients()) {
                for (EventLog.Event e : c.log().events("commandStartedEvent")) {
                    BsonDocument cmd = new BsonDocument();
                    cmd.putAll(e.body());
                    for (String k : List.of("lsid", "$clusterTime", "$db")) {
                        cmd.remove(k);
                    }
                    sb.append(" | ").append(c.id()).append(" sent ").append(cmd.toJson());
                }
            }
            return sb.toString();
        }

        void cleanup() {
            if (entities != null) {
                entities.stopRecording();
                disableFailPoints();
                entities.close();
            }
        }

        /** Turns an unexpected server or driver error in a setup or check phase into a categorised failure. */
        private void phase(String name, Runnable r) {
            try {
                r.run();
            } catch (SkipTest | SpecFailure e) {
                throw e;
            } catch (RuntimeException e) {
                throw new SpecFailure(name + ": " + errorKey(e), name + " failed: " + describe(e));
            }
        }

        private void initialData(BsonArray data) {
            for (BsonValue v : data) {
                BsonDocument d = v.asDocument();
                String collName = d.getString("collectionName").getValue();
                MongoDatabase db = internal.getDatabase(d.getString("databaseName").getValue())
                        .withWriteConcern(WriteConcern.MAJORITY);
                MongoCollection<BsonDocument> coll = db.getCollection(collName, BsonDocument.class);
                coll.drop();
                List<BsonDocument> docs = Bsons.documents(d.getArray("documents", new BsonArray()));
                if (d.containsKey("createOptions")) {
                    BsonDocument create = new BsonDocument("create", new BsonString(collName));
                    create.putAll(d.getDocument("createOptions"));
                    create.put("writeConcern", new BsonDocument("w", new BsonString("majority")));
                    db.runCommand(create);
                } else if (docs.isEmpty()) {
                    db.createCollection(collName);
                }
                if (!docs.isEmpty()) {
                    coll.insertMany(docs);
                }
            }
        }

        @Override
        public void executeInCallback(BsonDocument op) {
            execute(op, true);
        }

        public void execute(BsonDocument op) {
            execute(op, false);
        }

        private void execute(BsonDocument op, boolean propagate) {
            String name = op.getString("name").getValue();
            String object = op.getString("object").getValue();
            BsonDocument args = op.getDocument("arguments", null);
            Operations.Result result = null;
            RuntimeException error = null;
            try {
                result = operations.run(object, name, args);
            } catch (SkipTest | SpecFailure e) {
                throw e;
            } catch (AssertionError e) {
                throw new SpecFailure(name + ": assertion failed", name + ": " + e.getMessage());
            } catch (RuntimeException e) {
                error = e;
            }
            if (op.getBoolean("ignoreResultAndError", BsonBoolean.FALSE).getValue()) {
                if (propagate && error != null) {
                    // Ignored by the test, not by withTransaction: it still aborts or retries on the error.
                    throw error;
                }
                return;
            }
            if (op.containsKey("expectError")) {
                if (error == null) {
                    throw new SpecFailure(name + ": expected an error, got success",
                            name + " succeeded but an error was expected: " + op.getDocument("expectError").toJson());
                }
                checkError(name, op.getDocument("expectError"), error);
                if (propagate) {
                    throw error;
                }
                return;
            }
            if (error != null) {
                throw new SpecFailure(name + ": unexpected " + errorKey(error), name + " failed: " + describe(error));
            }
            if (op.containsKey("expectResult")) {
                try {
                    matchResult(op.get("expectResult"), result);
                } catch (SpecFailure | SkipTest e) {
                    throw e;
                } catch (AssertionError e) {
                    throw new SpecFailure(name + ": result mismatch", name + " result: " + e.getMessage());
                }
            }
            if (op.containsKey("saveResultAsEntity")) {
                Object saved = result.entity() != null ? result.entity() : result.value();
                if (saved == null) {
                    throw new SpecFailure(name + ": no result", name + " returned nothing to save as an entity");
                }
                entities.put(op.getString("saveResultAsEntity").getValue(), saved, object);
            }
        }

        private void matchResult(BsonValue expected, Operations.Result result) {
            BsonValue actual = result == null ? null : result.value();
            if (result != null && result.iterable() && expected.isArray()) {
                BsonArray e = expected.asArray();
                BsonArray a = actual.asArray();
                if (e.size() != a.size()) {
                    throw new AssertionError(a.size() + " documents instead of " + e.size() + ": " + Matcher.show(a));
                }
                for (int i = 0; i < e.size(); i++) {
                    try {
                        matcher.match(e.get(i), a.get(i), true);
                    } catch (AssertionError x) {
                        throw new AssertionError("[" + i + "] " + x.getMessage());
                    }
                }
                return;
            }
            matcher.match(expected, actual, true);
        }

        private void checkError(String op, BsonDocument expect, RuntimeException error) {
            for (Map.Entry<String, BsonValue> e : expect.entrySet()) {
                BsonValue v = e.getValue();
                String problem = null;
                switch (e.getKey()) {
                    case "isError" -> {
                    }
                    case "isClientError" -> {
                        boolean client = !(topLevel(error) instanceof MongoServerException);
                        if (client != v.asBoolean().getValue()) {
                            problem = (client ? "client" : "server") + " error instead of "
                                    + (client ? "server" : "client") + " error";
                        }
                    }
                    case "isTimeoutError" -> {
                        boolean timeout = error instanceof MongoOperationTimeoutException;
                        if (timeout != v.asBoolean().getValue()) {
                            problem = timeout ? "timeout error not expected" : "not a timeout error";
                        }
                    }
                    case "errorContains" -> {
                        String want = v.asString().getValue().toLowerCase(Locale.ROOT);
                        boolean found = false;
                        for (String m : messages(error)) {
                            found |= m != null && m.toLowerCase(Locale.ROOT).contains(want);
                        }
                        if (!found) {
                            problem = "message does not contain \"" + v.asString().getValue() + "\"";
                        }
                    }
                    case "errorCode" -> {
                        if (!codes(error).contains(v.asNumber().intValue())) {
                            problem = "error code " + v.asNumber().intValue() + " expected";
                        }
                    }
                    case "errorCodeName" -> {
                        boolean found = false;
                        for (String n : codeNames(error)) {
                            found |= n.equalsIgnoreCase(v.asString().getValue());
                        }
                        if (!found) {
                            problem = "error code name " + v.asString().getValue() + " expected";
                        }
                    }
                    case "errorLabelsContain" -> {
                        for (BsonValue l : v.asArray()) {
                            if (!(error instanceof MongoException me) || !me.hasErrorLabel(l.asString().getValue())) {
                                problem = "error label " + l.asString().getValue() + " missing";
                            }
                        }
                    }
                    case "errorLabelsOmit" -> {
                        for (BsonValue l : v.asArray()) {
                            if (error instanceof MongoException me && me.hasErrorLabel(l.asString().getValue())) {
                                problem = "error label " + l.asString().getValue() + " present";
                            }
                        }
                    }
                    case "errorResponse" -> {
                        if (!(error instanceof MongoCommandException ce)) {
                            throw SkipTest.unsupported("runner: errorResponse of a " + error.getClass().getSimpleName());
                        }
                        try {
                            matcher.match(v, ce.getResponse(), true);
                        } catch (AssertionError x) {
                            problem = "errorResponse: " + x.getMessage();
                        }
                    }
                    case "writeErrors" -> {
                        if (!(error instanceof ClientBulkWriteException ce)) {
                            problem = "no write errors on a " + error.getClass().getSimpleName();
                        } else {
                            BsonDocument got = new BsonDocument();
                            ce.getWriteErrors().forEach((i, w) -> got.put(String.valueOf(i), Bsons.writeError(w)));
                            if (!got.keySet().equals(v.asDocument().keySet())) {
                                problem = "write errors at " + got.keySet() + " instead of " + v.asDocument().keySet();
                            } else {
                                for (String k : got.keySet()) {
                                    try {
                                        matcher.match(v.asDocument().get(k), got.get(k), true);
                                    } catch (AssertionError x) {
                                        problem = "write error " + k + ": " + x.getMessage();
                                    }
                                }
                            }
                        }
                    }
                    case "writeConcernErrors" -> {
                        if (!(error instanceof ClientBulkWriteException ce)) {
                            problem = "no write concern errors on a " + error.getClass().getSimpleName();
                        } else {
                            BsonArray got = new BsonArray();
                            ce.getWriteConcernErrors().forEach(w -> got.add(Bsons.writeConcernError(w)));
                            if (got.size() != v.asArray().size()) {
                                problem = got.size() + " write concern errors instead of " + v.asArray().size();
                            } else {
                                for (int i = 0; i < got.size(); i++) {
                                    try {
                                        matcher.match(v.asArray().get(i), got.get(i), true);
                                    } catch (AssertionError x) {
                                        problem = "write concern error " + i + ": " + x.getMessage();
                                    }
                                }
                            }
                        }
                    }
                    case "expectResult" -> {
                        if (error instanceof ClientBulkWriteException ce) {
                            try {
                                matcher.match(v, ce.getPartialResult().map(Bsons::clientBulk).orElse(null), true);
                            } catch (AssertionError x) {
                                problem = "partial result: " + x.getMessage();
                            }
                        } else if (!(error instanceof MongoBulkWriteException be)) {
                            if (Matcher.isOperator(v) && v.asDocument().getFirstKey().equals("$$unsetOrMatches")) {
                                // nothing to check
                            } else if (topLevel(error) instanceof com.mongodb.MongoSocketException) {
                                // The driver forgets the batches that did succeed when a later one meets a network
                                // error (its own runner leaves the partial result unchecked); the outcome still
                                // checks what the server kept.
                                driverGap = "driver: the Java driver attaches no partial bulkWrite result to a network error";
                            } else {
                                problem = "no partial result on a " + error.getClass().getSimpleName();
                            }
                        } else {
                            try {
                                matcher.match(v, Bsons.bulk(be.getWriteResult()), true);
                            } catch (AssertionError x) {
                                problem = "partial result: " + x.getMessage();
                            }
                        }
                    }
                    default -> throw SkipTest.unsupported("runner: expectError." + e.getKey());
                }
                if (problem != null) {
                    throw new SpecFailure(op + ": wrong error (" + e.getKey() + ")",
                            op + ": " + problem + "; got " + describe(error));
                }
            }
        }

        // ------------------------------------------------------------ special operations

        @Override
        public Operations.Result special(String name, Args a) {
            switch (name) {
                case "failPoint", "targetedFailPoint" -> {
                    BsonDocument fp = a.document("failPoint");
                    Entities.ClientEntity c = name.equals("failPoint")
                            ? entities.get(a.string("client"), Entities.ClientEntity.class)
                            : entities.clientOf(a.string("session"));
                    a.done();
                    c.client().getDatabase("admin").runCommand(fp);
                    failPoints.add(new Object[] {c, fp.getString("configureFailPoint").getValue()});
                    return Operations.Result.NONE;
                }
                case "assertCollectionExists", "assertCollectionNotExists" -> {
                    String db = a.string("databaseName");
                    String coll = a.string("collectionName");
                    a.done();
                    boolean exists = internal.getDatabase(db).listCollectionNames().into(new ArrayList<>()).contains(coll);
                    if (exists != name.equals("assertCollectionExists")) {
                        throw new AssertionError("collection " + db + "." + coll + (exists ? " exists" : " does not exist"));
                    }
                    return Operations.Result.NONE;
                }
                case "assertIndexExists", "assertIndexNotExists" -> {
                    String db = a.string("databaseName");
                    String coll = a.string("collectionName");
                    String index = a.string("indexName");
                    a.done();
                    boolean exists = false;
                    for (BsonDocument ix : internal.getDatabase(db).getCollection(coll).listIndexes(BsonDocument.class)) {
                        exists |= ix.getString("name").getValue().equals(index);
                    }
                    if (exists != name.equals("assertIndexExists")) {
                        throw new AssertionError("index " + index + " on " + db + "." + coll
                                + (exists ? " exists" : " does not exist"));
                    }
                    return Operations.Result.NONE;
                }
                case "assertSameLsidOnLastTwoCommands", "assertDifferentLsidOnLastTwoCommands" -> {
                    Entities.ClientEntity c = entities.get(a.string("client"), Entities.ClientEntity.class);
                    a.done();
                    List<EventLog.Event> started = c.log().events("commandStartedEvent");
                    if (started.size() < 2) {
                        throw new AssertionError("fewer than two commands observed");
                    }
                    BsonValue x = started.get(started.size() - 2).body().get("lsid");
                    BsonValue y = started.get(started.size() - 1).body().get("lsid");
                    boolean same = x != null && x.equals(y);
                    if (same != name.equals("assertSameLsidOnLastTwoCommands")) {
                        throw new AssertionError("lsids of the last two commands are " + (same ? "equal" : "different"));
                    }
                    return Operations.Result.NONE;
                }
                case "assertSessionDirty", "assertSessionNotDirty" -> {
                    ClientSession s = entities.get(a.string("session"), ClientSession.class);
                    a.done();
                    boolean dirty = s.getServerSession().isMarkedDirty();
                    if (dirty != name.equals("assertSessionDirty")) {
                        throw new AssertionError("session is " + (dirty ? "dirty" : "not dirty"));
                    }
                    return Operations.Result.NONE;
                }
                case "assertSessionTransactionState" -> {
                    ClientSession s = entities.get(a.string("session"), ClientSession.class);
                    String state = a.string("state");
                    a.done();
                    // The public API only tells whether a transaction is active, not which of the final states.
                    boolean active = s.hasActiveTransaction();
                    boolean wantActive = state.equals("starting") || state.equals("in_progress");
                    if (active != wantActive) {
                        throw new AssertionError("transaction state is not " + state);
                    }
                    return Operations.Result.NONE;
                }
                case "assertSessionPinned", "assertSessionUnpinned" -> {
                    ClientSession s = entities.get(a.string("session"), ClientSession.class);
                    a.done();
                    boolean pinned = s.getPinnedServerAddress() != null;
                    if (pinned != name.equals("assertSessionPinned")) {
                        throw new AssertionError("session is " + (pinned ? "pinned" : "not pinned"));
                    }
                    return Operations.Result.NONE;
                }
                case "assertNumberConnectionsCheckedOut" -> {
                    Entities.ClientEntity c = entities.get(a.string("client"), Entities.ClientEntity.class);
                    int want = a.integer("connections");
                    a.done();
                    if (c.log().connectionsCheckedOut() != want) {
                        throw new AssertionError(c.log().connectionsCheckedOut() + " connections checked out, not " + want);
                    }
                    return Operations.Result.NONE;
                }
                case "createEntities" -> {
                    BsonArray specs = a.required("entities").asArray();
                    a.done();
                    entities.create(specs);
                    return Operations.Result.NONE;
                }
                case "wait" -> {
                    long ms = a.number("ms");
                    a.done();
                    try {
                        Thread.sleep(ms);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Operations.Result.NONE;
                }
                default -> throw SkipTest.unsupported("runner: testRunner operation " + name);
            }
        }

        private void disableFailPoints() {
            // Fail points are server-wide: switch them off through the internal client, whose connections the
            // test never broke. The test's own client may have just had its connection closed by the fail point
            // and be waiting for its monitor, and a fail point left on would break every later test's setup.
            for (Object[] fp : failPoints) {
                internal.getDatabase("admin").runCommand(new BsonDocument("configureFailPoint", new BsonString((String) fp[1]))
                        .append("mode", new BsonString("off")));
            }
            failPoints.clear();
        }

        // ------------------------------------------------------------ events

        private void checkEvents(BsonArray expectations) {
            for (BsonValue v : expectations) {
                BsonDocument exp = v.asDocument();
                String clientId = exp.getString("client").getValue();
                String type = exp.getString("eventType", new BsonString("command")).getValue();
                boolean ignoreExtra = exp.getBoolean("ignoreExtraEvents", BsonBoolean.FALSE).getValue();
                EventLog log = entities.get(clientId, Entities.ClientEntity.class).log();
                List<EventLog.Event> actual = new ArrayList<>();
                for (EventLog.Event e : log.events()) {
                    boolean command = e.type().startsWith("command");
                    if (type.equals("command") == command) {
                        actual.add(e);
                    }
                }
                if (type.equals("sdam")) {
                    throw SkipTest.unsupported("runner: sdam events");
                }
                BsonArray expected = exp.getArray("events");
                if (actual.size() < expected.size() || !ignoreExtra && actual.size() != expected.size()) {
                    throw new SpecFailure("events: " + actual.size() + " instead of " + expected.size(),
                            clientId + ": " + actual.size() + " " + type + " events instead of " + expected.size()
                                    + "; observed " + names(actual) + ", expected " + expectedNames(expected));
                }
                for (int i = 0; i < expected.size(); i++) {
                    matchEvent(clientId, i, expected.get(i).asDocument(), actual.get(i));
                }
            }
        }

        private void matchEvent(String client, int i, BsonDocument expected, EventLog.Event actual) {
            String type = expected.getFirstKey();
            BsonDocument body = expected.getDocument(type);
            String where = client + " event " + i + " (" + actual.type() + " " + (actual.commandName() == null ? "" : actual.commandName()) + ")";
            if (!type.equals(actual.type())) {
                throw new SpecFailure("events: wrong event type", where + ": expected " + type);
            }
            for (Map.Entry<String, BsonValue> e : body.entrySet()) {
                BsonValue v = e.getValue();
                switch (e.getKey()) {
                    case "command", "reply" -> {
                        try {
                            BsonDocument body2 = e.getKey().equals("command") && v.isDocument()
                                    ? literalGridFsIds(v.asDocument(), actual.body()) : actual.body();
                            matcher.match(v, body2, true);
                        } catch (SkipTest s) {
                            throw s;
                        } catch (AssertionError x) {
                            throw new SpecFailure("events: " + actual.commandName() + " " + e.getKey() + " mismatch",
                                    where + ": " + x.getMessage());
                        }
                    }
                    case "commandName" -> {
                        if (!v.asString().getValue().equals(actual.commandName())) {
                            throw new SpecFailure("events: wrong command", where + ": expected command " + v.asString().getValue());
                        }
                    }
                    case "databaseName" -> {
                        if (!v.asString().getValue().equals(actual.databaseName())) {
                            throw new SpecFailure("events: wrong database", where + ": database " + actual.databaseName()
                                    + " instead of " + v.asString().getValue());
                        }
                    }
                    case "hasServerConnectionId" -> {
                        if (v.asBoolean().getValue() != actual.hasServerConnectionId()) {
                            throw new SpecFailure("events: hasServerConnectionId", where + ": hasServerConnectionId is "
                                    + actual.hasServerConnectionId());
                        }
                    }
                    case "hasServiceId" -> {
                        if (v.asBoolean().getValue() != actual.hasServiceId()) {
                            throw new SpecFailure("events: hasServiceId", where + ": hasServiceId is " + actual.hasServiceId());
                        }
                    }
                    default -> throw SkipTest.unsupported("runner: event field " + type + "." + e.getKey());
                }
            }
        }

        private static String names(List<EventLog.Event> events) {
            List<String> out = new ArrayList<>();
            for (EventLog.Event e : events) {
                out.add(e.commandName() != null ? e.commandName() : e.type());
            }
            return out.toString();
        }

        private static String expectedNames(BsonArray events) {
            List<String> out = new ArrayList<>();
            for (BsonValue v : events) {
                String type = v.asDocument().getFirstKey();
                BsonDocument body = v.asDocument().getDocument(type);
                out.add(body.containsKey("commandName") ? body.getString("commandName").getValue()
                        : body.containsKey("command") ? body.getDocument("command").getFirstKey() : type);
            }
            return out.toString();
        }

        // ------------------------------------------------------------ outcome

        private void checkOutcome(BsonArray outcome) {
            for (BsonValue v : outcome) {
                BsonDocument d = v.asDocument();
                String ns = d.getString("databaseName").getValue() + "." + d.getString("collectionName").getValue();
                List<BsonDocument> actual = internal.getDatabase(d.getString("databaseName").getValue())
                        .getCollection(d.getString("collectionName").getValue(), BsonDocument.class)
                        .withReadPreference(ReadPreference.primary())
                        .withReadConcern(ReadConcern.LOCAL)
                        .find().sort(new BsonDocument("_id", new BsonInt32(1)))
                        .into(new ArrayList<>());
                BsonArray expected = d.getArray("documents");
                if (expected.size() != actual.size()) {
                    throw new SpecFailure("outcome: wrong number of documents", ns + ": " + actual.size()
                            + " documents instead of " + expected.size() + ": " + Matcher.show(Bsons.array(actual)));
                }
                for (int i = 0; i < expected.size(); i++) {
                    String diff = Matcher.exactDifference("[" + i + "]", expected.get(i), actual.get(i));
                    if (diff != null) {
                        throw new SpecFailure(diff.contains("numeric type") ? "outcome: numeric type differs"
                                : "outcome: documents differ", ns + diff);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- error helpers

    /**
     * The error the format's assertions look at: for a client bulk write, the top-level error it carries (its
     * individual write errors are only checked through writeErrors and writeConcernErrors).
     */
    static Throwable topLevel(Throwable t) {
        if (t instanceof ClientBulkWriteException ce && ce.getCause() != null) {
            return ce.getCause();
        }
        return t;
    }

    static Set<Integer> codes(Throwable error) {
        Throwable t = topLevel(error);
        Set<Integer> out = new HashSet<>();
        if (t instanceof MongoException me) {
            out.add(me.getCode());
        }
        if (t instanceof MongoBulkWriteException be) {
            for (BulkWriteError w : be.getWriteErrors()) {
                out.add(w.getCode());
            }
            if (be.getWriteConcernError() != null) {
                out.add(be.getWriteConcernError().getCode());
            }
        }
        if (t instanceof MongoWriteException we) {
            out.add(we.getError().getCode());
        }
        if (t instanceof MongoWriteConcernException wce) {
            out.add(wce.getWriteConcernError().getCode());
        }
        return out;
    }

    /**
     * The Java driver (5.14, as other drivers since 2026) wraps a GridFS file id in {@code $eq} when it looks the
     * file or its chunks up ({@code {_id: {$eq: id}}}), so that an id that is a document is matched literally;
     * the spec data predates that and expects {@code {_id: id}}. The two filters select the same documents, so
     * for a command on a {@code .files} or {@code .chunks} collection the actual {@code _id}/{@code files_id}
     * is unwrapped before matching, unless the test itself expects an operator there.
     */
    static BsonDocument literalGridFsIds(BsonDocument expected, BsonDocument actual) {
        if (actual.isEmpty() || !actual.get(actual.getFirstKey()).isString()) {
            return actual;
        }
        String coll = actual.getString(actual.getFirstKey()).getValue();
        BsonDocument want = expected.isDocument("filter") ? expected.getDocument("filter") : null;
        if (!(coll.endsWith(".files") || coll.endsWith(".chunks")) || want == null || !actual.isDocument("filter")) {
            return actual;
        }
        BsonDocument out = null;
        for (String k : List.of("_id", "files_id")) {
            BsonValue a = actual.getDocument("filter").get(k);
            BsonValue w = want.get(k);
            boolean wrapped = a != null && a.isDocument() && a.asDocument().size() == 1 && a.asDocument().containsKey("$eq");
            boolean wantsOperator = w != null && w.isDocument() && !w.asDocument().isEmpty()
                    && w.asDocument().getFirstKey().startsWith("$");
            if (wrapped && w != null && !wantsOperator) {
                if (out == null) {
                    // A copy, not clone(): the driver's command may be a RawBsonDocument, whose clone is immutable.
                    out = new BsonDocument();
                    out.putAll(actual);
                    BsonDocument filter = new BsonDocument();
                    filter.putAll(actual.getDocument("filter"));
                    out.put("filter", filter);
                }
                out.getDocument("filter").put(k, a.asDocument().get("$eq"));
            }
        }
        return out == null ? actual : out;
    }

    static List<String> codeNames(Throwable error) {
        Throwable t = topLevel(error);
        List<String> out = new ArrayList<>();
        if (t instanceof MongoServerException se && se.getErrorCodeName() != null) {
            out.add(se.getErrorCodeName());
        }
        if (t instanceof MongoBulkWriteException be && be.getWriteConcernError() != null) {
            out.add(be.getWriteConcernError().getCodeName());
        }
        if (t instanceof MongoWriteConcernException wce) {
            out.add(wce.getWriteConcernError().getCodeName());
        }
        if (t instanceof MongoExecutionTimeoutException) {
            // The driver keeps no code name here, and makes this exception only of code 50 (the driver's own runner
            // matches it the same way).
            out.add("MaxTimeMSExpired");
        }
        return out;
    }

    static List<String> messages(Throwable error) {
        Throwable t = topLevel(error);
        List<String> out = new ArrayList<>();
        out.add(t.getMessage());
        if (t instanceof MongoCommandException ce) {
            out.add(ce.getErrorMessage());
        }
        if (t instanceof MongoBulkWriteException be) {
            for (BulkWriteError w : be.getWriteErrors()) {
                out.add(w.getMessage());
            }
            if (be.getWriteConcernError() != null) {
                out.add(be.getWriteConcernError().getMessage());
            }
        }
        return out;
    }

    /**
     * A grouping key for an error: origin, code, code name and the gist of the message (trailing identifiers such
     * as a variable name removed), so that failures with one server-side cause land in one group of the report.
     */
    static String errorKey(Throwable t) {
        return errorKey(t, true);
    }

    private static String errorKey(Throwable t, boolean withGist) {
        if (!withGist) {
            return t instanceof MongoCommandException ce ? "server error " + ce.getErrorCode() + " " + ce.getErrorCodeName()
                    : t instanceof MongoWriteException we ? "server write error " + we.getError().getCode()
                    : t instanceof MongoBulkWriteException ? "server write errors"
                    : t instanceof MongoServerException ? "server error " + ((MongoServerException) t).getCode()
                    : "client error " + t.getClass().getSimpleName();
        }
        if (t instanceof MongoCommandException ce) {
            return "server error " + ce.getErrorCode() + " " + ce.getErrorCodeName() + gist(ce.getErrorMessage());
        }
        if (t instanceof MongoBulkWriteException be) {
            Set<Integer> codes = new TreeSet<>();
            String first = null;
            for (BulkWriteError w : be.getWriteErrors()) {
                codes.add(w.getCode());
                first = first == null ? w.getMessage() : first;
            }
            if (be.getWriteConcernError() != null) {
                codes.add(be.getWriteConcernError().getCode());
                first = first == null ? be.getWriteConcernError().getMessage() : first;
            }
            return "server write error " + codes + gist(first);
        }
        if (t instanceof MongoWriteException we) {
            return "server write error " + we.getError().getCode() + gist(we.getError().getMessage());
        }
        if (t instanceof MongoServerException se) {
            return "server error " + se.getCode() + (se.getErrorCodeName() == null ? "" : " " + se.getErrorCodeName());
        }
        return "client error " + t.getClass().getSimpleName();
    }

    private static String gist(String message) {
        if (message == null || message.isBlank()) {
            return "";
        }
        String m = message.replace('\n', ' ').replaceAll(":\\s*[\\w$.]+$", "");
        return " (" + (m.length() > 90 ? m.substring(0, 87) + "..." : m) + ")";
    }

    static String describe(Throwable t) {
        String m = t instanceof MongoCommandException ce ? ce.getErrorMessage()
                : t instanceof MongoWriteException we ? we.getError().getMessage() : t.getMessage();
        if (t instanceof MongoBulkWriteException be) {
            List<String> parts = new ArrayList<>();
            for (BulkWriteError w : be.getWriteErrors()) {
                parts.add("[" + w.getIndex() + "] " + w.getCode() + " " + w.getMessage());
            }
            m = String.join("; ", parts);
        }
        String s = errorKey(t, false) + ": " + m;
        s = s.replace('\n', ' ');
        return s.length() > 300 ? s.substring(0, 297) + "..." : s;
    }
}
