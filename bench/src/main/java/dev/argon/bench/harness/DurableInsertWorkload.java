package dev.argon.bench.harness;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoCollection;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonInt64;

/**
 * {@code insertOne} with write concern {@code {w: 1, j: true}} from many clients (32 by default) into a
 * collection of its own: the figure group commit exists for. On an in-process Argon the note gives the number of
 * WAL fsyncs, so documents per fsync shows how far clients share them. Peers do not report fsyncs.
 */
final class DurableInsertWorkload implements Workload {
    static final String COLLECTION = "durable";

    @Override
    public String name() {
        return "durable";
    }

    @Override
    public String description() {
        return "insertOne with j:true from many clients";
    }

    @Override
    public WorkloadResult run(Session s, LoadRunner runner) {
        MongoCollection<BsonDocument> coll = s.database().getCollection(COLLECTION, BsonDocument.class).withWriteConcern(WriteConcern.JOURNALED);
        coll.drop();
        s.database().createCollection(COLLECTION);
        int threads = s.config.durableThreads();
        long[] fsyncsBefore = {-1};
        long[][] groupsBefore = {null};
        LoadRunner.Outcome o = runner.run(LoadRunner.Plan.timed(s.target.name() + " durable x" + threads, threads, s.config),
                s.config.seed(), t -> {
                    long[] n = {0};
                    return (rec, rnd) -> {
                        BsonDocument doc = new BsonDocument("client", new BsonInt64(t)).append("n", new BsonInt64(n[0]++))
                                .append("payload", s.values.any(rnd));
                        rec.time("insertOne j:true", () -> coll.insertOne(doc));
                    };
                }, () -> {
                    fsyncsBefore[0] = s.target.fsyncs();
                    groupsBefore[0] = s.target.commitGroups();
                });
        List<String> notes = new ArrayList<>();
        notes.add(threads + " clients");
        long fsyncs = s.target.fsyncs() - fsyncsBefore[0];
        if (fsyncsBefore[0] >= 0 && fsyncs > 0) {
            long docs = o.ops().isEmpty() ? 0 : o.ops().get(0).count();
            // The background sync tick counts too, so this slightly understates how many documents share one fsync.
            notes.add(String.format("%,d WAL fsyncs while measuring: %.1f documents per fsync", fsyncs, (double) docs / fsyncs));
        }
        long[] groupsAfter = s.target.commitGroups();
        long[] gb = groupsBefore[0];
        if (gb != null && groupsAfter != null && groupsAfter[0] > gb[0]) {
            long groups = groupsAfter[0] - gb[0];
            long commits = groupsAfter[1] - gb[1];
            notes.add(String.format("%,d commits in %,d RocksDB writes: %.2f commits per group", commits, groups, (double) commits / groups));
        }
        if (o.firstError() != null) {
            notes.add("first error: " + o.firstError());
        }
        return new WorkloadResult(s.target.name(), name(), description(), o.ops(), o.seconds(), notes, false);
    }
}
