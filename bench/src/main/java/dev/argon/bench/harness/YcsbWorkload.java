package dev.argon.bench.harness;

import com.mongodb.client.MongoCollection;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;

/**
 * The YCSB core workloads A to F as their property files define them (operation mix, key distribution), over
 * the loaded {@code usertable}: a read is a find by {@code _id}, an update sets one field, an insert adds a new
 * record, a scan reads up to N records in {@code _id} order from a key, a read-modify-write reads a record and
 * updates one of its fields. Immutable.
 */
final class YcsbWorkload implements Workload {
    static final YcsbWorkload A = new YcsbWorkload("A", "50% read, 50% update (update heavy)", 0.5, 0.5, 0, 0, 0, false);
    static final YcsbWorkload B = new YcsbWorkload("B", "95% read, 5% update (read mostly)", 0.95, 0.05, 0, 0, 0, false);
    static final YcsbWorkload C = new YcsbWorkload("C", "100% read (read only)", 1, 0, 0, 0, 0, false);
    static final YcsbWorkload D = new YcsbWorkload("D", "95% read of the latest inserts, 5% insert", 0.95, 0, 0.05, 0, 0, true);
    static final YcsbWorkload E = new YcsbWorkload("E", "95% short scan, 5% insert", 0, 0, 0.05, 0.95, 0, false);
    static final YcsbWorkload F = new YcsbWorkload("F", "50% read, 50% read-modify-write", 0.5, 0, 0, 0, 0.5, false);

    private final String name;
    private final String description;
    private final double read;
    private final double update;
    private final double insert;
    private final double scan;
    private final boolean latest;

    private YcsbWorkload(String name, String description, double read, double update, double insert, double scan, double rmw,
                         boolean latest) {
        if (Math.abs(read + update + insert + scan + rmw - 1) > 1e-9) {
            throw new IllegalArgumentException("proportions of " + name + " must add up to 1");
        }
        this.name = name;
        this.description = description;
        this.read = read;
        this.update = update;
        this.insert = insert;
        this.scan = scan;
        this.latest = latest;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public WorkloadResult run(Session s, LoadRunner runner) {
        if (s.keys().loaded() == 0) {
            return WorkloadResult.skipped(s.target.name(), this, "no records loaded (--records 0)");
        }
        LongAdder misses = new LongAdder();
        LoadRunner.Outcome o = runner.run(LoadRunner.Plan.timed(s.target.name() + " " + name, s.config.threads(), s.config),
                s.config.seed(), i -> step(s, misses));
        List<String> notes = new ArrayList<>();
        if (misses.sum() > 0) {
            notes.add(misses.sum() + " reads found no document" + (insert > 0 ? " (keys read while their insert was in flight)" : ""));
        }
        if (o.firstError() != null) {
            notes.add("first error: " + o.firstError());
        }
        return new WorkloadResult(s.target.name(), name, description, o.ops(), o.seconds(), notes, false);
    }

    private LoadRunner.Step step(Session s, LongAdder misses) {
        MongoCollection<BsonDocument> coll = s.records();
        KeySpace keys = s.keys();
        int maxScan = s.config.maxScanLength();
        return (rec, rnd) -> {
            double p = rnd.nextDouble();
            if (p < read) {
                String key = KeySpace.key(latest ? keys.latest(rnd) : keys.existing(rnd));
                rec.time("read", () -> read(coll, key, misses));
            } else if (p < read + update) {
                String key = KeySpace.key(keys.existing(rnd));
                rec.time("update", () -> coll.updateOne(byId(key), setOneField(s, rnd)));
            } else if (p < read + update + insert) {
                long k = keys.reserveInsert();
                BsonDocument doc = s.values.record(k, rnd);
                if (rec.time("insert", () -> coll.insertOne(doc)) != null) {
                    keys.acknowledge(k);
                }
            } else if (p < read + update + insert + scan) {
                String key = KeySpace.key(keys.existing(rnd));
                int length = 1 + rnd.nextInt(maxScan);
                rec.time("scan", () -> coll.find(new BsonDocument("_id", new BsonDocument("$gte", new BsonString(key))))
                        .sort(new BsonDocument("_id", new BsonInt32(1))).limit(length).into(new ArrayList<>()));
            } else {
                String key = KeySpace.key(keys.existing(rnd));
                rec.time("read-modify-write", () -> {
                    read(coll, key, misses);
                    return coll.updateOne(byId(key), setOneField(s, rnd));
                });
            }
        };
    }

    private static BsonDocument read(MongoCollection<BsonDocument> coll, String key, LongAdder misses) {
        BsonDocument d = coll.find(byId(key)).first();
        if (d == null) {
            misses.increment();
        }
        return d;
    }

    static BsonDocument byId(String key) {
        return new BsonDocument("_id", new BsonString(key));
    }

    private static BsonDocument setOneField(Session s, SplittableRandom rnd) {
        return new BsonDocument("$set", new BsonDocument("field" + rnd.nextInt(FieldValues.FIELDS), s.values.any(rnd)));
    }
}
