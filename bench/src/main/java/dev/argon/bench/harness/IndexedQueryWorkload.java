package dev.argon.bench.harness;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.InsertManyOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.Document;

/**
 * Issue 10's planner figures over the wire, on a collection of its own of {@code argon.bench.indexedDocs}
 * documents {@code {_id, label, score, v}} (default 50,000; 2,000 in the smoke mode) with indexes on
 * {@code label} and {@code score}: an equality on {@code label} that matches {@link #PER_LABEL} documents, and
 * {@code score >= r} sorted by {@code score} with limit {@link #LIMIT}, each through its index and with
 * {@code hint: {$natural: 1}}. Each of the four queries runs in a phase of its own on one client, so a slow scan
 * never queues behind another. The notes give the scan/index ratios and, from {@code explain("executionStats")},
 * the keys and documents each plan examined.
 *
 * <p>Every reply is checked (10 documents, 20 in score order), so a server that answers fast and wrong shows
 * as misses. A peer that ignores non-unique indexes (mongo-java-server) runs all four as scans.
 */
final class IndexedQueryWorkload implements Workload {
    static final String COLLECTION = "indexed";
    static final int PER_LABEL = 10;
    static final int LIMIT = 20;
    private static final int BATCH = 1_000;

    @Override
    public String name() {
        return "indexed";
    }

    @Override
    public String description() {
        return "equality (10 matches) and range+sort+limit 20 finds through an index vs hint {$natural: 1}";
    }

    static int docs(boolean quick) {
        return Integer.getInteger("argon.bench.indexedDocs", quick ? 2_000 : 50_000);
    }

    @Override
    public WorkloadResult run(Session s, LoadRunner runner) {
        int n = docs(s.config.quick());
        int labels = Math.max(1, n / PER_LABEL);
        MongoCollection<BsonDocument> c = s.database().getCollection(COLLECTION, BsonDocument.class);
        c.drop();
        load(s, c, n, labels);
        c.createIndex(new Document("label", 1), new IndexOptions().name("label_1"));
        c.createIndex(new Document("score", 1), new IndexOptions().name("score_1"));
        BsonDocument natural = new BsonDocument("$natural", new BsonInt32(1));
        double maxStart = 1.0 - 4.0 * LIMIT / n;
        List<OpStats> ops = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "%,d documents, %,d labels", n, labels));
        double seconds = 0;
        String firstError = null;
        for (String op : List.of("eq index", "eq scan", "range+sort+limit index", "range+sort+limit scan")) {
            boolean scan = op.endsWith("scan");
            boolean eq = op.startsWith("eq");
            LoadRunner.Outcome o = runner.run(LoadRunner.Plan.timed(s.target.name() + " indexed " + op, 1, s.config), s.config.seed(),
                    t -> (rec, rnd) -> {
                        if (eq) {
                            BsonDocument q = new BsonDocument("label", label(rnd.nextInt(labels)));
                            List<BsonDocument> got = rec.time(op, () -> (scan ? c.find(q).hint(natural) : c.find(q)).into(new ArrayList<>()));
                            if (got != null && got.size() != Math.min(PER_LABEL, n)) {
                                rec.wrong(op, "expected " + PER_LABEL + " documents for " + q.toJson() + ", got " + got.size());
                            }
                        } else {
                            BsonDocument q = new BsonDocument("score", new BsonDocument("$gte", new BsonDouble(rnd.nextDouble() * maxStart)));
                            BsonDocument sort = new BsonDocument("score", new BsonInt32(1));
                            List<BsonDocument> got = rec.time(op, () -> (scan ? c.find(q).sort(sort).hint(natural) : c.find(q).sort(sort))
                                    .limit(LIMIT).into(new ArrayList<>()));
                            if (got != null && !sortedPage(got)) {
                                rec.wrong(op, "expected " + LIMIT + " documents in score order for " + q.toJson());
                            }
                        }
                    });
            ops.addAll(o.ops());
            seconds += o.seconds();
            if (firstError == null) {
                firstError = o.firstError();
            }
        }
        ratio(notes, ops, "eq scan", "eq index", "goal at 1,000,000 documents: 100x; over the wire at 50,000: 20x");
        ratio(notes, ops, "range+sort+limit scan", "range+sort+limit index", null);
        explain(s, c, notes, new BsonDocument("label", label(labels / 2)), null, 0, "eq index");
        explain(s, c, notes, new BsonDocument("score", new BsonDocument("$gte", new BsonDouble(0.5))), new BsonDocument("score", new BsonInt32(1)),
                LIMIT, "range+sort+limit index");
        if (firstError != null) {
            notes.add("first error: " + firstError);
        }
        c.drop();
        return new WorkloadResult(s.target.name(), name(), description(), ops, seconds, notes, false);
    }

    private static BsonString label(int i) {
        return new BsonString("label-" + i);
    }

    /** Documents spread their labels round robin, so one label's documents are far apart in storage order. */
    private static void load(Session s, MongoCollection<BsonDocument> c, int n, int labels) {
        SplittableRandom rnd = new SplittableRandom(s.config.seed());
        List<BsonDocument> batch = new ArrayList<>(BATCH);
        s.progress.line(String.format("%s indexed: loading %,d documents", s.target.name(), n));
        for (int i = 0; i < n; i++) {
            batch.add(new BsonDocument("_id", new BsonInt64(i)).append("label", label(i % labels))
                    .append("score", new BsonDouble(rnd.nextDouble())).append("v", new BsonInt32(i)));
            if (batch.size() == BATCH || i == n - 1) {
                c.insertMany(batch, new InsertManyOptions().ordered(false));
                batch.clear();
            }
        }
    }

    private static boolean sortedPage(List<BsonDocument> got) {
        if (got.size() != LIMIT) {
            return false;
        }
        for (int i = 1; i < got.size(); i++) {
            if (got.get(i - 1).getDouble("score").getValue() > got.get(i).getDouble("score").getValue()) {
                return false;
            }
        }
        return true;
    }

    private static void ratio(List<String> notes, List<OpStats> ops, String slow, String fast, String goal) {
        OpStats a = find(ops, slow);
        OpStats b = find(ops, fast);
        if (a != null && b != null && a.count() > 0 && b.count() > 0) {
            notes.add(String.format(Locale.ROOT, "%s / %s: p50 %.1fx%s", slow, fast, a.p50Micros() / b.p50Micros(), goal == null ? "" : " (" + goal + ")"));
        }
    }

    private static OpStats find(List<OpStats> ops, String op) {
        return ops.stream().filter(x -> x.op().equals(op)).findFirst().orElse(null);
    }

    /** Adds the winning plan's examined counts; a server without explain gets a note saying so. */
    private static void explain(Session s, MongoCollection<BsonDocument> c, List<String> notes, BsonDocument filter, BsonDocument sort, int limit,
                                String op) {
        Document find = new Document("find", COLLECTION).append("filter", filter);
        if (sort != null) {
            find.append("sort", sort);
        }
        if (limit > 0) {
            find.append("limit", limit);
        }
        try {
            Document e = s.database().runCommand(new Document("explain", find).append("verbosity", "executionStats"));
            Document stats = e.get("executionStats", Document.class);
            notes.add(String.format(Locale.ROOT, "%s explain: %s keys and %s documents examined, %s returned", op,
                    stats.get("totalKeysExamined"), stats.get("totalDocsExamined"), stats.get("nReturned")));
        } catch (RuntimeException ex) {
            notes.add(op + " explain: not available (" + ex.getMessage().lines().findFirst().orElse("") + ")");
        }
    }
}
