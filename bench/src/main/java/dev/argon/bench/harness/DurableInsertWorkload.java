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
 * WAL fsyncs, so documents per fsync shows how far clients share them, and the number of commits per RocksDB
 * write (group commit). Peers do not report fsyncs.
 *
 * <p>{@code durable} writes to one collection on {@code main}, so the branch's write lock orders the commits
 * and only fsyncs are shared. {@code durablebranches} spreads the clients over {@link #BRANCHES} branches
 * (round robin), where commits of different branches can also share one RocksDB write; a server without
 * branches gets the nearest thing, as many databases.
 */
final class DurableInsertWorkload implements Workload {
    static final String COLLECTION = "durable";
    /** Branches of {@code durablebranches}: a quarter of the default 32 clients, so each branch has 4 writers. */
    static final int BRANCHES = 8;
    private final boolean spread;

    DurableInsertWorkload(boolean spread) {
        this.spread = spread;
    }

    @Override
    public String name() {
        return spread ? "durablebranches" : "durable";
    }

    @Override
    public String description() {
        return spread ? "insertOne with j:true from many clients over " + BRANCHES + " branches" : "insertOne with j:true from many clients";
    }

    @Override
    public WorkloadResult run(Session s, LoadRunner runner) {
        int targets = spread ? BRANCHES : 1;
        List<MongoCollection<BsonDocument>> colls = new ArrayList<>();
        String prefix = "durable-" + Long.toHexString(System.nanoTime() & 0xFFFFFFL) + "-";
        for (int i = 0; i < targets; i++) {
            com.mongodb.client.MongoDatabase db;
            if (!spread) {
                db = s.database();
            } else if (s.isArgon()) {
                s.admin(new org.bson.Document("createBranch", prefix + i).append("from", "main"));
                db = s.database(prefix + i);
            } else {
                db = s.client.getDatabase(s.config.database() + "_durable" + i);
            }
            MongoCollection<BsonDocument> c = db.getCollection(COLLECTION, BsonDocument.class).withWriteConcern(WriteConcern.JOURNALED);
            c.drop();
            db.createCollection(COLLECTION);
            colls.add(c);
        }
        int threads = s.config.durableThreads();
        long[] fsyncsBefore = {-1};
        long[][] groupsBefore = {null};
        LoadRunner.Outcome o = runner.run(LoadRunner.Plan.timed(s.target.name() + " durable x" + threads, threads, s.config),
                s.config.seed(), t -> {
                    long[] n = {0};
                    MongoCollection<BsonDocument> coll = colls.get(t % targets);
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
        notes.add(threads + " clients" + (spread ? " over " + targets + (s.isArgon() ? " branches" : " databases") : ""));
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
