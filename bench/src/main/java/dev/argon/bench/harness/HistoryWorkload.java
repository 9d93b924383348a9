package dev.argon.bench.harness;

import com.mongodb.client.MongoCollection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.Document;

/**
 * Reads on main next to accumulated history, over the wire: an agent branch updates {@link #SIBLING_HOT}
 * documents {@code historyUpdates} times each, main itself updates one more document as often (noting the LSN
 * halfway), then one write lands on main. The timed phase reads, at random, an untouched document, a document
 * the sibling hammered, main's own hot document at the head and at the halfway LSN. The goal (issue 9): each
 * within 1.5x of the untouched read.
 */
final class HistoryWorkload implements Workload {
    static final int SIBLING_HOT = 2;
    /** The first records are the hot ones; untouched reads pick from the rest. */
    private static final int OWN_HOT = SIBLING_HOT;
    private static final int FIRST_COLD = OWN_HOT + 1;
    static final int DEFAULT_UPDATES = 20_000;

    @Override
    public String name() {
        return "history";
    }

    @Override
    public String description() {
        return "point reads on main of documents updated " + updates(false) + " times on a sibling branch and on main (head and halfway), vs untouched";
    }

    /** Updates per hot document: 20,000 as in issue 9's report, 200 in the smoke mode. */
    private static int updates(boolean quick) {
        return Integer.getInteger("argon.bench.historyUpdates", quick ? 200 : DEFAULT_UPDATES);
    }

    @Override
    public WorkloadResult run(Session s, LoadRunner runner) {
        if (!s.isArgon()) {
            return WorkloadResult.skipped(s.target.name(), this, "branches " + s.notArgonNote());
        }
        if (s.keys().loaded() <= FIRST_COLD) {
            return WorkloadResult.skipped(s.target.name(), this, "needs more than " + FIRST_COLD + " records loaded");
        }
        int updates = updates(s.config.quick());
        String agent = "history-agent-" + System.nanoTime();
        s.admin(new Document("createBranch", agent).append("from", "main"));
        MongoCollection<BsonDocument> onAgent = s.database(agent).getCollection(Session.RECORDS, BsonDocument.class);
        MongoCollection<BsonDocument> main = s.records();
        s.progress.line(String.format("%s history: %,d updates of %d documents on %s, %,d of one on main", s.target.name(), updates, SIBLING_HOT, agent, updates));
        for (int u = 0; u < updates; u++) {
            for (int k = 0; k < SIBLING_HOT; k++) {
                onAgent.updateOne(YcsbWorkload.byId(KeySpace.key(k)), new BsonDocument("$inc", new BsonDocument("historyN", new BsonInt32(1))));
            }
        }
        long halfway = 0;
        for (int u = 0; u < updates; u++) {
            main.updateOne(YcsbWorkload.byId(KeySpace.key(OWN_HOT)), new BsonDocument("$set", new BsonDocument("historyN", new BsonInt32(u))));
            if (u == updates / 2) {
                halfway = s.headLsn();
            }
        }
        main.updateOne(YcsbWorkload.byId(KeySpace.key(FIRST_COLD)), new BsonDocument("$set", new BsonDocument("historyLast", new BsonInt32(1))));
        MongoCollection<BsonDocument> atHalf = s.database("main@" + halfway).getCollection(Session.RECORDS, BsonDocument.class);
        int cold = (int) s.keys().loaded() - FIRST_COLD;
        int expectHalf = updates / 2;
        LoadRunner.Outcome o = runner.run(LoadRunner.Plan.timed(s.target.name() + " history", s.config.threads(), s.config),
                s.config.seed(), i -> (rec, rnd) -> {
                    int pick = rnd.nextInt(4);
                    switch (pick) {
                        case 0 -> {
                            String key = KeySpace.key(FIRST_COLD + rnd.nextInt(cold));
                            if (rec.time("read untouched", () -> main.find(YcsbWorkload.byId(key)).first()) == null) {
                                rec.wrong("read untouched", "record " + key + " missing");
                            }
                        }
                        case 1 -> {
                            String key = KeySpace.key(rnd.nextInt(SIBLING_HOT));
                            BsonDocument d = rec.time("read sibling-hot", () -> main.find(YcsbWorkload.byId(key)).first());
                            if (d == null || d.containsKey("historyN")) {
                                rec.wrong("read sibling-hot", "main sees the agent's update of " + key + " or nothing: " + d);
                            }
                        }
                        case 2 -> {
                            BsonDocument d = rec.time("read own-hot @head", () -> main.find(YcsbWorkload.byId(KeySpace.key(OWN_HOT))).first());
                            if (d == null || d.getInt32("historyN").getValue() != updates - 1) {
                                rec.wrong("read own-hot @head", "expected the last update: " + d);
                            }
                        }
                        default -> {
                            BsonDocument d = rec.time("read own-hot @halfway", () -> atHalf.find(YcsbWorkload.byId(KeySpace.key(OWN_HOT))).first());
                            if (d == null || d.getInt32("historyN").getValue() != expectHalf) {
                                rec.wrong("read own-hot @halfway", "expected update " + expectHalf + ": " + d);
                            }
                        }
                    }
                });
        List<String> notes = new ArrayList<>();
        OpStats base = o.ops().stream().filter(x -> x.op().equals("read untouched")).findFirst().orElse(null);
        for (OpStats x : o.ops()) {
            if (base != null && x != base && base.count() > 0 && x.count() > 0) {
                notes.add(String.format(Locale.ROOT, "%s / read untouched: p50 %.2fx, p99 %.2fx (goal: within 1.5x)", x.op(),
                        x.p50Micros() / base.p50Micros(), x.p99Micros() / base.p99Micros()));
            }
        }
        if (o.firstError() != null) {
            notes.add("first error: " + o.firstError());
        }
        s.admin(new Document("dropBranch", agent));
        return new WorkloadResult(s.target.name(), name(), description(), o.ops(), o.seconds(), notes, false);
    }
}
