package dev.argon.bench.harness;

import com.mongodb.client.MongoCollection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.Document;

/**
 * Branch creation on the loaded data set, from one client (latency, not throughput: branch commands are
 * serialized by the server anyway). Each step creates a branch of main, reads one record through it (proof that
 * the branch serves the whole data set at once) and drops it.
 *
 * <p>A server without branches gets the nearest thing a user of it would do instead, clearly named: copying
 * the record collection with an {@code $out} aggregation, so the report can set "an isolated, writable copy of
 * the data" side by side.
 */
final class BranchWorkload implements Workload {
    /**
     * Steps per run. Every dropped branch leaves a nameless record behind for its history, so an unbounded loop
     * would end up measuring a growing branch registry instead of branch creation.
     */
    static final long MAX_BRANCHES = 2000;
    static final long WARMUP_BRANCHES = 500;
    /** Copies are proportional to the data size; a few are enough for a median. */
    static final long MAX_COPIES = 20;

    @Override
    public String name() {
        return "branch";
    }

    @Override
    public String description() {
        return "createBranch of main on the loaded data set, a first read on the branch, dropBranch";
    }

    @Override
    public WorkloadResult run(Session s, LoadRunner runner) {
        return s.isArgon() ? branches(s, runner) : copies(s, runner);
    }

    private WorkloadResult branches(Session s, LoadRunner runner) {
        String prefix = "bench-" + Long.toHexString(System.nanoTime() & 0xFFFFFFL) + "-";
        AtomicLong counter = new AtomicLong();
        long loaded = s.keys().loaded();
        LoadRunner.Plan plan = new LoadRunner.Plan(s.target.name() + " branch", 1, s.config.warmupSeconds(), s.config.seconds(),
                WARMUP_BRANCHES, MAX_BRANCHES);
        LoadRunner.Outcome o = runner.run(plan, s.config.seed(), i -> (rec, rnd) -> {
            String name = prefix + counter.getAndIncrement();
            if (rec.time("createBranch", () -> s.admin(new Document("createBranch", name).append("from", "main"))) == null) {
                return;
            }
            if (loaded > 0) {
                MongoCollection<BsonDocument> onBranch = s.database(name).getCollection(Session.RECORDS, BsonDocument.class);
                String key = KeySpace.key(s.keys().existing(rnd));
                BsonDocument d = rec.time("first read on branch", () -> onBranch.find(YcsbWorkload.byId(key)).first());
                if (d == null) {
                    rec.wrong("first read on branch", "record " + key + " not visible on the new branch " + name);
                }
            }
            rec.time("dropBranch", () -> s.admin(new Document("dropBranch", name)));
        });
        List<String> notes = new ArrayList<>();
        notes.add("data set: " + loaded + " records; one client");
        if (o.firstError() != null) {
            notes.add("first error: " + o.firstError());
        }
        return new WorkloadResult(s.target.name(), name(), description(), o.ops(), o.seconds(), notes, false);
    }

    private WorkloadResult copies(Session s, LoadRunner runner) {
        AtomicLong counter = new AtomicLong();
        LoadRunner.Plan plan = new LoadRunner.Plan(s.target.name() + " branch (copy stand-in)", 1, 0, s.config.seconds(), 0, MAX_COPIES);
        LoadRunner.Outcome o = runner.run(plan, s.config.seed(), i -> (rec, rnd) -> {
            String copy = "branch_copy_" + counter.getAndIncrement();
            rec.time("copy collection ($out)", () -> {
                s.records().aggregate(List.of(new BsonDocument("$out", new BsonString(copy)))).toCollection();
                return Boolean.TRUE;
            });
            rec.time("drop copy", () -> {
                s.database().getCollection(copy).drop();
                return Boolean.TRUE;
            });
        });
        List<String> notes = new ArrayList<>();
        notes.add(s.notArgonNote() + ": createBranch is replaced by what a user of this server would do, copying the collection with $out");
        if (o.firstError() != null) {
            notes.add("first error: " + o.firstError());
        }
        return new WorkloadResult(s.target.name(), name(), "copy of the record collection with $out (the server has no branches), then drop",
                o.ops(), o.seconds(), notes, false);
    }
}
