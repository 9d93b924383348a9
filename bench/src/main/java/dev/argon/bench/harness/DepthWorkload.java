package dev.argon.bench.harness;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.WriteModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.Document;

/**
 * Reads over the wire on main against reads on branches 5 and 20 levels deep (issue 3's goal: 20 levels within
 * 1.5x of main). The workload stacks {@link #DEEPEST} - 1 branches below main, each overwriting a slice of the
 * records, so a read on a deep branch finds its version at some random level of the ancestry. Point reads and
 * scans run as two phases (a slow scan would otherwise inflate the reads' latency); within a phase each client
 * step picks a depth at random, so all depths share the same noise. The stack is dropped afterwards.
 */
final class DepthWorkload implements Workload {
    static final int DEEPEST = 20;
    private static final int[] DEPTHS = {1, 5, DEEPEST};
    /** Records overwritten per level: 1% of the data set, at most a few thousand so setup stays quick. */
    private static final double OVERWRITE_FRACTION = 0.01;
    private static final int MAX_OVERWRITES = 2000;
    /** Scan length: a "short scan" as in YCSB E, fixed so that depths compare like for like. */
    static final int SCAN_LENGTH = 10;

    @Override
    public String name() {
        return "depth";
    }

    @Override
    public String description() {
        return "point read and " + SCAN_LENGTH + "-record scan on main vs on branches 5 and " + DEEPEST + " levels deep";
    }

    @Override
    public WorkloadResult run(Session s, LoadRunner runner) {
        if (!s.isArgon()) {
            return WorkloadResult.skipped(s.target.name(), this, "branches " + s.notArgonNote());
        }
        long loaded = s.keys().loaded();
        if (loaded == 0) {
            return WorkloadResult.skipped(s.target.name(), this, "no records loaded (--records 0)");
        }
        String prefix = "bench-depth-" + Long.toHexString(System.nanoTime() & 0xFFFFFFL) + "-";
        List<String> stack = buildStack(s, prefix);
        try {
            @SuppressWarnings("unchecked")
            MongoCollection<BsonDocument>[] at = new MongoCollection[DEPTHS.length];
            for (int i = 0; i < DEPTHS.length; i++) {
                at[i] = DEPTHS[i] == 1 ? s.records() : s.database(stack.get(DEPTHS[i] - 2)).getCollection(Session.RECORDS, BsonDocument.class);
            }
            LoadRunner.Outcome reads = runner.run(LoadRunner.Plan.timed(s.target.name() + " depth reads", s.config.threads(), s.config),
                    s.config.seed(), t -> (rec, rnd) -> step(rec, rnd, at, loaded, true));
            LoadRunner.Outcome scans = runner.run(LoadRunner.Plan.timed(s.target.name() + " depth scans", s.config.threads(), s.config),
                    s.config.seed(), t -> (rec, rnd) -> step(rec, rnd, at, loaded, false));
            List<OpStats> ops = new ArrayList<>(reads.ops());
            ops.addAll(scans.ops());
            List<String> notes = new ArrayList<>();
            notes.add(String.format(Locale.ROOT, "%d levels, each overwriting %d records; %,d records", DEEPEST - 1, overwrites(loaded), loaded));
            for (String op : new String[] {"read", "scan"}) {
                OpStats main = find(ops, op + " main");
                OpStats deep = find(ops, op + " depth " + DEEPEST);
                if (main != null && deep != null && main.count() > 0 && deep.count() > 0) {
                    notes.add(String.format(Locale.ROOT, "%s depth %d / main: p50 %.2fx, p99 %.2fx (goal: within 1.5x)", op, DEEPEST,
                            deep.p50Micros() / main.p50Micros(), deep.p99Micros() / main.p99Micros()));
                }
            }
            String firstError = reads.firstError() != null ? reads.firstError() : scans.firstError();
            if (firstError != null) {
                notes.add("first error: " + firstError);
            }
            return new WorkloadResult(s.target.name(), name(), description(), ops, reads.seconds() + scans.seconds(), notes, false);
        } finally {
            for (int i = stack.size() - 1; i >= 0; i--) {
                s.admin(new Document("dropBranch", stack.get(i)));
            }
        }
    }

    private static void step(OpRecorder rec, SplittableRandom rnd, MongoCollection<BsonDocument>[] at, long loaded, boolean read) {
        int d = rnd.nextInt(DEPTHS.length);
        String where = DEPTHS[d] == 1 ? "main" : "depth " + DEPTHS[d];
        String key = KeySpace.key(rnd.nextLong(loaded));
        if (read) {
            BsonDocument doc = rec.time("read " + where, () -> at[d].find(YcsbWorkload.byId(key)).first());
            if (doc == null) {
                rec.wrong("read " + where, "record " + key + " missing");
            }
        } else {
            rec.time("scan " + where, () -> at[d].find(new BsonDocument("_id", new BsonDocument("$gte", new BsonString(key))))
                    .sort(new BsonDocument("_id", new BsonInt32(1))).limit(SCAN_LENGTH).into(new ArrayList<>()));
        }
    }

    private static OpStats find(List<OpStats> ops, String name) {
        return ops.stream().filter(x -> x.op().equals(name)).findFirst().orElse(null);
    }

    private static int overwrites(long loaded) {
        return (int) Math.max(1, Math.min(MAX_OVERWRITES, loaded * OVERWRITE_FRACTION));
    }

    /** Branches level1 (from main) .. level19, each overwriting a random slice of the records. */
    private static List<String> buildStack(Session s, String prefix) {
        s.progress.line(String.format("%s depth: stacking %d branches below main", s.target.name(), DEEPEST - 1));
        SplittableRandom rnd = new SplittableRandom(s.config.seed() + 1);
        List<String> stack = new ArrayList<>();
        String parent = "main";
        long loaded = s.keys().loaded();
        int n = overwrites(loaded);
        for (int level = 1; level < DEEPEST; level++) {
            String name = prefix + level;
            s.admin(new Document("createBranch", name).append("from", parent));
            stack.add(name);
            List<WriteModel<BsonDocument>> bulk = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                bulk.add(new UpdateOneModel<>(YcsbWorkload.byId(KeySpace.key(rnd.nextLong(loaded))),
                        new BsonDocument("$set", new BsonDocument("field1", s.values.any(rnd)))));
            }
            s.database(name).getCollection(Session.RECORDS, BsonDocument.class).bulkWrite(bulk, new BulkWriteOptions().ordered(false));
            parent = name;
        }
        return stack;
    }
}
