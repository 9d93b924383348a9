package dev.argon.bench.harness;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.WriteModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.Document;

/**
 * Diff and merge of K changed documents, from one client. Each round branches main, changes K consecutive
 * records on the branch (one bulk write), then times {@code diff main..branch}, a merge preview and the merge
 * itself, and drops the branch. The diff must list exactly K changes. A server without {@code diff} or
 * {@code mergeBranch} (CommandNotFound or NotImplemented) gets a skipped result or a partial one, with a note.
 */
final class DiffMergeWorkload implements Workload {
    /** Rounds per run: every round leaves a merged commit on main and a dropped branch record. */
    static final long MAX_ROUNDS = 200;
    static final long WARMUP_ROUNDS = 3;

    @Override
    public String name() {
        return "diffmerge";
    }

    @Override
    public String description() {
        return "diff, merge preview and merge of K documents changed on a fresh branch of main";
    }

    @Override
    public WorkloadResult run(Session s, LoadRunner runner) {
        if (!s.isArgon()) {
            return WorkloadResult.skipped(s.target.name(), this, "diff/merge " + s.notArgonNote());
        }
        int k = s.config.diffDocs();
        if (s.keys().loaded() < k) {
            return WorkloadResult.skipped(s.target.name(), this, "needs at least " + k + " records (--diff-docs), " + s.keys().loaded() + " loaded");
        }
        String prefix = "bench-dm-" + Long.toHexString(System.nanoTime() & 0xFFFFFFL) + "-";
        String ns = s.config.database() + "." + Session.RECORDS;
        String missing = probe(s, prefix + "probe", ns);
        if (missing != null && missing.startsWith("diff")) {
            return WorkloadResult.skipped(s.target.name(), this, missing);
        }
        boolean merge = missing == null;
        AtomicLong counter = new AtomicLong();
        LoadRunner.Plan plan = new LoadRunner.Plan(s.target.name() + " diffmerge K=" + k, 1, s.config.warmupSeconds(), s.config.seconds(),
                WARMUP_ROUNDS, MAX_ROUNDS);
        LoadRunner.Outcome o = runner.run(plan, s.config.seed(), t -> (rec, rnd) -> {
            long round = counter.getAndIncrement();
            String branch = prefix + round;
            s.admin(new Document("createBranch", branch).append("from", "main"));
            try {
                MongoCollection<BsonDocument> onBranch = s.database(branch).getCollection(Session.RECORDS, BsonDocument.class);
                long first = rnd.nextLong(s.keys().loaded() - k + 1);
                List<WriteModel<BsonDocument>> changes = new ArrayList<>(k);
                for (long key = first; key < first + k; key++) {
                    // $inc guarantees a real change even when the random field value repeats.
                    changes.add(new UpdateOneModel<>(YcsbWorkload.byId(KeySpace.key(key)), new BsonDocument("$set",
                            new BsonDocument("field0", s.values.any(rnd))).append("$inc", new BsonDocument("rev", new BsonInt32(1)))));
                }
                rec.time("write K on branch", () -> onBranch.bulkWrite(changes, new BulkWriteOptions().ordered(false)));
                Long listed = rec.time("diff", () -> s.adminCursorCount(new Document("diff", "main").append("to", branch).append("ns", ns)));
                if (listed != null && listed != k) {
                    rec.wrong("diff", "diff listed " + listed + " changes, expected " + k);
                }
                if (merge) {
                    rec.time("merge preview", () -> s.adminCursorCount(new Document("mergeBranch", branch).append("into", "main").append("preview", true)));
                    rec.time("merge", () -> s.admin(new Document("mergeBranch", branch).append("into", "main")));
                }
            } finally {
                s.admin(new Document("dropBranch", branch));
            }
        });
        List<String> notes = new ArrayList<>();
        notes.add("K = " + k + " documents per round; one client");
        if (!merge) {
            notes.add(missing);
        }
        if (o.firstError() != null) {
            notes.add("first error: " + o.firstError());
        }
        return new WorkloadResult(s.target.name(), name(), description() + " (K=" + k + ")", o.ops(), o.seconds(), notes, false);
    }

    /** Null if diff and mergeBranch both answer; else a note naming the first one missing. */
    private static String probe(Session s, String branch, String ns) {
        s.admin(new Document("createBranch", branch).append("from", "main"));
        try {
            try {
                s.adminCursorCount(new Document("diff", "main").append("to", branch).append("ns", ns));
            } catch (RuntimeException e) {
                if (Unavailable.is(e)) {
                    return Unavailable.note("diff", e);
                }
                throw e;
            }
            try {
                s.adminCursorCount(new Document("mergeBranch", branch).append("into", "main").append("preview", true));
            } catch (RuntimeException e) {
                if (Unavailable.is(e)) {
                    return Unavailable.note("mergeBranch", e);
                }
                throw e;
            }
            return null;
        } finally {
            s.admin(new Document("dropBranch", branch));
        }
    }
}
