package dev.argon.bench.harness;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertManyOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.BsonDocument;

/**
 * Loads the record set: drops the harness's database, then inserts {@code records} YCSB records through
 * {@code insertMany} in batches of {@link BenchConfig#LOAD_BATCH} from the client threads. The result is a
 * workload named {@code load} whose operation is one batch, with documents per second in its notes.
 *
 * <p>With a warm-up ({@code --warmup} above 0) the same load first goes into a scratch collection, once and for at
 * most the warm-up time, and is dropped: the measured load then runs with the server's and the driver's code
 * compiled, as every other workload does after its warm-up. That pass, the same load cold (first in the JVM for the
 * system under test, whose driver code is cold too), is reported as {@code load-cold}: each target gets the same
 * pass, so both figures compare side by side. Without a warm-up {@code load} is the cold
 * figure, as before. Stateless.
 */
final class Loader {
    static final String NAME = "load";
    static final String COLD = "load-cold";
    /** The scratch collection of the warm-up passes. */
    static final String SCRATCH = Session.RECORDS + "_warmup";

    private Loader() {}

    /** The warm-up's cold pass, when there is a warm-up, then the measured load. */
    static List<WorkloadResult> load(Session s, LoadRunner runner) {
        BenchConfig c = s.config;
        s.database().drop();
        List<WorkloadResult> out = new ArrayList<>();
        if (c.warmupSeconds() > 0 && c.records() > 0) {
            out.add(warmUp(s, runner));
        }
        s.database().createCollection(Session.RECORDS);
        String description = c.records() + " records of ~" + c.docSize() + " bytes via insertMany(" + BenchConfig.LOAD_BATCH + ")"
                + (c.warmupSeconds() > 0 ? ", after the same load into a scratch collection (at most " + seconds(c.warmupSeconds()) + " s)"
                        : ", cold (no warm-up)");
        if (c.records() == 0) {
            s.loaded(0);
            out.add(new WorkloadResult(s.target.name(), NAME, description, List.of(), 0, List.of("empty data set"), false));
            return out;
        }
        LoadRunner.Outcome o = pass(s, runner, s.records(), s.target.name() + " load " + c.records() + " records (batches)", Double.MAX_VALUE / 4, new AtomicLong());
        s.loaded(c.records());
        List<String> notes = notes(c.records(), o);
        if (s.isArgon()) {
            notes.add("head LSN after load: " + s.headLsn());
        }
        out.add(new WorkloadResult(s.target.name(), NAME, description, o.ops(), o.seconds(), notes, false));
        return out;
    }

    /**
     * Loads the record set once into the scratch collection, for at most the warm-up time, and drops it; returns that
     * pass as {@link #COLD}. One pass and not more: what a dropped collection leaves behind (the memory peer's garbage,
     * Argon's unflushed and uncompacted keys) weighs on the measured load, and more passes weighed on the targets
     * unequally (measured: a memory peer after four passes loaded at a quarter of its cold rate; docs/PERFORMANCE.md,
     * "Sixth round").
     */
    private static WorkloadResult warmUp(Session s, LoadRunner runner) {
        BenchConfig c = s.config;
        MongoCollection<BsonDocument> scratch = s.database().getCollection(SCRATCH, BsonDocument.class);
        s.database().createCollection(SCRATCH);
        AtomicLong inserted = new AtomicLong();
        LoadRunner.Outcome cold = pass(s, runner, scratch, s.target.name() + " " + COLD + " (warm-up)", c.warmupSeconds(), inserted);
        scratch.drop();
        long docs = inserted.get();
        List<String> notes = notes(docs, cold);
        notes.add(String.format("%,d documents loaded and dropped before the measured load", docs));
        return new WorkloadResult(s.target.name(), COLD, "the warm-up: " + c.records() + " records of ~" + c.docSize()
                + " bytes via insertMany(" + BenchConfig.LOAD_BATCH + ") into a scratch collection, cold, for at most "
                + seconds(c.warmupSeconds()) + " s", cold.ops(), cold.seconds(), notes, false);
    }

    private static String seconds(double s) {
        return s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s);
    }

    /**
     * One load of the record set into coll, stopping after {@code seconds}; adds the documents of each batch that
     * succeeded to {@code inserted} (a pass cut short is counted by what it loaded, not by the operations recorded,
     * which leave out a thread's first batch when it began before the runner's measured phase did).
     */
    private static LoadRunner.Outcome pass(Session s, LoadRunner runner, MongoCollection<BsonDocument> coll, String label, double seconds,
                                           AtomicLong inserted) {
        BenchConfig c = s.config;
        long batches = (c.records() + BenchConfig.LOAD_BATCH - 1) / BenchConfig.LOAD_BATCH;
        AtomicLong nextBatch = new AtomicLong();
        InsertManyOptions unordered = new InsertManyOptions().ordered(false);
        LoadRunner.Plan plan = new LoadRunner.Plan(label, c.threads(), 0, seconds, 0, batches);
        return runner.run(plan, c.seed(), i -> (rec, rnd) -> {
            long b = nextBatch.getAndIncrement();
            if (b >= batches) {
                return;
            }
            List<BsonDocument> docs = batch(s, b, c.records(), rnd);
            if (rec.time("insertMany", () -> coll.insertMany(docs, unordered)) != null) {
                inserted.addAndGet(docs.size());
            }
        });
    }

    private static List<String> notes(long docs, LoadRunner.Outcome o) {
        List<String> notes = new ArrayList<>();
        notes.add(String.format("%,.0f documents/s", docs / o.seconds()));
        if (o.firstError() != null) {
            notes.add("first error: " + o.firstError());
        }
        return notes;
    }

    private static List<BsonDocument> batch(Session s, long batch, long records, SplittableRandom rnd) {
        long first = batch * BenchConfig.LOAD_BATCH;
        long end = Math.min(records, first + BenchConfig.LOAD_BATCH);
        List<BsonDocument> docs = new ArrayList<>((int) (end - first));
        for (long k = first; k < end; k++) {
            docs.add(s.values.record(k, rnd));
        }
        return docs;
    }
}
