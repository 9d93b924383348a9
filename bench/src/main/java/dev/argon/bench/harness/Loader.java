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
 * workload named {@code load} whose operation is one batch, with documents per second in its notes. Stateless.
 */
final class Loader {
    static final String NAME = "load";

    private Loader() {}

    static WorkloadResult load(Session s, LoadRunner runner) {
        BenchConfig c = s.config;
        s.database().drop();
        s.database().createCollection(Session.RECORDS);
        String description = c.records() + " records of ~" + c.docSize() + " bytes via insertMany(" + BenchConfig.LOAD_BATCH + ")";
        if (c.records() == 0) {
            s.loaded(0);
            return new WorkloadResult(s.target.name(), NAME, description, List.of(), 0, List.of("empty data set"), false);
        }
        long batches = (c.records() + BenchConfig.LOAD_BATCH - 1) / BenchConfig.LOAD_BATCH;
        AtomicLong nextBatch = new AtomicLong();
        MongoCollection<BsonDocument> coll = s.records();
        InsertManyOptions unordered = new InsertManyOptions().ordered(false);
        LoadRunner.Plan plan = new LoadRunner.Plan(s.target.name() + " load " + c.records() + " records (batches)", c.threads(), 0,
                Double.MAX_VALUE / 4, 0, batches);
        LoadRunner.Outcome o = runner.run(plan, c.seed(), i -> (rec, rnd) -> {
            long b = nextBatch.getAndIncrement();
            if (b >= batches) {
                return;
            }
            List<BsonDocument> docs = batch(s, b, c.records(), rnd);
            rec.time("insertMany", () -> coll.insertMany(docs, unordered));
        });
        s.loaded(c.records());
        List<String> notes = new ArrayList<>();
        notes.add(String.format("%,.0f documents/s", c.records() / o.seconds()));
        if (o.firstError() != null) {
            notes.add("first error: " + o.firstError());
        }
        if (s.isArgon()) {
            notes.add("head LSN after load: " + s.headLsn());
        }
        return new WorkloadResult(s.target.name(), NAME, description, o.ops(), o.seconds(), notes, false);
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
