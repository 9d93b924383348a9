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

/**
 * A point read at an old LSN against the same read at the head. After noting the head LSN, the workload writes
 * {@link #LATER_VERSIONS} more versions of a set of records, then reads those records, each client alternating at
 * random between {@code db} (head) and {@code db~main@<old lsn>}, so both see the same noise. An old read must
 * find the version under the newer ones; the goal is within 1.5x of a head read.
 */
final class TimeTravelWorkload implements Workload {
    /** Versions written above the old point: enough that a naive newest-first walk would show its cost. */
    static final int LATER_VERSIONS = 3;
    /** Records given later versions: bounded so that preparing stays quick on a large data set. */
    static final int MAX_KEYS = 10_000;
    private static final int BULK = 1000;

    @Override
    public String name() {
        return "timetravel";
    }

    @Override
    public String description() {
        return "point read on main at an old LSN vs at the head, after " + LATER_VERSIONS + " newer versions of each record";
    }

    @Override
    public WorkloadResult run(Session s, LoadRunner runner) {
        if (!s.isArgon()) {
            return WorkloadResult.skipped(s.target.name(), this, "time travel " + s.notArgonNote());
        }
        if (s.keys().loaded() == 0) {
            return WorkloadResult.skipped(s.target.name(), this, "no records loaded (--records 0)");
        }
        int keys = (int) Math.min(MAX_KEYS, s.keys().loaded());
        long oldLsn = s.headLsn();
        writeLaterVersions(s, keys);
        MongoCollection<BsonDocument> head = s.records();
        MongoCollection<BsonDocument> old = s.database("main@" + oldLsn).getCollection(Session.RECORDS, BsonDocument.class);
        LoadRunner.Outcome o = runner.run(LoadRunner.Plan.timed(s.target.name() + " timetravel", s.config.threads(), s.config),
                s.config.seed(), i -> (rec, rnd) -> {
                    String key = KeySpace.key(rnd.nextInt(keys));
                    boolean atOld = rnd.nextBoolean();
                    String op = atOld ? "read @old LSN" : "read @head";
                    BsonDocument d = rec.time(op, () -> (atOld ? old : head).find(YcsbWorkload.byId(key)).first());
                    if (d == null) {
                        rec.wrong(op, "record " + key + " missing");
                    }
                });
        List<String> notes = new ArrayList<>();
        notes.add(keys + " records read; old LSN " + oldLsn + ", head LSN " + s.headLsn());
        OpStats h = o.ops().stream().filter(x -> x.op().equals("read @head")).findFirst().orElse(null);
        OpStats t = o.ops().stream().filter(x -> x.op().equals("read @old LSN")).findFirst().orElse(null);
        if (h != null && t != null && h.count() > 0 && t.count() > 0) {
            notes.add(String.format(Locale.ROOT, "old/head: p50 %.2fx, p99 %.2fx (goal: within 1.5x)", t.p50Micros() / h.p50Micros(),
                    t.p99Micros() / h.p99Micros()));
        }
        if (o.firstError() != null) {
            notes.add("first error: " + o.firstError());
        }
        return new WorkloadResult(s.target.name(), name(), description(), o.ops(), o.seconds(), notes, false);
    }

    private static void writeLaterVersions(Session s, int keys) {
        SplittableRandom rnd = new SplittableRandom(s.config.seed());
        s.progress.line(String.format("%s timetravel: writing %d later versions of %,d records", s.target.name(), LATER_VERSIONS, keys));
        for (int v = 0; v < LATER_VERSIONS; v++) {
            List<WriteModel<BsonDocument>> bulk = new ArrayList<>(BULK);
            for (int k = 0; k < keys; k++) {
                bulk.add(new UpdateOneModel<>(YcsbWorkload.byId(KeySpace.key(k)),
                        new BsonDocument("$set", new BsonDocument("field0", s.values.any(rnd)))));
                if (bulk.size() == BULK || k == keys - 1) {
                    s.records().bulkWrite(bulk, new BulkWriteOptions().ordered(false));
                    bulk = new ArrayList<>(BULK);
                }
            }
        }
    }
}
